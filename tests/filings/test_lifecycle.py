import pytest
from django.db import transaction
from django.db.utils import ProgrammingError

from accounts.errors import ActionForbidden, Conflict, StaleVersion, ValidationFailed
from filings import numbers
from filings.models import Filing, FilingVersion
from filings.services.changes import filing_cancel_request, filing_change_open
from filings.services.drafts import filing_create, filing_save
from filings.services.submission import filing_submit, filing_withdraw
from supervision.models import ReviewTask
from supervision.services.review import task_claim, task_decide
from tests.factories import (
    add_filing_documents,
    filing_data,
    make_draft,
    make_filing_approved,
    make_filing_draft,
    make_filing_submitted,
    make_user,
)

pytestmark = pytest.mark.usefixtures("reference_data")


def _task(subject_type, subject_id):
    return ReviewTask.objects.get(subject_type=subject_type, subject_id=subject_id, status__in=["open", "claimed"])


def test_submission_freezes_a_version_and_computes_the_deadlines(provider_a, time_machine):
    time_machine.move_to("2026-02-27 10:00:00+08:00")
    filing = make_filing_submitted(provider_a, launch_date="2026-02-10")
    version = filing.versions.get()
    assert (filing.status, version.status, version.frozen) == ("submitted", "submitted", True)
    assert str(filing.filing_due) == "2026-03-02" and filing.filing_late is False
    assert filing.decision_due is not None and filing.deadline_provisional is False
    assert set(version.attachments) == {"self_assessment_report", "commitment"}
    assert len(version.content_hash) == 64
    task = _task("filing", filing.pk)
    assert (task.office.code, task.decision_due) == ("110000", filing.decision_due)


def test_a_late_filing_is_accepted_and_flagged(provider_a, time_machine):
    time_machine.move_to("2026-03-03 09:00:00+08:00")  # the deadline ended at 24:00 on 2026-03-02
    filing = make_filing_submitted(provider_a, launch_date="2026-02-10")
    assert (filing.status, filing.filing_late) == ("submitted", True)


def test_a_deadline_in_an_unknown_year_is_provisional(provider_a, time_machine):
    time_machine.move_to("2026-12-20 10:00:00+08:00")
    filing = make_filing_submitted(provider_a, launch_date="2026-12-18")
    assert filing.deadline_provisional is True


def test_frozen_versions_cannot_be_edited_even_by_sql(provider_a):
    filing = make_filing_submitted(provider_a)
    version = filing.versions.get()
    with pytest.raises(ProgrammingError), transaction.atomic():
        FilingVersion.objects.filter(id=version.pk).update(data={"name": "tampered"})
    version.refresh_from_db()
    assert version.data["name"] == "资讯个性化推荐算法"


def test_submission_lists_every_problem_and_changes_nothing(provider_a):
    result = filing_create(actor=provider_a, data={"name": "半成品", "algorithm_type": "retrieval_filtering"})
    with pytest.raises(ValidationFailed) as exc:
        filing_submit(filing_id=result.filing.pk, actor=provider_a)
    errors = exc.value.errors
    assert {
        "filtering",
        "role",
        "launch_date",
        "introduction",
        "disclosure_purpose",
        "attachments.self_assessment_report",
        "attachments.commitment",
    } <= set(errors)
    filing = Filing.objects.get(id=result.filing.pk)
    assert filing.status == "draft" and not ReviewTask.objects.filter(subject_type="filing").exists()


def test_the_web_keeps_invalid_input_and_the_api_refuses_it(provider_a):
    filing = make_filing_draft(provider_a)
    result = filing_save(filing_id=filing.pk, actor=provider_a, data={"launch_date": "2026-02-30"}, strict=False)
    assert "launch_date" in result.errors
    assert result.version.data["launch_date"] == "2026-02-30"  # kept as typed
    with pytest.raises(ValidationFailed):
        filing_save(filing_id=filing.pk, actor=provider_a, data={"monthly_active_users": "many"})
    assert FilingVersion.objects.get(id=result.version.pk).data["monthly_active_users"] == 50_000


def test_a_stale_save_is_a_conflict(provider_a):
    filing = make_filing_draft(provider_a)
    seen = filing.version
    filing_save(filing_id=filing.pk, actor=provider_a, data={"name": "标签一"}, expected_version=seen)
    with pytest.raises(StaleVersion):
        filing_save(filing_id=filing.pk, actor=provider_a, data={"name": "标签二"}, expected_version=seen)
    assert Filing.objects.get(id=filing.pk).name == "标签一"


def test_another_organisation_cannot_touch_the_filing(provider_a, provider_b):
    filing = make_filing_draft(provider_a)
    with pytest.raises(ActionForbidden):
        filing_save(filing_id=filing.pk, actor=provider_b, data={"name": "x"})
    with pytest.raises(ActionForbidden):
        filing_submit(filing_id=filing.pk, actor=provider_b)
    assert Filing.objects.get(id=filing.pk).name == "资讯个性化推荐算法"


