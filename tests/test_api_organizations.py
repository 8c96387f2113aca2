import pytest

from accounts.demo import sample_pdf_bytes, sample_upload
from accounts.models import IdempotencyKey, Organization, OrganizationAttachment
from supervision.models import ReviewTask
from tests.conftest import api_as, token_client
from tests.factories import complete_data, make_draft, make_resident_id, make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def _payload(division="110108"):
    flat = complete_data(division)
    return {
        "name": flat["name"],
        "uscc": flat["uscc"],
        "entity_type": "enterprise",
        "registered_division_code": division,
        "address": flat["address"],
        "website": flat["website"],
        "monthly_active_users": 120000,
        "legal_representative": {"name": "张三", "id_type": "resident_id", "id_number": make_resident_id()},
        "security_officer": {
            "name": "李四",
            "id_type": "resident_id",
            "id_number": make_resident_id(serial="456"),
            "mobile": "13800138000",
            "email": "sec@example.cn",
        },
    }


def test_create_returns_a_draft_with_its_province_and_masked_ids(newcomer):
    response = api_as(newcomer).post("/api/v1/organizations/", _payload("440305"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["province_code"], body["office"]["code"]) == ("draft", "44", "440000")
    assert (
        body["legal_representative"]["id_number"].startswith("1101")
        and "*" in body["legal_representative"]["id_number"]
    )
    assert body["version"] >= 1


def test_invalid_credit_code_is_a_400_on_uscc_in_the_callers_language(newcomer):
    data = {**_payload(), "uscc": "91440300708461136X"}
    response = api_as(newcomer, "zh-hans").post("/api/v1/organizations/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["uscc"]
    en = api_as(newcomer, "en").post("/api/v1/organizations/", data, format="json")
    assert "check character" in en.json()["uscc"][0]
    assert not Organization.objects.exists()


def test_nested_errors_use_dotted_names(newcomer):
    data = _payload()
    data["legal_representative"]["id_number"] = "110108199201011230"  # wrong check digit
    data["security_officer"]["mobile"] = "123"
    response = api_as(newcomer).post("/api/v1/organizations/", data, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"legal_representative.id_number", "security_officer.mobile"}


def test_patch_keeps_omitted_ids_refuses_masked_ones_and_checks_the_version(newcomer):
    client = api_as(newcomer)
    created = client.post("/api/v1/organizations/", _payload(), format="json").json()
    url = f"/api/v1/organizations/{created['id']}/"
    masked = created["legal_representative"]["id_number"]
    bad = client.patch(url, {"legal_representative": {"id_number": masked}}, format="json")
    assert bad.status_code == 400 and "legal_representative.id_number" in bad.json()
    ok = client.patch(url, {"address": "新地址", "version": created["version"]}, format="json")
    assert ok.status_code == 200
    assert ok.json()["legal_representative"]["id_number"] == masked
    stale = client.patch(url, {"address": "旧", "version": created["version"]}, format="json")
    assert stale.status_code == 409 and "detail" in stale.json()
    assert Organization.objects.get(id=created["id"]).address == "新地址"


def test_attachments_submit_and_review_task(newcomer):
    client = api_as(newcomer)
    org_id = client.post("/api/v1/organizations/", _payload(), format="json").json()["id"]
    missing = client.post(f"/api/v1/organizations/{org_id}/submit/")
    assert missing.status_code == 400
    assert set(missing.json()) == {"attachments.business_licence", "attachments.commitment_letter"}
    for kind in ("business_licence", "commitment_letter"):
        response = client.post(
            f"/api/v1/organizations/{org_id}/attachments/", {"kind": kind, "file": sample_upload()}, format="multipart"
        )
        assert response.status_code == 201
        assert set(response.json()) >= {"id", "kind", "filename", "size", "sha256"}
    wrong = client.post(
        f"/api/v1/organizations/{org_id}/attachments/",
        {"kind": "business_licence", "file": sample_upload("a.pdf", b"not a pdf")},
        format="multipart",
    )
    assert wrong.status_code == 400 and "file" in wrong.json()
    assert OrganizationAttachment.objects.count() == 2
    submitted = client.post(f"/api/v1/organizations/{org_id}/submit/")
    assert submitted.status_code == 200 and submitted.json() == {"status": "submitted"}
    assert ReviewTask.objects.filter(subject_id=org_id, status="open").count() == 1


def test_idempotency_key_returns_the_first_result(newcomer):
    client = api_as(newcomer)
    first = client.post("/api/v1/organizations/", _payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/organizations/", _payload(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Organization.objects.count() == 1


def test_an_idempotent_request_that_failed_can_be_retried(newcomer):
    client = api_as(newcomer)
    bad = client.post("/api/v1/organizations/", {**_payload(), "uscc": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert bad.status_code == 400
    assert not IdempotencyKey.objects.exists()
    good = client.post("/api/v1/organizations/", _payload(), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 201


@pytest.mark.parametrize(
    ("persona", "get_status", "patch_status"),
    [
        ("provider_a", 200, 409),  # own, but approved: changes are filed instead
        ("provider_b", 404, 404),
        ("reviewer_bj", 200, 403),
        ("reviewer_gd", 404, 404),
        ("central_reviewer", 200, 403),
        ("supervisor", 200, 403),
        ("anonymous", 401, 401),
    ],
    indirect=["persona"],
)
def test_who_sees_and_edits_organisation_a(persona, get_status, patch_status, org_a):
    client = api_as(persona)
    url = f"/api/v1/organizations/{org_a.pk}/"
    assert client.get(url).status_code == get_status
    assert client.patch(url, {"address": "改"}, format="json").status_code == patch_status
    org_a.refresh_from_db()
    assert org_a.address != "改"


def test_a_draft_cannot_be_edited_by_a_reviewer(reviewer_bj):
    provider = make_user()
    org = make_draft(provider)
    response = api_as(reviewer_bj).patch(f"/api/v1/organizations/{org.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403


def test_list_is_scoped_and_has_a_fixed_number_of_queries(provider_a, org_b, reviewer_gd, django_assert_num_queries):
    for _ in range(3):
        make_draft(make_user(), "440305")
    client = token_client(reviewer_gd)
    # token + user, the user's roles, the user's office, one page of organisations with their offices
    with django_assert_num_queries(4):
        response = client.get("/api/v1/organizations/")
    names = {row["name"] for row in response.json()["results"]}
    assert org_b.name in names and len(names) == 4
    assert api_as(provider_a).get("/api/v1/organizations/").json()["results"][0]["id"] == provider_a.organization_id


def test_organisation_changes_are_filed_and_reviewed(provider_a, org_a, reviewer_bj):
    client = api_as(provider_a)
    url = f"/api/v1/organizations/{org_a.pk}/changes/"
    response = client.post(
        url, {"change_date": "2026-11-01", "summary": "迁址", "address": "北京市海淀区新址2号"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["proposed"] == {"address": "北京市海淀区新址2号"}
    assert (
        client.post(url, {"change_date": "2026-11-01", "summary": "再改", "address": "x"}, format="json").status_code
        == 409
    )
    task = ReviewTask.objects.get(subject_type="organization_change", status="open")
    reviewer = api_as(reviewer_bj)
    assert reviewer.post(f"/api/v1/review/tasks/{task.pk}/claim/").status_code == 200
    decided = reviewer.post(f"/api/v1/review/tasks/{task.pk}/decide/", {"decision": "approve"}, format="json")
    assert decided.status_code == 200
    assert decided.json()["subject"] == {"type": "organization_change", "id": task.subject_id, "status": "approved"}
    org_a.refresh_from_db()
    assert org_a.address == "北京市海淀区新址2号"


def test_uploads_over_the_limit_are_400(newcomer, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    org = make_draft(newcomer)
    response = api_as(newcomer).post(
        f"/api/v1/organizations/{org.pk}/attachments/",
        {"kind": "business_licence", "file": sample_upload("a.pdf", sample_pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()
