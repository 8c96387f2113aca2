import threading

import pytest
from django.db import connection
from django.utils import timezone

from accounts.errors import ActionForbidden, Conflict
from filings import numbers
from filings.models import Filing
from filings.services.drafts import filing_save
from filings.services.submission import filing_submit
from supervision.models import ConflictOfInterest, Notice, ReviewTask, TaskVote
from supervision.services.assignment import conflict_declare, task_reassign
from supervision.services.review import task_claim, task_decide
from tests.factories import make_filing_submitted, make_staff

pytestmark = pytest.mark.usefixtures("reference_data")

TIER: dict[int, dict[str, object]] = {
    1: {},
    2: {"monthly_active_users": 1_000_000},
    3: {"data_importance": "important"},
    4: {"data_importance": "core"},
}


def _active(filing):
    return ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status__in=["open", "claimed"])


def _claim_and(task, reviewer, decision, reasons=""):
    task_claim(task_id=task.pk, actor=reviewer)
    return task_decide(task_id=task.pk, actor=reviewer, decision=decision, reasons=reasons)


@pytest.fixture
def central():
    return [make_staff(f"central_{n}", "senior_reviewer", "000000") for n in (1, 2, 3)]


def test_tier_1_one_provincial_reviewer_decides(provider_a, reviewer_bj):
    filing = make_filing_submitted(provider_a, **TIER[1])
    task = _active(filing)
    assert (task.tier, task.stage, task.final, task.office.code) == (1, "provincial_review", True, "110000")
    _claim_and(task, reviewer_bj, "approve")
    filing.refresh_from_db()
    assert filing.status == "approved" and numbers.check_digit_ok(filing.filing_number)


def test_tier_2_recommendation_then_a_different_provincial_reviewer_decides(provider_a, reviewer_bj, reviewer_bj2):
    filing = make_filing_submitted(provider_a, **TIER[2])
    first = _active(filing)
    with pytest.raises(Conflict):  # the first stage only recommends
        _claim_and(first, reviewer_bj, "approve")
    task_decide(task_id=first.pk, actor=reviewer_bj, decision="recommend_approval")
    second = _active(filing)
    assert (second.stage, second.final, second.round) == ("provincial_decision", True, first.round)
    # four eyes: the recommender may neither claim nor decide the deciding stage
    with pytest.raises(ActionForbidden):
        task_claim(task_id=second.pk, actor=reviewer_bj)
    second.refresh_from_db()
    assert second.assignee is None
    _claim_and(second, reviewer_bj2, "approve")
    assert Filing.objects.get(id=filing.pk).status == "approved"


def test_tier_3_goes_to_central_review(provider_a, reviewer_bj, central):
    filing = make_filing_submitted(provider_a, **TIER[3])
    task_decide_claimed = _claim_and(_active(filing), reviewer_bj, "recommend_approval")
    assert task_decide_claimed.status == "decided"
    central_task = _active(filing)
    assert (central_task.stage, central_task.office.code) == ("central_review", "000000")
    with pytest.raises(ActionForbidden):  # a provincial reviewer cannot act at the central stage
        task_claim(task_id=central_task.pk, actor=reviewer_bj)
    _claim_and(central_task, central[0], "approve")
    assert Filing.objects.get(id=filing.pk).status == "approved"


def test_tier_4_consultation_needs_two_distinct_senior_reviewers(provider_a, reviewer_bj, central):
    filing = make_filing_submitted(provider_a, **TIER[4])
    _claim_and(_active(filing), reviewer_bj, "recommend_approval")
    _claim_and(_active(filing), central[0], "recommend_approval")
    consultation = _active(filing)
    assert (consultation.stage, consultation.required_votes) == ("consultation", 2)
    with pytest.raises(ActionForbidden):  # decided the central review: four eyes
        task_decide(task_id=consultation.pk, actor=central[0], decision="approve")
    task_decide(task_id=consultation.pk, actor=central[1], decision="approve")
    with pytest.raises(Conflict):  # one vote per reviewer
        task_decide(task_id=consultation.pk, actor=central[1], decision="approve")
    assert Filing.objects.get(id=filing.pk).status == "in_review"
    task_decide(task_id=consultation.pk, actor=central[2], decision="approve")
    filing.refresh_from_db()
    assert filing.status == "approved"
    assert TaskVote.objects.filter(task=consultation).count() == 2


def test_a_return_at_any_stage_pauses_the_clock_and_resubmission_resumes_it(provider_a, reviewer_bj, time_machine):
    import datetime

    from filings.workdays import WorkCalendar

    calendar, day = WorkCalendar(), datetime.date
    time_machine.move_to("2026-06-01 10:00:00+08:00")
    filing = make_filing_submitted(provider_a, **TIER[2])
    assert filing.decision_due == calendar.add(day(2026, 6, 1), 30).value
    time_machine.move_to("2026-06-11 10:00:00+08:00")
    used = calendar.between(day(2026, 6, 1), day(2026, 6, 11)).days
    _claim_and(_active(filing), reviewer_bj, "return", "请补充说明")
    filing.refresh_from_db()
    assert filing.status == "returned" and filing.clock_remaining_days == 30 - used
    assert filing.correction_due == calendar.add(day(2026, 6, 11), 10).value
    assert Notice.objects.filter(filing=filing, kind="correction").exists()
    time_machine.move_to("2026-06-18 10:00:00+08:00")  # the working days of the correction do not count
    filing_save(filing_id=filing.pk, actor=provider_a, data={"strategy": "补充后的策略"})
    filing_submit(filing_id=filing.pk, actor=provider_a)
    filing.refresh_from_db()
    assert (filing.clock_remaining_days, filing.clock_paused_at) == (None, None)
    assert filing.decision_due == calendar.add(day(2026, 6, 18), 30 - used).value
    assert _active(filing).stage == "provincial_review"  # the review starts again from the first stage