def test_an_unapproved_organisation_may_draft_but_not_submit(reference_data):
    user = make_user()
    make_draft(user)
    user.refresh_from_db()
    filing = make_filing_draft(user)
    add_filing_documents(filing.pk, user)
    with pytest.raises(ActionForbidden):
        filing_submit(filing_id=filing.pk, actor=user)
    assert Filing.objects.get(id=filing.pk).status == "draft"


def test_approval_issues_a_valid_number_with_serials_per_entity_and_category(provider_a, reviewer_bj):
    first = make_filing_approved(provider_a, reviewer_bj)
    second = make_filing_approved(provider_a, reviewer_bj, name="另一个推荐算法")
    third = make_filing_approved(
        provider_a, reviewer_bj, name="检索算法", algorithm_type="retrieval_filtering", filtering="yes"
    )
    org = first.organization
    for filing in (first, second, third):
        assert numbers.check_digit_ok(filing.filing_number)
        assert filing.filing_number.startswith(f"网信算备110108{org.entity_id}")
    assert first.filing_number[17:19] == "02" and third.filing_number[17:19] == "05"
    assert first.filing_number[21:24] == "001" and second.filing_number[21:24] == "002"
    assert third.filing_number[21:24] == "001"


def test_return_then_identical_resubmission_is_refused(provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a)
    task = _task("filing", filing.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="补充训练数据说明")
    filing.refresh_from_db()
    assert filing.status == "returned" and filing.versions.count() == 2
    with pytest.raises(ValidationFailed) as exc:
        filing_submit(filing_id=filing.pk, actor=provider_a)
    assert "non_field_errors" in exc.value.errors
    filing_save(
        filing_id=filing.pk, actor=provider_a, data={"models_and_datasets": "补充：数据来源为自有日志，已脱敏。"}
    )
    filing_submit(filing_id=filing.pk, actor=provider_a)
    assert Filing.objects.get(id=filing.pk).status == "submitted"
    assert _task("filing", filing.pk).round == 2


def test_change_keeps_the_number_and_is_reviewed(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    number = filing.filing_number
    version = filing_change_open(
        filing_id=filing.pk, actor=provider_a, change_date=filing.approved_at.date(), summary="新增产品"
    )
    filing_save(filing_id=filing.pk, actor=provider_a, data={"application_field": "资讯与视频"})
    filing_submit(filing_id=filing.pk, actor=provider_a)
    version.refresh_from_db()
    assert (version.status, version.material) == ("submitted", False)  # application field is not material
    filing.refresh_from_db()
    assert (filing.status, filing.filing_number) == ("approved", number)
    task = _task("change", version.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    version.refresh_from_db()
    filing.refresh_from_db()
    assert (version.status, filing.filing_number) == ("approved", number)


def test_cancellation_is_reviewed_and_then_the_filing_is_cancelled(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    request = filing_cancel_request(
        filing_id=filing.pk, actor=provider_a, termination_date=filing.approved_at.date(), arrangements="已通知用户"
    )
    assert Filing.objects.get(id=filing.pk).status == "approved"
    task = _task("cancellation", request.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="approve")
    assert Filing.objects.get(id=filing.pk).status == "cancelled"


def test_withdrawal_before_a_decision_closes_the_task(provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a)
    task = _task("filing", filing.pk)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    filing_withdraw(filing_id=filing.pk, actor=provider_a)
    assert Filing.objects.get(id=filing.pk).status == "withdrawn"
    assert ReviewTask.objects.get(id=task.pk).status == "closed"
    with pytest.raises(Conflict):
        filing_withdraw(filing_id=filing.pk, actor=provider_a)


def test_filing_data_factory_is_complete():
    from filings.fields import missing_and_invalid

    assert missing_and_invalid(filing_data()) == {}


def test_non_material_changes_are_fast_tracked_and_material_ones_are_not(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    day = filing.approved_at.date()
    filing_change_open(filing_id=filing.pk, actor=provider_a, change_date=day, summary="改应用领域")
    filing_save(filing_id=filing.pk, actor=provider_a, data={"application_field": "资讯与视频"})
    filing_submit(filing_id=filing.pk, actor=provider_a)
    light = ReviewTask.objects.get(subject_type="change", status="open")
    assert light.fast_track is True and light.due < light.decision_due
    filing_withdraw(filing_id=filing.pk, actor=provider_a)
    filing_change_open(filing_id=filing.pk, actor=provider_a, change_date=day, summary="改策略")
    filing_save(filing_id=filing.pk, actor=provider_a, data={"strategy": "新的策略"})
    filing_submit(filing_id=filing.pk, actor=provider_a)
    full = ReviewTask.objects.get(subject_type="change", status="open")
    assert (full.fast_track, full.tier, full.stage) == (False, 1, "provincial_review")


def test_possible_duplicates_are_pointed_out(provider_a):
    from filings.selectors import filing_duplicates

    first = make_filing_draft(provider_a, name="资讯 推荐算法")
    second = make_filing_draft(provider_a, name="资讯推荐算法")
    other_type = make_filing_draft(provider_a, name="资讯推荐算法", algorithm_type="sorting_selection")
    assert list(filing_duplicates(second)) == [first]
    assert other_type not in filing_duplicates(first)
