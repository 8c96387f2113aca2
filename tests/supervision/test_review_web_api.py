import pytest

from filings.models import Filing
from supervision.models import ConflictOfInterest, Notice, ReviewTask, TierPolicy
from supervision.services.review import task_claim
from tests.conftest import api_as, token_client, web_as
from tests.factories import make_filing_approved, make_filing_submitted, make_staff

pytestmark = pytest.mark.usefixtures("reference_data")


def _active(filing):
    return ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status__in=["open", "claimed"])


def test_the_task_page_explains_the_tier_and_the_reviewer_may_override(provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a, monthly_active_users=1_000_000)
    task = _active(filing)
    client = web_as(reviewer_bj)
    client.post(f"/review/tasks/{task.pk}/claim/")
    html = client.get(f"/review/tasks/{task.pk}/").content.decode()
    assert 'id="tier"' in html and "本系统默认" in html
    client.post(f"/review/tasks/{task.pk}/tier/", {"tier": "4", "reason": "涉及公共安全"})
    filing.refresh_from_db()
    assert (filing.tier, filing.policy_tier, filing.tier_override_reason) == (4, 2, "涉及公共安全")
    refused = client.post(f"/review/tasks/{task.pk}/tier/", {"tier": "1", "reason": ""})
    assert refused.status_code == 302
    assert Filing.objects.get(id=filing.pk).tier == 4


def test_the_queue_filters_by_tier_stage_and_type_and_orders_by_the_statutory_deadline(provider_a, reviewer_bj):
    make_filing_submitted(provider_a, name="一级算法")
    make_filing_submitted(provider_a, name="二级算法", monthly_active_users=1_000_000)
    make_filing_submitted(provider_a, name="排序算法", algorithm_type="sorting_selection")
    client = web_as(reviewer_bj)
    tier2 = client.get("/review/?tab=all&tier=2").content.decode()
    assert "二级算法" in tier2 and "一级算法" not in tier2
    sorting = client.get("/review/?tab=all&algorithm_type=sorting_selection").content.decode()
    assert "排序算法" in sorting and "二级算法" not in sorting
    rows = api_as(reviewer_bj).get("/api/v1/review/tasks/?subject_type=filing").json()["results"]
    dues = [(row["decision_due"], row["id"]) for row in rows]
    assert dues == sorted(dues)
    assert api_as(reviewer_bj).get("/api/v1/review/tasks/?tier=2").json()["results"][0]["tier"] == 2


def test_queue_query_count(reviewer_bj, provider_a, django_assert_max_num_queries):
    for index in range(5):
        make_filing_submitted(provider_a, name=f"算法{index}")
    client = web_as(reviewer_bj)
    # session, user, roles, unread count, office, one page of tasks (joined), calendar overrides and
    # years, session refresh (3)
    with django_assert_max_num_queries(11):
        response = client.get("/review/?tab=all")
    assert response.content.decode().count("/review/tasks/") == 5


@pytest.mark.parametrize(
    ("persona", "listed", "decide"),
    [
        ("provider_a", 404, 404),
        ("provider_b", 404, 404),
        ("reviewer_bj", 200, 200),
        ("reviewer_gd", 200, 404),
        ("central_reviewer", 200, 403),
        ("supervisor", 200, 403),
        ("anonymous", 401, 401),
    ],
    indirect=["persona"],
)
def test_decision_endpoint_by_persona(persona, listed, decide, provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a)
    task = _active(filing)
    if persona is not None and persona.username == "reviewer_bj":
        task_claim(task_id=task.pk, actor=reviewer_bj)
    client = api_as(persona)
    assert client.get("/api/v1/review/tasks/").status_code == listed
    response = client.post(f"/api/v1/review/tasks/{task.pk}/decide/", {"decision": "approve"}, format="json")
    assert response.status_code == decide
    filing.refresh_from_db()
    if decide == 200:
        assert filing.status == "approved" and filing.filing_number
    else:
        assert filing.status in {"submitted", "in_review"} and filing.filing_number is None


def test_notices_page_and_pdf(provider_a, reviewer_bj, provider_b):
    filing = make_filing_approved(provider_a, reviewer_bj)
    approval = Notice.objects.get(filing=filing, kind="approval")
    page = web_as(provider_a).get(f"/notices/{approval.reference}/")
    assert page.status_code == 200 and filing.filing_number in page.content.decode()
    pdf = web_as(provider_a).get(f"/notices/{approval.reference}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-") and pdf["Content-Type"] == "application/pdf"
    assert web_as(provider_b).get(f"/notices/{approval.reference}/").status_code == 404
    listed = api_as(provider_a).get(f"/api/v1/filings/{filing.pk}/notices/").json()
    assert [n["kind"] for n in listed] == ["receipt", "approval"]


