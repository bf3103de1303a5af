"""DynamoDB PartiQL: ExecuteStatement, BatchExecuteStatement and
ExecuteTransaction with boto3 (client and resource) and the aws CLI."""

import decimal

import boto3
import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique

NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "


def make_table(ddb, name=None):
    name = name or unique("pq")
    ddb.create_table(TableName=name,
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                {"AttributeName": "sk", "KeyType": "RANGE"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "sk", "AttributeType": "N"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}],
                     BillingMode="PAY_PER_REQUEST")
    return name


@pytest.fixture
def table(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    for pk, sk in [("a", 1), ("a", 2), ("a", 3), ("b", 1)]:
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': ?, 'sk': ?, 'g': 'all', 'n': ?}}",
                              Parameters=[{"S": pk}, {"N": str(sk)}, {"N": str(sk * 10)}])
    return ddb, name


def sks(items):
    return [int(i["sk"]["N"]) for i in items]


def test_insert_then_read_with_item_operations(table):
    ddb, name = table
    ddb.execute_statement(
        Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'doc', 'sk': 9, 'm': {{'x': [1, 'two', true, null]}}, "
                  f"'s': <<'p', 'q'>>, 'ns': <<1, 2>>}}")
    item = ddb.get_item(TableName=name, Key={"pk": {"S": "doc"}, "sk": {"N": "9"}})["Item"]
    assert item["m"] == {"M": {"x": {"L": [{"N": "1"}, {"S": "two"}, {"BOOL": True}, {"NULL": True}]}}}
    assert sorted(item["s"]["SS"]) == ["p", "q"]
    assert sorted(item["ns"]["NS"]) == ["1", "2"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'doc', 'sk': 9}}")
    assert code_and_message(e) == ("DuplicateItemException", "Duplicate primary key exists in table")


def test_select_by_key_by_index_and_by_scan(table):
    ddb, name = table
    out = ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\" WHERE pk = 'a'")
    assert sks(out["Items"]) == [1, 2, 3]
    out = ddb.execute_statement(Statement=f"SELECT sk, n FROM \"{name}\" WHERE pk = ? AND sk BETWEEN 2 AND 3 "
                                          f"ORDER BY sk DESC", Parameters=[{"S": "a"}])
    assert out["Items"] == [{"sk": {"N": "3"}, "n": {"N": "30"}}, {"sk": {"N": "2"}, "n": {"N": "20"}}]
    single = ddb.execute_statement(Statement=f"SELECT n FROM \"{name}\" WHERE pk = 'b' AND sk = 1")
    assert single["Items"] == [{"n": {"N": "10"}}]
    by_index = ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\".\"by-g\" WHERE g = 'all'")
    assert len(by_index["Items"]) == 4
    scanned = ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\" WHERE n > 15 AND begins_with(pk, 'a')")
    assert sorted(sks(scanned["Items"])) == [2, 3]
    functions = ddb.execute_statement(
        Statement=f"SELECT * FROM \"{name}\" WHERE attribute_exists(n) AND size(pk) = 1 AND x IS MISSING "
                  f"AND pk IN ['b'] AND attribute_type(n, 'N') AND NOT contains(pk, 'z')")
    assert sks(functions["Items"]) == [1]


def test_pages_with_limit_and_next_token(table):
    ddb, name = table
    seen, kwargs, pages = [], {}, 0
    while True:
        out = ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\"", Limit=1, **kwargs)
        pages += 1
        seen += [(i["pk"]["S"], int(i["sk"]["N"])) for i in out["Items"]]
        if "NextToken" not in out:
            break
        assert "LastEvaluatedKey" in out
        kwargs = {"NextToken": out["NextToken"]}
    assert sorted(seen) == [("a", 1), ("a", 2), ("a", 3), ("b", 1)]
    assert pages >= 4
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\" WHERE pk = 'a'", NextToken=kwargs["NextToken"])
    assert code_and_message(e)[0] == "ValidationException"


def test_update_and_delete(table):
    ddb, name = table
    out = ddb.execute_statement(
        Statement=f"UPDATE \"{name}\" SET n = n + 5 SET l = list_append([0], [1]) SET s = set_add(s, <<'x'>>) "
                  f"REMOVE g WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *")
    item = out["Items"][0]
    assert item["n"] == {"N": "15"} and item["l"] == {"L": [{"N": "0"}, {"N": "1"}]} and item["s"] == {"SS": ["x"]}
    assert "g" not in item
    modified = ddb.execute_statement(
        Statement=f"UPDATE \"{name}\" SET s = set_delete(s, <<'x'>>) WHERE pk = 'a' AND sk = 1 "
                  f"RETURNING MODIFIED OLD *")
    assert modified["Items"] == [{"s": {"SS": ["x"]}}]
    assert "s" not in ddb.get_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})["Item"]

    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'nobody' AND sk = 1")
    assert code_and_message(e) == ("ConditionalCheckFailedException", "The conditional request failed")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'a'")
    assert code_and_message(e) == ("ValidationException",
                           "Where clause does not contain a mandatory equality on all key attributes")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = 'a' AND sk = 2 AND n = 999",
                              ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert code_and_message(e)[0] == "ConditionalCheckFailedException"
    assert e.value.response["Item"]["n"] == {"N": "20"}

    assert ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = 'nobody' AND sk = 2")["Items"] == []
    gone = ddb.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *")
    assert gone["Items"][0]["n"] == {"N": "20"}
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "2"}})


