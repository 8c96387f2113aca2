import pytest

from accounts.demo import sample_upload
from filings.models import Filing
from supervision.models import ReviewTask
from supervision.services.review import task_claim, task_decide
from tests.conftest import api_as, token_client
from tests.factories import filing_data, make_filing_approved, make_filing_draft, make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def _create(client, **overrides):
    data = {**filing_data(**overrides), "kind": "algorithm"}
    return client.post("/api/v1/filings/", data, format="json")


def _upload_documents(client, filing_id):
    for kind in ("self_assessment_report", "commitment"):
        response = client.post(
            f"/api/v1/filings/{filing_id}/attachments/", {"kind": kind, "file": sample_upload()}, format="multipart"
        )
        assert response.status_code == 201, response.json()


def test_create_patch_submit_through_the_api(provider_a, time_machine):
    time_machine.move_to("2026-02-27 10:00:00+08:00")
    client = api_as(provider_a)
    created = _create(client, launch_date="2026-02-10")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["filing_number"], body["tier"]) == ("draft", None, None)
    assert body["current_version"] == {"number": 1, "status": "draft", "purpose": "initial"}
    url = f"/api/v1/filings/{body['id']}/"
    patched = client.patch(url, {"application_field": "资讯", "version": body["version"]}, format="json")
    assert patched.status_code == 200 and patched.json()["version"] > body["version"]
    stale = client.patch(url, {"application_field": "旧", "version": body["version"]}, format="json")
    assert stale.status_code == 409
    _upload_documents(client, body["id"])
    submitted = client.post(url + "submit/")
    assert submitted.status_code == 200, submitted.json()
    result = submitted.json()
    assert result["status"] == "submitted"
    assert (result["filing_due"], result["filing_late"], result["deadline_provisional"]) == ("2026-03-02", False, False)
    assert result["decision_due"]


def test_invalid_values_are_400_by_field_and_nothing_is_saved(provider_a):
    client = api_as(provider_a)
    bad = _create(client, launch_date="2026-02-30", monthly_active_users="lots", algorithm_type="magic")
    assert bad.status_code == 400
    assert {"launch_date", "monthly_active_users", "algorithm_type"} <= set(bad.json())
    assert not Filing.objects.exists()
    product = filing_data()["products"][0] | {"service_form": "fax"}
    bad_product = _create(client, products=[product])
    assert "products.0.service_form" in bad_product.json()


def test_retrieval_filtering_sends_filtering_as_a_boolean(provider_a):
    response = _create(api_as(provider_a), algorithm_type="retrieval_filtering", filtering=True)
    assert response.status_code == 201
    assert response.json()["filtering"] is True


def test_submit_lists_every_missing_item(provider_a):
    client = api_as(provider_a)
    filing_id = client.post("/api/v1/filings/", {"kind": "algorithm", "name": "草稿"}, format="json").json()["id"]
    response = client.post(f"/api/v1/filings/{filing_id}/submit/")
    assert response.status_code == 400
    assert {"algorithm_type", "role", "attachments.commitment"} <= set(response.json())


def test_submitting_for_an_unapproved_organisation_is_403(reference_data):
    from tests.factories import add_filing_documents, make_draft

    user = make_user()
    make_draft(user)
    user.refresh_from_db()
    filing = make_filing_draft(user)
    add_filing_documents(filing.pk, user)
    assert api_as(user).post(f"/api/v1/filings/{filing.pk}/submit/").status_code == 403


def test_identical_resubmission_is_400(provider_a, reviewer_bj):
    client = api_as(provider_a)
    filing_id = _create(client).json()["id"]
    _upload_documents(client, filing_id)
    client.post(f"/api/v1/filings/{filing_id}/submit/")
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing_id)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="补正")
    again = client.post(f"/api/v1/filings/{filing_id}/submit/")
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_change_versions_and_diff(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    client = api_as(provider_a)
    opened = client.post(
        f"/api/v1/filings/{filing.pk}/changes/", {"change_date": str(filing.approved_at.date()), "summary": "调整策略"}
    )
    assert opened.status_code == 201 and opened.json()["number"] == 2
    detail = client.get(f"/api/v1/filings/{filing.pk}/").json()
    assert detail["status"] == "approved" and detail["filing_number"] == filing.filing_number
    client.patch(
        f"/api/v1/filings/{filing.pk}/",
        {"strategy": "召回、排序，新增多样性打散。", "application_field": "资讯与视频", "version": detail["version"]},
        format="json",
    )
    diff = client.get(f"/api/v1/filings/{filing.pk}/diff/?from=1&to=2").json()["changes"]
    by_field = {c["field"]: c for c in diff}
    assert by_field["strategy"]["material"] is True and by_field["application_field"]["material"] is False
    assert by_field["strategy"]["after"] == "召回、排序，新增多样性打散。"
    versions = client.get(f"/api/v1/filings/{filing.pk}/versions/").json()
    assert [v["number"] for v in versions] == [1, 2]
    assert client.post(f"/api/v1/filings/{filing.pk}/submit/").status_code == 200


def test_cancel_and_withdraw(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    client = api_as(provider_a)
    response = client.post(
        f"/api/v1/filings/{filing.pk}/cancel/",
        {"termination_date": str(filing.approved_at.date()), "arrangements": "停止服务并删除数据"},
    )
    assert response.status_code == 201 and response.json()["late"] is False
    assert client.post(f"/api/v1/filings/{filing.pk}/withdraw/").status_code == 200
    assert Filing.objects.get(id=filing.pk).status == "approved"
    assert not ReviewTask.objects.filter(subject_type="cancellation", status="open").exists()


def test_idempotent_create(provider_a):
    client = api_as(provider_a)
    data = {**filing_data(), "kind": "algorithm"}
    first = client.post("/api/v1/filings/", data, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    second = client.post("/api/v1/filings/", data, format="json", HTTP_IDEMPOTENCY_KEY="abc")
    assert first.json()["id"] == second.json()["id"] and Filing.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "detail", "patch"),
    [
        ("provider_a", 200, 200),
        ("provider_b", 404, 404),
        ("reviewer_bj", 200, 403),
        ("reviewer_gd", 404, 404),
        ("central_reviewer", 200, 403),
        ("supervisor", 200, 403),
        ("anonymous", 401, 401),
    ],
    indirect=["persona"],
)
def test_who_sees_and_edits_a_draft_of_provider_a(persona, detail, patch, provider_a):
    filing = make_filing_draft(provider_a)
    client = api_as(persona)
    assert client.get(f"/api/v1/filings/{filing.pk}/").status_code == detail
    response = client.patch(f"/api/v1/filings/{filing.pk}/", {"name": "被改"}, format="json")
    assert response.status_code == patch
    if patch != 200:
        assert Filing.objects.get(id=filing.pk).name != "被改"
    listed = client.get("/api/v1/filings/")
    if listed.status_code == 200:
        assert (filing.pk in [row["id"] for row in listed.json()["results"]]) is (detail == 200)


def test_list_query_count(provider_a, django_assert_num_queries):
    for index in range(4):
        make_filing_draft(provider_a, name=f"算法{index}")
    client = token_client(provider_a)
    # token + user, roles, one page of filings joined to their organisation
    with django_assert_num_queries(3):
        response = client.get("/api/v1/filings/")
    assert len(response.json()["results"]) == 4
