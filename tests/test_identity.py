"""IAM users and access keys, STS identity and session tokens, and how the
gateway authenticates with them in permissive and strict mode."""


from awserrors import refused


def test_root_identity(server):
    who = server.client("sts").get_caller_identity()
    assert who["Account"] == "000000000000"
    assert who["Arn"] == "arn:aws:iam::000000000000:root"
    assert who["UserId"] == "000000000000"


def test_twelve_digit_key_selects_the_account(server):
    who = server.client("sts", key=("123456789012", "anything")).get_caller_identity()
    assert who["Account"] == "123456789012"
    assert who["Arn"] == "arn:aws:iam::123456789012:root"


def test_user_lifecycle(server):
    server.reset()
    iam = server.client("iam")
    user = iam.create_user(UserName="alice", Path="/team/")["User"]
    assert user["Arn"] == "arn:aws:iam::000000000000:user/team/alice"
    assert user["UserId"].startswith("AIDA") and len(user["UserId"]) == 21
    assert iam.get_user(UserName="alice")["User"]["UserId"] == user["UserId"]
    assert refused(lambda: iam.create_user(UserName="ALICE")) == ("EntityAlreadyExists", 409)
    iam.create_user(UserName="bob")
    names = [u["UserName"] for u in iam.list_users()["Users"]]
    assert names == ["alice", "bob"]
    assert [u["UserName"] for u in iam.list_users(PathPrefix="/team/")["Users"]] == ["alice"]
    page = iam.list_users(MaxItems=1)
    assert page["IsTruncated"] and len(page["Users"]) == 1
    rest = iam.list_users(Marker=page["Marker"])
    assert [u["UserName"] for u in rest["Users"]] == ["bob"]
    iam.delete_user(UserName="bob")
    assert refused(lambda: iam.get_user(UserName="bob")) == ("NoSuchEntity", 404)


def test_access_keys_authenticate_as_their_user_in_every_mode(server, start):
    for box in (server, start(auth="strict")):
        box.reset()
        iam = box.client("iam")
        iam.create_user(UserName="carol")
        key = iam.create_access_key(UserName="carol")["AccessKey"]
        assert key["AccessKeyId"].startswith("AKIA") and len(key["SecretAccessKey"]) == 40
        assert key["Status"] == "Active"
        creds = (key["AccessKeyId"], key["SecretAccessKey"])
        who = box.client("sts", key=creds).get_caller_identity()
        assert who["Arn"] == "arn:aws:iam::000000000000:user/carol"
        assert who["UserId"] == iam.get_user(UserName="carol")["User"]["UserId"]
        # A known key with the wrong secret is refused, whatever the mode.
        bad = box.client("sts", key=(key["AccessKeyId"], "wrong" * 8))
        assert refused(bad.get_caller_identity) == ("SignatureDoesNotMatch", 403)
        listed = iam.list_access_keys(UserName="carol")["AccessKeyMetadata"]
        assert [k["AccessKeyId"] for k in listed] == [key["AccessKeyId"]]
        iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Inactive")
        assert refused(box.client("sts", key=creds).get_caller_identity) == ("InvalidClientTokenId", 403)
        iam.update_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"], Status="Active")
        assert box.client("sts", key=creds).get_caller_identity()["Arn"].endswith("user/carol")
        assert refused(lambda: iam.delete_user(UserName="carol")) == ("DeleteConflict", 409)
        iam.delete_access_key(UserName="carol", AccessKeyId=key["AccessKeyId"])
        if box is not server:  # strict: a deleted key is an unknown key
            assert refused(box.client("sts", key=creds).get_caller_identity) == ("InvalidClientTokenId", 403)
        iam.delete_user(UserName="carol")


def test_at_most_two_keys_per_user(server):
    server.reset()
    iam = server.client("iam")
    iam.create_user(UserName="dave")
    iam.create_access_key(UserName="dave")
    iam.create_access_key(UserName="dave")
    assert refused(lambda: iam.create_access_key(UserName="dave")) == ("LimitExceeded", 409)