@pytest.mark.parametrize("statement,message", [
    ('SELECT * FROM "{t}" WHERE', NOT_WELL_FORMED + "Unexpected term"),
    ('SELECT * FROM "{t}" WHERE pk = 1 foo', NOT_WELL_FORMED + "Unexpected token after expression"),
    ('SELECT * FROM "{t}" WHERE pk = \'a\' AND', NOT_WELL_FORMED + "Missing right-hand side expression of infix operator"),
    ('SELECT * FROM "{t}" WHERE pad = 1', NOT_WELL_FORMED + "Unexpected keyword"),
    ('SELECT * FROM "{t}" t WHERE pk = \'x\'', "Aliasing is not supported"),
    ('DELETE FROM WHERE pk = \'a\'', NOT_WELL_FORMED + "Expected identifier for simple path"),
    ('SELECT * FROM "{t}" WHERE pk = 1 # note', NOT_WELL_FORMED),
    ('INSERT INTO "{t}" VALUE {{\'pk\': \'x\', \'sk\': 1e126}}',
     "Number overflow. Attempting to store a number with magnitude larger than supported range under root"),
])
def test_malformed_statements(table, statement, message):
    ddb, name = table
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=statement.format(t=name))
    assert code_and_message(e) == ("ValidationException", message)


def test_other_errors(table):
    ddb, name = table
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement="SELECT * FROM \"no-such-table\"")
    assert code_and_message(e) == ("ResourceNotFoundException", "Requested resource not found")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_statement(Statement=f"SELECT * FROM \"{name}\" WHERE pk = ? AND sk = ?", Parameters=[{"S": "a"}])
    assert code_and_message(e) == ("ValidationException", "Number of parameters in request and statement don't match.")


def test_batch_execute_statement(table):
    ddb, name = table
    out = ddb.batch_execute_statement(Statements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'c', 'sk': 1}}"},
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{name}\" SET n = ? WHERE pk = 'b' AND sk = 1", "Parameters": [{"N": "77"}]},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE"},
    ])["Responses"]
    assert out[0] == {"TableName": name}
    assert out[1]["Error"] == {"Code": "DuplicateItem", "Message": "Duplicate primary key exists in table"}
    assert out[2] == {"TableName": name}
    assert out[3]["Error"] == {"Code": "ValidationError", "Message": NOT_WELL_FORMED + "Unexpected term"}
    reads = ddb.batch_execute_statement(Statements=[
        {"Statement": f"SELECT n FROM \"{name}\" WHERE pk = 'b' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'zz' AND sk = 1"},
    ])["Responses"]
    assert reads == [{"TableName": name, "Item": {"n": {"N": "77"}}}, {"TableName": name}]


def test_execute_transaction_is_all_or_nothing(table):
    ddb, name = table
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'tx', 'sk': 1}}"},
            {"Statement": f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'missing' AND sk = 1"},
        ])
    assert code_and_message(e) == ("TransactionCanceledException",
                           "Transaction cancelled, please refer cancellation reasons for specific reasons "
                           "[None, ConditionalCheckFailed]")
    assert [r["Code"] for r in e.value.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"]
    assert "Item" not in ddb.get_item(TableName=name, Key={"pk": {"S": "tx"}, "sk": {"N": "1"}})

    ddb.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'tx', 'sk': 1}}"},
        {"Statement": f"EXISTS(SELECT * FROM \"{name}\" WHERE pk = 'a' AND sk = 1 AND n = 10)"},
        {"Statement": f"DELETE FROM \"{name}\" WHERE pk = 'b' AND sk = 1"},
    ])
    reads = ddb.execute_transaction(TransactStatements=[
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'tx' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'b' AND sk = 1"},
    ])["Responses"]
    assert reads == [{"Item": {"pk": {"S": "tx"}, "sk": {"N": "1"}}}, {}]


def test_execute_transaction_returns_the_old_item_where_a_statement_asks(table):
    ddb, name = table
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.execute_transaction(TransactStatements=[
            {"Statement": f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'a' AND sk = 1 AND n = 999",
             "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
            {"Statement": f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'a' AND sk = 2 AND n = 999"},
        ])
    reasons = e.value.response["CancellationReasons"]
    assert reasons[0] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                          "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "all"}, "n": {"N": "10"}}}
    assert reasons[1] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}


def test_resource_api_and_cli(server, table):
    ddb, name = table
    resource = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")
    resource.Table(name).put_item(Item={"pk": "r", "sk": 1, "n": decimal.Decimal("1.5")})
    out = resource.meta.client.execute_statement(Statement=f"SELECT n FROM \"{name}\" WHERE pk = 'r'")
    assert out["Items"] == [{"n": decimal.Decimal("1.5")}]  # the resource layer unmarshals
    out = server.aws("dynamodb", "execute-statement", "--statement",
                     f"SELECT n FROM \"{name}\" WHERE pk = 'a' AND sk = 3")
    assert out["Items"] == [{"n": {"N": "30"}}]
    server.aws("dynamodb", "execute-statement", "--statement",
               f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'a' AND sk = 3")
    failed = server.aws("dynamodb", "execute-statement", "--statement",
                        f"INSERT INTO \"{name}\" VALUE {{'pk': 'a', 'sk': 3}}", check=False)
    assert failed.returncode != 0 and "DuplicateItemException" in failed.stderr
