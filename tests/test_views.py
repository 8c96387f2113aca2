import re

import pytest
from django.core import mail

from accounts.models import Organization, OrganizationStatus, User
from supervision.models import ReviewTask
from tests.conftest import web_as
from tests.factories import PASSWORD, add_documents, make_draft, make_submitted, make_user, open_task

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.mark.parametrize(
    ("persona", "landing"),
    [
        ("provider_a", "/organization/"),
        ("reviewer_bj", "/review/"),
        ("central_reviewer", "/review/"),
        ("supervisor", "/supervision/"),
        ("anonymous", None),
    ],
    indirect=["persona"],
)
def test_home_sends_each_role_to_its_start(persona, landing):
    response = web_as(persona).get("/")
    if landing is None:
        assert response.status_code == 200
        assert "算法备案" in response.content.decode()
    else:
        assert response.status_code == 302 and response["Location"] == landing


@pytest.mark.parametrize(
    ("persona", "path", "expected"),
    [
        ("provider_a", "/organization/", 200),
        ("provider_a", "/organization/members/", 200),
        ("provider_a", "/organization/changes/new/", 200),
        ("provider_a", "/review/", 404),
        ("provider_a", "/supervision/", 404),
        ("reviewer_bj", "/review/", 200),
        ("reviewer_bj", "/review/?tab=mine", 200),
        ("reviewer_bj", "/supervision/", 200),
        ("reviewer_gd", "/review/?tab=all", 200),
        ("central_reviewer", "/review/?tab=all", 200),
        ("supervisor", "/supervision/", 200),
        ("anonymous", "/organization/", 302),
        ("anonymous", "/review/", 302),
        ("anonymous", "/accounts/signup/", 200),
        ("anonymous", "/accounts/login/", 200),
        ("anonymous", "/accounts/password/reset/", 200),
    ],
    indirect=["persona"],
)
def test_pages_by_persona(persona, path, expected):
    assert web_as(persona).get(path).status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("provider_a", 200),
        ("provider_b", 404),
        ("reviewer_bj", 200),
        ("reviewer_gd", 404),
        ("central_reviewer", 200),
        ("supervisor", 200),
        ("anonymous", 302),
    ],
    indirect=["persona"],
)
def test_organisation_detail_by_persona(persona, expected, org_a):
    response = web_as(persona).get(f"/organizations/{org_a.pk}/")
    assert response.status_code == expected
    if expected == 200:
        html = response.content.decode()
        assert org_a.legal_rep_id_number not in html  # only the masked form is ever shown
        assert org_a.legal_rep_id_number[:4] + "**********" + org_a.legal_rep_id_number[-4:] in html