def test_strict_mode_rejections(start):
    box = start(auth="strict")
    unknown = box.client("sts", key=("AKIAUNKNOWNKEY000000", "secret"))
    assert refused(unknown.get_caller_identity) == ("InvalidClientTokenId", 403)
    wrong_secret = box.client("sts", key=("test", "not-the-secret"))
    assert refused(wrong_secret.get_caller_identity) == ("SignatureDoesNotMatch", 403)
    assert box.client("sts").get_caller_identity()["Account"] == "000000000000"


def test_strict_mode_refuses_skewed_clocks(start):
    import datetime
    import unittest.mock
    box = start(auth="strict")
    sts = box.client("sts")
    skewed = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=20)
    with unittest.mock.patch("botocore.auth.get_current_datetime", return_value=skewed.replace(tzinfo=None)):
        code, status = refused(sts.get_caller_identity)
    assert status in (400, 403)
    assert code in ("RequestTimeTooSkewed", "SignatureDoesNotMatch")


def test_strict_mode_refuses_unsigned_requests(start):
    import urllib.request
    box = start(auth="strict")
    request = urllib.request.Request(box.endpoint + "/", data=b"Action=GetCallerIdentity&Version=2011-06-15",
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("unsigned request accepted in strict mode")
    except urllib.error.HTTPError as e:
        assert e.code == 403
        assert b"MissingAuthenticationToken" in e.read()


def test_session_tokens_expire_on_cloudbox_clock(server):
    server.reset()
    iam = server.client("iam")
    iam.create_user(UserName="erin")
    key = iam.create_access_key(UserName="erin")["AccessKey"]
    user_sts = server.client("sts", key=(key["AccessKeyId"], key["SecretAccessKey"]))
    temporary = user_sts.get_session_token(DurationSeconds=900)["Credentials"]
    assert temporary["AccessKeyId"].startswith("ASIA")
    creds = (temporary["AccessKeyId"], temporary["SecretAccessKey"])
    session = server.client("sts", key=creds, token=temporary["SessionToken"])
    assert session.get_caller_identity()["Arn"] == "arn:aws:iam::000000000000:user/erin"
    without_token = server.client("sts", key=creds)
    assert refused(without_token.get_caller_identity)[1] in (400, 403)
    server.advance(901)
    assert refused(session.get_caller_identity)[0] == "ExpiredToken"


def test_validation_errors_name_the_member(server):
    iam = server.client("iam", parameter_validation=False)
    code, status = refused(lambda: iam.create_user())
    assert (code, status) == ("ValidationError", 400)
    code, status = refused(lambda: iam.create_user(UserName="has space"))
    assert (code, status) == ("ValidationError", 400)


def test_cli_round_trip(server):
    server.reset()
    created = server.aws("iam", "create-user", "--user-name", "frank")
    assert created["User"]["UserName"] == "frank"
    keys = server.aws("iam", "create-access-key", "--user-name", "frank")["AccessKey"]
    who = server.aws("sts", "get-caller-identity", key=(keys["AccessKeyId"], keys["SecretAccessKey"]))
    assert who["Arn"] == "arn:aws:iam::000000000000:user/frank"
    failed = server.aws("iam", "get-user", "--user-name", "nobody", check=False)
    assert failed.returncode != 0 and "NoSuchEntity" in failed.stderr


def test_long_expired_sessions_are_swept_away(start):
    box = start(auth="strict")
    temporary = box.client("sts").get_session_token(DurationSeconds=900)["Credentials"]
    session = box.client("sts", key=(temporary["AccessKeyId"], temporary["SecretAccessKey"]),
                         token=temporary["SessionToken"])
    box.advance(901)
    assert refused(session.get_caller_identity)[0] == "ExpiredToken"
    box.advance(86_400)  # past the retention period: the scheduler deletes the session
    assert refused(session.get_caller_identity) == ("InvalidClientTokenId", 403)