def test_regulator_revocation_and_cancellation(provider_a, reviewer_bj, reviewer_gd):
    filing = make_filing_approved(provider_a, reviewer_bj)
    other = make_filing_approved(provider_a, reviewer_bj, name="第二个")
    denied = api_as(reviewer_gd).post(
        f"/api/v1/filings/{filing.pk}/end/", {"action": "revoke", "reasons": "x"}, format="json"
    )
    assert denied.status_code == 404
    provider = api_as(provider_a).post(
        f"/api/v1/filings/{filing.pk}/end/", {"action": "revoke", "reasons": "x"}, format="json"
    )
    assert provider.status_code == 403
    assert Filing.objects.get(id=filing.pk).status == "approved"
    done = api_as(reviewer_bj).post(
        f"/api/v1/filings/{filing.pk}/end/", {"action": "revoke", "reasons": "材料虚假"}, format="json"
    )
    assert done.json() == {"status": "revoked"}
    web = web_as(reviewer_bj).post(f"/review/filings/{other.pk}/end/", {"action": "cancel", "reasons": "已停止服务"})
    assert web.status_code == 302 and Filing.objects.get(id=other.pk).status == "cancelled"


def test_conflicts_page(reviewer_bj, provider_a):
    client = web_as(reviewer_bj)
    assert client.get("/review/conflicts/").status_code == 200
    client.post("/review/conflicts/", {"organization": provider_a.organization_id, "reason": "曾任顾问"})
    assert ConflictOfInterest.objects.filter(reviewer=reviewer_bj).count() == 1
    assert web_as(provider_a).get("/review/conflicts/").status_code == 404


def test_reassignment_through_the_api(provider_a, reviewer_bj, reviewer_bj2, supervisor):
    filing = make_filing_submitted(provider_a)
    task = _active(filing)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    response = token_client(supervisor).post(
        f"/api/v1/review/tasks/{task.pk}/reassign/", {"to": reviewer_bj2.pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"] == "reviewer_bj2"
    assert (
        api_as(reviewer_bj)
        .post(f"/api/v1/review/tasks/{task.pk}/reassign/", {"to": reviewer_bj.pk}, format="json")
        .status_code
        == 403
    )


def test_the_tier_policy_page_previews_and_saves_for_central_supervisors_only(
    provider_a, supervisor, supervisor_gd, time_machine
):
    time_machine.move_to("2026-11-28 10:00:00+08:00")
    make_filing_submitted(provider_a)
    current = TierPolicy.objects.get()
    form = {
        f"p_{f}_{v}": p
        for f in ("public_opinion", "content_category", "data_importance", "intervention_level")
        for v, p in current.points[f].items()
    }
    for index, (minimum, points) in enumerate(current.points["monthly_active_users"]):
        form |= {f"band_min_{index}": minimum, f"band_points_{index}": points}
    form |= {
        "threshold_2": 3,
        "threshold_3": 7,
        "threshold_4": 10,
        "effective_from": "2026-12-01",
        "floors": "data_importance=core:4",
        "note": "更严格",
    }
    preview = web_as(supervisor).post("/supervision/tier-policy/", {**form, "action": "preview"})
    html = preview.content.decode()
    assert 'id="policy-preview"' in html and "1" in html
    assert TierPolicy.objects.count() == 1
    web_as(supervisor_gd).post("/supervision/tier-policy/", {**form, "action": "save"})
    assert TierPolicy.objects.count() == 1
    saved = web_as(supervisor).post("/supervision/tier-policy/", {**form, "action": "save"})
    assert saved.status_code == 302
    new = TierPolicy.objects.get(version=2)
    assert new.thresholds == [3, 7, 10] and new.floors == [{"factor": "data_importance", "value": "core", "tier": 4}]
    bad = web_as(supervisor).post("/supervision/tier-policy/", {**form, "threshold_2": 9, "action": "save"})
    assert bad.status_code == 400 and TierPolicy.objects.count() == 2


def test_a_filing_of_every_tier_reaches_approval(provider_a, reviewer_bj, reviewer_bj2):
    for index in range(3):
        make_staff(f"central_{index + 1}", "senior_reviewer", "000000")
    for overrides in (
        {},
        {"monthly_active_users": 1_000_000},
        {"data_importance": "important"},
        {"data_importance": "core"},
    ):
        filing = make_filing_approved(provider_a, reviewer_bj, name=f"算法{overrides}", **overrides)
        assert filing.status == "approved" and filing.filing_number
    stages = set(ReviewTask.objects.filter(subject_type="filing").values_list("stage", flat=True))
    assert stages == {"provincial_review", "provincial_decision", "central_review", "consultation"}


def test_reasons_per_item_reach_the_provider_with_links_to_fix_them(provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a)
    task = _active(filing)
    client = web_as(reviewer_bj)
    client.post(f"/review/tasks/{task.pk}/claim/")
    client.post(
        f"/review/tasks/{task.pk}/",
        {
            "decision": "return",
            "reasons": "请补正",
            "item_strategy": "策略描述过于简略",
            "item_attachments.commitment": "未盖章",
        },
    )
    filing.refresh_from_db()
    assert filing.return_item_reasons == {"strategy": "策略描述过于简略", "attachments.commitment": "未盖章"}
    html = web_as(provider_a).get(f"/filings/{filing.pk}/").content.decode()
    assert "策略描述过于简略" in html and f"/filings/{filing.pk}/edit/detail/" in html
    assert f"/filings/{filing.pk}/edit/documents/" in html
