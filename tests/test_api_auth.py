import pytest
from rest_framework.test import APIClient

from tests.conftest import api_as, token_client
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def _token(username, password, address="10.0.0.1", language="en"):
    client = APIClient(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE=language)
    return client.post("/api/v1/auth/token/", {"username": username, "password": password}, format="json")


def test_a_token_is_issued_for_good_credentials_and_works(newcomer):
    response = _token("newcomer", PASSWORD)
    assert response.status_code == 200
    me = APIClient(HTTP_AUTHORIZATION=f"Token {response.json()['token']}").get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "newcomer"


def test_wrong_credentials_get_the_same_answer_whether_or_not_the_user_exists(newcomer):
    wrong_password = _token("newcomer", "nope")
    no_such_user = _token("nobody", "nope")
    assert wrong_password.status_code == no_such_user.status_code == 400
    assert wrong_password.json() == no_such_user.json()


def test_repeated_failures_lock_that_username_from_that_address_only(newcomer, settings):
    other = make_user(username="other")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _token("newcomer", "bad", "10.0.0.9").status_code == 400
    locked = _token("newcomer", "bad", "10.0.0.9")
    assert locked.status_code == 429
    assert "detail" in locked.json() and locked.json()["retry_after"]
    assert int(locked["Retry-After"]) > 0
    # The right password from the locked pair is refused too...
    assert _token("newcomer", PASSWORD, "10.0.0.9").status_code == 429
    # ...but the same user from another address, and other users from this one, are unaffected.
    assert _token("newcomer", PASSWORD, "10.0.0.10").status_code == 200
    assert _token(other.username, PASSWORD, "10.0.0.9").status_code == 200


def test_lockout_message_follows_accept_language(newcomer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _token("newcomer", "bad", "10.0.0.7")
    zh = _token("newcomer", "bad", "10.0.0.7", language="zh-hans")
    assert zh.status_code == 429
    assert "登录" in zh.json()["detail"] or "尝试" in zh.json()["detail"]


def test_me_describes_roles_organisation_and_office(provider_a, reviewer_gd):
    me = token_client(provider_a).get("/api/v1/me/").json()
    assert me["roles"] == ["provider_admin"]
    assert me["organization"]["status"] == "approved" and me["office"] is None
    staff = token_client(reviewer_gd).get("/api/v1/me/").json()
    assert staff["roles"] == ["reviewer"] and staff["organization"] is None
    assert staff["office"]["code"] == "440000"


def test_me_needs_authentication():
    assert api_as(None).get("/api/v1/me/").status_code == 401


def test_openapi_schema_and_docs_are_served_locally(newcomer):
    client = api_as(newcomer)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/organizations/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html.replace(" ", "")  # no inline script: CSP script-src 'self'
    assert "cdn" not in html.lower()
