//! Parser tests: the statements DynamoDB accepts, and its words for those it refuses.

use super::*;

fn path(name: &str) -> Expr {
    Expr::Path(Path::attribute(name))
}

fn str_lit(s: &str) -> Expr {
    Expr::Literal(Literal::Str(s.into()))
}

fn message(text: &str) -> String {
    parse(text).expect_err(text).message
}

#[test]
fn select_with_key_and_filter() {
    let statement =
        parse("select a, \"b\".c[2] FROM \"T\".\"idx\" WHERE pk = 'x' AND n > 1 ORDER BY sk DESC;").unwrap();
    let Statement::Select(select) = statement else { panic!("not a select") };
    assert_eq!(select.table, "T");
    assert_eq!(select.index.as_deref(), Some("idx"));
    let projection = select.projection.unwrap();
    assert_eq!(projection[1], Path { attribute: "b".into(), steps: vec![Step::Key("c".into()), Step::Index(2)] });
    assert_eq!(select.order_by, Some((Path::attribute("sk"), true)));
    assert_eq!(
        select.filter.unwrap(),
        Expr::And(
            Box::new(Expr::Compare(Comparator::Eq, Box::new(path("pk")), Box::new(str_lit("x")))),
            Box::new(Expr::Compare(
                Comparator::Gt,
                Box::new(path("n")),
                Box::new(Expr::Literal(Literal::Number("1".into())))
            ))
        )
    );
}

#[test]
fn insert_with_nested_literals_and_sets() {
    let statement =
        parse("INSERT INTO T VALUE {'pk': ?, 'l': [1, -2.5, true, null], 's': <<'a','b'>>, 'm': {}}").unwrap();
    let Statement::Insert(insert) = statement else { panic!("not an insert") };
    let Expr::Tuple(pairs) = insert.value else { panic!("not a tuple") };
    assert_eq!(pairs.len(), 4);
    assert_eq!(pairs[0], (str_lit("pk"), Expr::Parameter(0)));
    assert_eq!(
        pairs[1].1,
        Expr::List(vec![
            Expr::Literal(Literal::Number("1".into())),
            Expr::Literal(Literal::Number("-2.5".into())),
            Expr::Literal(Literal::Bool(true)),
            Expr::Literal(Literal::Null),
        ])
    );
    assert_eq!(pairs[2].1, Expr::Set(vec![str_lit("a"), str_lit("b")]));
}

#[test]
fn update_with_set_remove_and_returning() {
    let statement =
        parse("UPDATE \"T\" SET a = a + 1, b = list_append(b, [1]) REMOVE c SET d = set_add(d, <<'x'>>) WHERE pk = 'k' RETURNING ALL NEW *")
            .unwrap();
    let Statement::Update(update) = statement else { panic!("not an update") };
    assert_eq!(update.actions.len(), 4);
    assert_eq!(update.actions[2], UpdateAction::Remove(Path::attribute("c")));
    assert_eq!(update.returning, Some(Returning::AllNew));
    assert_eq!(
        update.actions[0],
        UpdateAction::Set(
            Path::attribute("a"),
            Expr::Arith(ArithOp::Add, Box::new(path("a")), Box::new(Expr::Literal(Literal::Number("1".into()))))
        )
    );
}

#[test]
fn delete_and_exists() {
    assert!(matches!(parse("DELETE FROM T WHERE pk = 'a' RETURNING ALL OLD *"), Ok(Statement::Delete(_))));
    assert!(matches!(parse("EXISTS(SELECT * FROM T WHERE pk = 'a')"), Ok(Statement::Exists(_))));
}

#[test]
fn conditions_with_functions_in_between_and_missing() {
    let text = "SELECT * FROM T WHERE begins_with(a, 'x') OR NOT contains(b, ?) AND c IN ('1', '2') \
                AND d BETWEEN 1 AND 5 AND e IS MISSING AND f IS NOT MISSING AND size(g) > 2 \
                AND attribute_type(h, 'S') AND i NOT IN [1] AND j NOT BETWEEN 1 AND 2 AND k IS NOT NULL";
    let Statement::Select(select) = parse(text).unwrap() else { panic!("not a select") };
    assert!(matches!(select.filter, Some(Expr::Or(_, _))));
}

#[test]
fn keywords_are_case_insensitive_and_reserved_words_need_quotes() {
    assert!(parse("select * from T where \"pad\" = 'none'").is_ok());
    assert_eq!(
        message("SELECT * FROM T WHERE pad = 'none'"),
        "Statement wasn't well formed, can't be processed: Unexpected keyword"
    );
}