def test_every_page_has_a_strict_content_security_policy(provider_a):
    response = web_as(provider_a).get("/organization/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    html = response.content.decode()
    assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_pages_are_chinese_by_default_even_for_an_english_browser(provider_a):
    client = web_as(provider_a)
    response = client.get("/organization/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "zh-hans"
    assert "我的主体" in response.content.decode()


def test_the_language_switch_is_remembered_in_the_profile(provider_a):
    client = web_as(provider_a)
    response = client.post("/accounts/language/", {"language": "en", "next": "/organization/"})
    assert response.status_code == 302 and response["Location"] == "/organization/"
    assert "My organisation" in client.get("/organization/").content.decode()
    assert User.objects.get(id=provider_a.pk).language == "en"


def test_the_language_switch_refuses_foreign_redirects(provider_a):
    response = web_as(provider_a).post("/accounts/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signup_then_verify_email(reference_data):
    client = web_as(None)
    bad = client.post("/accounts/signup/", {"username": "new user", "email": "x", "password": "short"})
    assert bad.status_code == 400
    assert not User.objects.filter(email="x").exists()
    html = bad.content.decode()
    assert 'value="new user"' in html  # what was typed is kept
    ok = client.post("/accounts/signup/", {"username": "newbie", "email": "newbie@example.cn", "password": PASSWORD})
    assert ok.status_code == 302
    user = User.objects.get(username="newbie")
    assert user.email_verified_at is None
    from accounts.models import Notification

    link = Notification.objects.get(recipient=user).link
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is not None


def test_a_provider_drafts_uploads_and_submits_on_the_web(newcomer):
    from tests.factories import complete_data

    client = web_as(newcomer)
    data = {k: v for k, v in complete_data("110108").items()}
    data["uscc"] = "bad"
    response = client.post("/organization/new/", data)
    assert response.status_code == 400
    assert data["name"] in response.content.decode()  # nothing typed is lost
    data = complete_data("110108")
    assert client.post("/organization/new/", data).status_code == 302
    org = Organization.objects.get(created_by=newcomer)
    page = client.get("/organization/").content.decode()
    assert 'id="missing-items"' in page
    refused = client.post("/organization/submit/")
    assert refused.status_code == 400
    assert Organization.objects.get(id=org.pk).status == OrganizationStatus.DRAFT
    add_documents(org, newcomer)
    assert client.post("/organization/submit/").status_code == 302
    assert Organization.objects.get(id=org.pk).status == OrganizationStatus.SUBMITTED


def test_a_reviewer_claims_and_returns_on_the_web(reviewer_bj):
    org = make_submitted(make_user(), "110108")
    task = open_task(org)
    client = web_as(reviewer_bj)
    queue = client.get("/review/").content.decode()
    assert f"/review/tasks/{task.pk}/" in queue
    assert client.post(f"/review/tasks/{task.pk}/claim/").status_code == 302
    page = client.get(f"/review/tasks/{task.pk}/")
    assert 'id="decide"' in page.content.decode()
    missing_reasons = client.post(f"/review/tasks/{task.pk}/", {"decision": "return", "reasons": ""})
    assert missing_reasons.status_code == 400
    done = client.post(
        f"/review/tasks/{task.pk}/", {"decision": "return", "reasons": "材料不全", "item_address": "请核对"}
    )
    assert done.status_code == 302
    org.refresh_from_db()
    assert (org.status, org.return_item_reasons) == ("returned", {"address": "请核对"})
    provider_page = web_as(org.members.get()).get("/organization/").content.decode()
    assert "材料不全" in provider_page and "请核对" in provider_page


def test_queue_query_count_does_not_grow_with_rows(reviewer_bj, django_assert_max_num_queries):
    for _ in range(6):
        make_submitted(make_user(), "110108")
    client = web_as(reviewer_bj)
    # session, user, roles, unread count, office, one page of tasks, calendar overrides and years,
    # then the session's idle-expiry refresh (savepoint, update, release)
    with django_assert_max_num_queries(11):
        response = client.get("/review/?tab=all")
    assert response.content.decode().count("/review/tasks/") == 6


def test_supervisor_home_query_count(supervisor, django_assert_max_num_queries):
    for division in ("110108", "440305", "310104"):
        make_submitted(make_user(), division)
    make_draft(make_user(), "320102")
    client = web_as(supervisor)
    # session, user, roles, unread count, office, organisations by office and status, open tasks by
    # office, offices, and the session refresh (3)
    with django_assert_max_num_queries(11):
        response = client.get("/supervision/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="total-submitted"><a [^>]*status=submitted">3<', html)
    assert re.search(r'id="total-draft"><a [^>]*status=draft">1<', html)


def test_a_provincial_supervisor_sees_only_the_province(supervisor_gd):
    make_submitted(make_user(), "110108")
    make_submitted(make_user(), "440305")
    html = web_as(supervisor_gd).get("/supervision/").content.decode()
    assert re.search(r'id="total-submitted"><a [^>]*status=submitted">1<', html)


def test_password_reset_sends_a_link(provider_a):
    response = web_as(None).post("/accounts/password/reset/", {"email": provider_a.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and "/accounts/password/reset/" in mail.outbox[0].body


def test_login_lockout_page_is_429(provider_a, settings):
    client = web_as(None)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": provider_a.username, "password": "bad"})
    response = client.post("/accounts/login/", {"username": provider_a.username, "password": PASSWORD})
    assert response.status_code == 429


def test_reviewer_cannot_act_through_the_web_on_another_province(reviewer_gd):
    org = make_submitted(make_user(), "110108")
    task = open_task(org)
    assert web_as(reviewer_gd).post(f"/review/tasks/{task.pk}/claim/").status_code == 404
    assert ReviewTask.objects.get(id=task.pk).status == "open"


def test_the_admin_is_for_sysadmins_only(sysadmin, supervisor):
    assert web_as(sysadmin).get("/admin/").status_code == 200
    assert web_as(sysadmin).get("/admin/accounts/auditevent/").status_code == 200
    assert web_as(supervisor).get("/admin/").status_code == 302


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


def test_healthz_is_503_when_the_broker_is_unreachable(client, monkeypatch):
    from config.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