def test_an_overdue_correction_returns_to_the_reviewer(provider_a, reviewer_bj, time_machine):
    from supervision.services.corrections import correction_overdue_sweep

    time_machine.move_to("2026-06-01 10:00:00+08:00")
    filing = make_filing_submitted(provider_a)
    _claim_and(_active(filing), reviewer_bj, "return", "补正")
    time_machine.move_to("2026-07-01 10:00:00+08:00")
    assert correction_overdue_sweep() == 1
    assert correction_overdue_sweep() == 0  # idempotent
    task = _active(filing)
    assert (task.correction_overdue, task.assignee, task.status) == (True, reviewer_bj, "claimed")
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="reject", reasons="逾期未补正")
    assert Filing.objects.get(id=filing.pk).status == "rejected"
    assert Notice.objects.filter(filing=filing, kind="refusal").exists()


def test_conflicts_of_interest_are_respected(provider_a, reviewer_bj, reviewer_bj2, settings):
    settings.BEIAN = {**settings.BEIAN, "AUTO_ASSIGN": True}
    conflict_declare(reviewer=reviewer_bj, organization_id=provider_a.organization_id, reason="亲属任职")
    filing = make_filing_submitted(provider_a)
    task = _active(filing)
    assert task.assignee == reviewer_bj2  # never assigned to the conflicted reviewer
    task_claim(task_id=task.pk, actor=reviewer_bj2)
    from supervision.services.review import task_release

    task_release(task_id=task.pk, actor=reviewer_bj2)
    with pytest.raises(ActionForbidden):
        task_claim(task_id=task.pk, actor=reviewer_bj)
    assert ReviewTask.objects.get(id=task.pk).assignee is None
    assert ConflictOfInterest.objects.count() == 1


def test_automatic_assignment_goes_to_the_least_loaded(provider_a, reviewer_bj, reviewer_bj2, settings):
    settings.BEIAN = {**settings.BEIAN, "AUTO_ASSIGN": True}
    first = _active(make_filing_submitted(provider_a, name="一号"))
    second = _active(make_filing_submitted(provider_a, name="二号"))
    assert {first.assignee, second.assignee} == {reviewer_bj, reviewer_bj2}
    # Assigned, not yet taken up: the filing is in review once its reviewer claims it.
    assert Filing.objects.get(id=first.subject_id).status == "submitted"
    task_claim(task_id=first.pk, actor=first.assignee)
    assert Filing.objects.get(id=first.subject_id).status == "in_review"


def test_a_supervisor_reassigns(provider_a, reviewer_bj, reviewer_bj2, supervisor, supervisor_gd):
    filing = make_filing_submitted(provider_a)
    task = _active(filing)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    with pytest.raises(ActionForbidden):
        task_reassign(task_id=task.pk, actor=supervisor_gd, to_user_id=reviewer_bj2.pk)
    with pytest.raises(ActionForbidden):
        task_reassign(task_id=task.pk, actor=reviewer_bj2, to_user_id=reviewer_bj2.pk)
    task_reassign(task_id=task.pk, actor=supervisor, to_user_id=reviewer_bj2.pk)
    task.refresh_from_db()
    assert task.assignee == reviewer_bj2
    assert not reviewer_bj.has_perm("filings.review_filing", filing)
    assert reviewer_bj2.has_perm("filings.review_filing", filing)


def test_notices_are_issued_and_immutable(provider_a, reviewer_bj):
    from django.db import transaction
    from django.db.utils import ProgrammingError

    filing = make_filing_submitted(provider_a)
    _claim_and(_active(filing), reviewer_bj, "approve")
    kinds = list(Notice.objects.filter(filing=filing).order_by("issued_at").values_list("kind", flat=True))
    assert kinds == ["receipt", "approval"]
    approval = Notice.objects.get(filing=filing, kind="approval")
    assert filing.organization.name in approval.content["zh-hans"]["body"]
    assert "第二十五条" in approval.content["zh-hans"]["legal_basis"]
    assert Filing.objects.get(id=filing.pk).filing_number in approval.content["en"]["body"]
    with pytest.raises(ProgrammingError), transaction.atomic():
        Notice.objects.filter(id=approval.pk).update(content={})


@pytest.mark.django_db(transaction=True)
def test_parallel_approvals_get_unique_gap_free_numbers(reference_data):
    from tests.conftest import all_reference_data
    from tests.factories import make_approved, make_user

    all_reference_data()
    provider = make_user()
    reviewers = [make_staff(f"par{n}", "reviewer", "110000") for n in range(4)]
    make_approved(provider, "110108", reviewer=reviewers[0])
    provider.refresh_from_db()
    tasks = []
    for index, reviewer in enumerate(reviewers):
        filing = make_filing_submitted(provider, name=f"并行算法{index}")
        task = _active(filing)
        task_claim(task_id=task.pk, actor=reviewer)
        tasks.append((task, reviewer))
    barrier = threading.Barrier(len(tasks))
    errors: list[Exception] = []

    def approve(task, reviewer):
        try:
            barrier.wait()
            task_decide(task_id=task.pk, actor=reviewer, decision="approve")
        except Exception as exc:  # collected: the assertion below reports it
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=pair) for pair in tasks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    issued = sorted(Filing.objects.exclude(filing_number=None).values_list("filing_number", flat=True))
    assert [number[21:24] for number in issued] == ["001", "002", "003", "004"]
    year = timezone.localdate().year % 100
    assert all(number[19:21] == f"{year:02d}" for number in issued)