#[test]
fn refused_statements_carry_dynamodbs_words() {
    let envelope = "Statement wasn't well formed, can't be processed: ";
    let cases = [
        ("SELECT * FROM \"T\" WHERE pk = 1 foo", "Unexpected token after expression"),
        ("SELECT * FROM \"T\" WHERE pk = 1 e5", "Unexpected token after expression"),
        ("INSERT INTO \"T\" VALUE {'pk': 1} foo", "Unexpected token after expression"),
        ("SELECT * FROM \"T\" WHERE pk = 1)", "Unexpected token after expression"),
        ("DELETE FROM \"T\" WHERE pk = 1 ORDER BY pk", "Unexpected token after expression"),
        ("SELECT * FROM \"T\" ORDER BY pk WHERE pk = 1", "Unexpected token after expression"),
        ("INSERT INTO \"T\" t VALUE {'pk': 'x'}", "Unexpected token after expression"),
        ("SELECT * FROM \"T\" WHERE pk = 1 # note", ""),
        ("SELECT * FROM \"T\" WHERE pk = 1 /* note", ""),
        ("SELECT * FROM \"T\" WHERE", "Unexpected term"),
        ("SELECT * FROM \"T\" WHERE;", "Unexpected term"),
        ("UPDATE \"T\" SET a = 1 WHERE", "Unexpected term"),
        ("DELETE FROM \"T\" WHERE", "Unexpected term"),
        ("SELECT * FROM \"T\" WHERE NOT", "Unexpected term"),
        ("SELECT * FROM \"T\" WHERE (", "Unexpected term"),
        ("SELECT * FROM", "Unexpected term"),
        ("SELECT * FROM \"T\" WHERE pk = 'p1' AND", "Missing right-hand side expression of infix operator"),
        ("SELECT * FROM \"T\" WHERE pk = 'p1' OR", "Missing right-hand side expression of infix operator"),
        ("SELECT * FROM \"T\" WHERE ORDER BY pk", "Unexpected keyword"),
        ("SELECT * FROM \"T\" WHERE pk = 'a' AND x IS FOO", "Expected type name"),
        ("SELECT * FROM \"T\" WHERE IS NULL", "Unexpected operator"),
        ("SELECT * FROM \"T\" WHERE pk = LIKE", "Unexpected operator"),
        ("DELETE FROM", "Expected identifier for simple path"),
        ("DELETE FROM;", "Expected identifier for simple path"),
        ("DELETE FROM WHERE pk = 'a'", "Expected identifier for simple path"),
    ];
    for (text, detail) in cases {
        assert_eq!(message(text), format!("{envelope}{detail}"), "{text}");
    }
}

#[test]
fn aliases_are_refused() {
    for text in [
        "SELECT * FROM \"T\" t WHERE pk = 'x'",
        "SELECT * FROM \"T\" AS t WHERE pk = 'x'",
        "UPDATE \"T\" t SET a = 3 WHERE pk = 'x'",
        "DELETE FROM \"T\" t WHERE pk = 'x'",
    ] {
        assert_eq!(message(text), "Aliasing is not supported", "{text}");
    }
}

#[test]
fn parameters_are_counted_in_order() {
    assert_eq!(parameter_count("SELECT * FROM T WHERE a = ? AND b = '?' AND c = ?"), 2);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("SELECT * FROM T WHERE {}1{}", "(".repeat(10_000), ")".repeat(10_000));
    assert!(parse(&deep).is_err());
    let nots = format!("SELECT * FROM T WHERE {} a = 1", "NOT ".repeat(10_000));
    assert!(parse(&nots).is_err());
    let lists = format!("INSERT INTO T VALUE {}", "[".repeat(10_000));
    assert!(parse(&lists).is_err());
}

#[test]
fn arbitrary_bytes_never_panic() {
    let samples = [
        "",
        ";",
        "?",
        "\"",
        "SELECT",
        "SELECT *",
        "UPDATE T SET",
        "UPDATE T SET a",
        "UPDATE T SET a =",
        "INSERT INTO T VALUE",
        "INSERT INTO T VALUE {",
        "INSERT INTO T VALUE {'a'",
        "INSERT INTO T VALUE {'a':",
        "SELECT * FROM T WHERE a[",
        "SELECT * FROM T WHERE a[99999999999999999999999]",
        "SELECT * FROM T WHERE a.",
        "EXISTS(",
        "EXISTS(SELECT",
        "SELECT * FROM T WHERE a BETWEEN",
        "SELECT * FROM T WHERE a BETWEEN 1 AND",
        "SELECT * FROM T WHERE a IN",
        "SELECT * FROM T WHERE a IN (",
        "UPDATE T SET a = 1 WHERE a = 1 RETURNING",
        "SELECT * FROM T WHERE - ",
        "SELECT * FROM T WHERE <<",
        "é",
        "SELECT * FROM T WHERE x = .5",
    ];
    for text in samples {
        let _ = parse(text);
    }
}
