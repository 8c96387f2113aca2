"""Deadline reminders and escalations: who hears of what, when, and never twice.

The calendar week used: 2026-03-09 (Mon) … 2026-03-13 (Fri), 14/15 a weekend.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from accounts.models import Notification
from accounts.roles import Role
from filings.models import Filing, FilingVersion
from filings.services.changes import filing_change_open
from supervision.models import Reminder, ReviewTask
from supervision.services.reminders import reminder_sweep
from supervision.services.review import task_claim, task_decide
from tests.factories import make_filing_approved, make_filing_draft, make_filing_submitted, make_staff

pytestmark = pytest.mark.usefixtures("reference_data")

MON, TUE, WED, THU, FRI, SAT = (datetime.date(2026, 3, d) for d in (9, 10, 11, 12, 13, 14))


def _reminders(**filters):
    return list(Reminder.objects.filter(**filters).order_by("id").values_list("rule", "offset", "recipient__username"))


def _digests(user):
    digest_ids = Reminder.objects.values("notification_id")
    return list(Notification.objects.filter(recipient=user, id__in=digest_ids).order_by("id"))


def _claimed_task(provider, reviewer, *, due, decision_due):
    filing = make_filing_submitted(provider)
    task = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status="open")
    task_claim(task_id=task.pk, actor=reviewer)
    ReviewTask.objects.filter(pk=task.pk).update(due=due, decision_due=decision_due)
    return task


def test_a_provider_hears_three_and_one_working_days_before_and_on_the_day_it_is_overdue(provider_a):
    # given a draft whose statutory filing deadline is Thursday
    filing = make_filing_draft(provider_a)
    Filing.objects.filter(pk=filing.pk).update(filing_due=THU)
    # when the sweep runs each morning of the week, twice on each day
    counts = {
        day: [reminder_sweep(today=day).reminders, reminder_sweep(today=day).reminders]
        for day in (MON, TUE, WED, THU, FRI)
    }
    # then Monday says 3 days, Wednesday 1 day, Friday overdue; reruns add nothing
    assert counts == {MON: [1, 0], TUE: [0, 0], WED: [1, 0], THU: [0, 0], FRI: [1, 0]}
    assert _reminders() == [
        ("filing_due", 3, "provider_a"),
        ("filing_due", 1, "provider_a"),
        ("filing_due", 0, "provider_a"),
    ]
    bodies = [n.body for n in _digests(provider_a)]
    assert len(bodies) == 3 and "2026-03-12" in bodies[0]


def test_windows_count_working_days_across_a_weekend(provider_a):
    # given a deadline on Tuesday the 17th
    filing = make_filing_draft(provider_a)
    Filing.objects.filter(pk=filing.pk).update(filing_due=datetime.date(2026, 3, 17))
    # when the sweep runs on Thursday (Fri, Mon and Tue are 3 working days)
    reminder_sweep(today=THU)
    # then it is the 3-day reminder, and the digest says so in English for an English user
    provider_a.language = "en"
    provider_a.save(update_fields=["language"])
    Reminder.objects.all().delete()
    Notification.objects.filter(recipient=provider_a).delete()
    reminder_sweep(today=THU)
    assert _reminders() == [("filing_due", 3, "provider_a")]
    assert "3 working days left" in _digests(provider_a)[-1].body


def test_nothing_is_sent_on_a_non_working_day_and_the_next_working_day_catches_up(provider_a):
    # given a deadline that becomes 1 working day away over the weekend
    filing = make_filing_draft(provider_a)
    Filing.objects.filter(pk=filing.pk).update(filing_due=datetime.date(2026, 3, 17))
    # when the sweep runs on Saturday
    result = reminder_sweep(today=SAT)
    # then it records and sends nothing
    assert result.skipped_non_working_day and Reminder.objects.count() == 0
    assert _digests(provider_a) == []
    # and Monday's run sends the reminder that is due (1 working day before Tuesday)
    assert reminder_sweep(today=datetime.date(2026, 3, 16)).reminders == 1
    assert _reminders() == [("filing_due", 1, "provider_a")]


def test_a_provider_gets_one_digest_for_several_deadlines(provider_a):
    # given two drafts due the same week and a returned filing due for correction
    first, second = make_filing_draft(provider_a, name="Alpha"), make_filing_draft(provider_a, name="Beta")
    Filing.objects.filter(pk__in=[first.pk, second.pk]).update(filing_due=THU)
    # when the sweep runs
    result = reminder_sweep(today=MON)
    # then one notification lists both, and each reminder points to it
    assert (result.reminders, result.digests) == (2, 1)
    (digest,) = _digests(provider_a)
    assert "Alpha" in digest.body and "Beta" in digest.body
    assert set(Reminder.objects.values_list("notification_id", flat=True)) == {digest.pk}


def test_correction_and_change_deadlines_are_reminded(provider_a, reviewer_bj):
    # given a filing returned for correction and an open change of a filed algorithm
    returned = make_filing_submitted(provider_a, name="Returned")
    task = ReviewTask.objects.get(subject_type="filing", subject_id=returned.pk, status="open")
    task_claim(task_id=task.pk, actor=reviewer_bj)
    task_decide(task_id=task.pk, actor=reviewer_bj, decision="return", reasons="Incomplete")
    Filing.objects.filter(pk=returned.pk).update(correction_due=TUE)
    filed = make_filing_approved(provider_a, reviewer_bj, name="Changed")
    version = filing_change_open(filing_id=filed.pk, actor=provider_a, change_date=MON, summary="New model")
    FilingVersion.objects.filter(pk=version.pk).update(change_due=WED)
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then both are reminded with their own rule
    assert sorted(_reminders()) == [("change_due", 3, "provider_a"), ("correction_due", 1, "provider_a")]


def test_reviewers_hear_of_their_stage_and_decision_deadlines(provider_a, reviewer_bj, reviewer_gd):
    # given a task held by reviewer_bj, its stage due Thursday, the statutory decision 5 days out
    _claimed_task(provider_a, reviewer_bj, due=THU, decision_due=datetime.date(2026, 3, 16))
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then the holder hears both; nobody else does
    assert sorted(_reminders()) == [("decision_due", 5, "reviewer_bj"), ("stage_due", 3, "reviewer_bj")]
    assert _digests(reviewer_gd) == []


def test_an_overdue_stage_escalates_to_its_offices_supervisors_only(provider_a, reviewer_bj, supervisor, supervisor_gd):
    # given a Beijing supervisor and a stage that was due last Friday
    supervisor_bj = make_staff("supervisor_bj", Role.SUPERVISOR, "110000")
    _claimed_task(provider_a, reviewer_bj, due=datetime.date(2026, 3, 6), decision_due=datetime.date(2026, 4, 20))
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then the Beijing supervisor is told; Guangdong's and the central supervisors are not
    assert _reminders(rule="stage_overdue") == [("stage_overdue", 0, "supervisor_bj")]
    assert len(_digests(supervisor_bj)) == 1
    assert _digests(supervisor_gd) == [] and _digests(supervisor) == []


def test_a_breached_decision_deadline_escalates_to_the_central_supervisors(provider_a, reviewer_bj, supervisor):
    # given a task whose statutory decision deadline passed last Friday
    _claimed_task(provider_a, reviewer_bj, due=datetime.date(2026, 3, 6), decision_due=datetime.date(2026, 3, 6))
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then the central supervisor is told once, even after a rerun
    reminder_sweep(today=MON)
    assert _reminders(rule="decision_breached") == [("decision_breached", 0, "supervisor")]
    assert len(_digests(supervisor)) == 1


def test_decided_work_is_not_reminded(provider_a, reviewer_bj):
    # given a task already decided
    task = _claimed_task(provider_a, reviewer_bj, due=TUE, decision_due=TUE)
    ReviewTask.objects.filter(pk=task.pk).update(status="decided")
    # when the sweep runs
    result = reminder_sweep(today=MON)
    # then nothing is sent
    assert result.reminders == 0 and Reminder.objects.count() == 0


def test_digests_wait_for_the_outbox_sweeper(provider_a, django_capture_on_commit_callbacks):
    # given a reminder due
    filing = make_filing_draft(provider_a)
    Filing.objects.filter(pk=filing.pk).update(filing_due=TUE)
    # when the sweep runs
    with django_capture_on_commit_callbacks() as callbacks:
        reminder_sweep(today=MON)
    # then no delivery task is queued per digest: the notification sweeper picks them up in batches
    assert callbacks == []
    assert len(_digests(provider_a)) == 1 and _digests(provider_a)[0].sent_at is None


@pytest.mark.django_db(transaction=True)
def test_two_workers_sweeping_at_once_record_and_send_each_reminder_once(provider_a, reviewer_bj, supervisor):
    # given several items due
    for n in range(3):
        filing = make_filing_draft(provider_a, name=f"Item {n}")
        Filing.objects.filter(pk=filing.pk).update(filing_due=TUE)
    _claimed_task(provider_a, reviewer_bj, due=datetime.date(2026, 3, 6), decision_due=datetime.date(2026, 3, 6))
    results = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        barrier.wait()
        try:
            results.append(reminder_sweep(today=MON).reminders)
        finally:
            connection.close()

    # when two workers run the sweep at the same moment
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one recorded everything and the other nothing; each recipient got one digest
    assert sorted(results) == [0, Reminder.objects.count()]
    assert Reminder.objects.count() == 4  # three filing deadlines and one breached decision deadline
    assert len(_digests(provider_a)) == 1 and len(_digests(supervisor)) == 1


def test_an_open_reassessment_is_reminded_until_it_is_answered(provider_a, reviewer_bj):
    from filings.models import Reassessment
    from filings.services.reassessments import reassessments_open

    # given an open re-assessment case due on Thursday
    filed = make_filing_approved(provider_a, reviewer_bj, name="Filed")
    reassessments_open(filing_ids=[filed.pk], reason="periodic")
    Reassessment.objects.filter(filing=filed).update(due=THU)
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then the provider hears of it
    assert _reminders(rule="reassessment_due") == [("reassessment_due", 3, "provider_a")]
    assert "Filed" in _digests(provider_a)[0].body


def test_an_entity_review_has_a_stage_deadline_but_no_statutory_one(reviewer_bj, supervisor):
    from tests.factories import make_submitted, make_user, open_task

    make_staff("supervisor_bj", Role.SUPERVISOR, "110000")
    # given an organisation under review by reviewer_bj, its internal target passed last Friday
    org = make_submitted(make_user(username="entity_owner"))
    task = open_task(org)
    task_claim(task_id=task.pk, actor=reviewer_bj)
    ReviewTask.objects.filter(pk=task.pk).update(due=datetime.date(2026, 3, 6), decision_due=datetime.date(2026, 3, 6))
    # when the sweep runs on Monday
    reminder_sweep(today=MON)
    # then its office's supervisor hears the stage is overdue, but nothing is escalated to the
    # central supervisors as a breached statutory deadline
    assert _reminders(rule="stage_overdue") == [("stage_overdue", 0, "supervisor_bj")]
    assert _reminders(rule="decision_breached") == [] and _digests(supervisor) == []


def test_a_breached_decision_deadline_is_escalated_once_across_stages(
    provider_a, reviewer_bj, reviewer_bj2, supervisor
):
    # given a tier-2 filing (two stages) whose statutory deadline passed last Friday
    filing = make_filing_submitted(provider_a, monthly_active_users=1_000_000)
    first = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status="open")
    ReviewTask.objects.filter(pk=first.pk).update(
        decision_due=datetime.date(2026, 3, 6), due=datetime.date(2026, 3, 20)
    )
    reminder_sweep(today=MON)
    # when the first stage recommends and the second stage's task opens with the same deadline
    task_claim(task_id=first.pk, actor=reviewer_bj)
    task_decide(task_id=first.pk, actor=reviewer_bj, decision="recommend_approval")
    second = ReviewTask.objects.get(subject_type="filing", subject_id=filing.pk, status="open")
    ReviewTask.objects.filter(pk=second.pk).update(
        decision_due=datetime.date(2026, 3, 6), due=datetime.date(2026, 3, 20)
    )
    reminder_sweep(today=TUE)
    # then the central supervisors were told once
    assert _reminders(rule="decision_breached") == [("decision_breached", 0, "supervisor")]


def test_a_change_being_corrected_is_not_reminded_of_its_original_date(provider_a, reviewer_bj):
    # given a change (due within 10 working days of 2026-02-02, long before Monday 9 March), returned
    filed = make_filing_approved(provider_a, reviewer_bj)
    version = filing_change_open(
        filing_id=filed.pk, actor=provider_a, change_date=datetime.date(2026, 2, 2), summary="新增产品"
    )
    from filings.services.submission import filing_submit
    from supervision.walkthrough import decide_all_stages

    filed.refresh_from_db()
    from filings.services.drafts import filing_save

    filing_save(
        filing_id=filed.pk, actor=provider_a, data={"application_field": "资讯"}, expected_version=filed.version
    )
    filing_submit(filing_id=filed.pk, actor=provider_a)
    decide_all_stages(subject_type="change", subject_id=version.pk, decision="return", reasons="请补充")
    assert FilingVersion.objects.filter(filing=filed, status="draft", purpose="change").exists()
    # when the sweep runs
    reminder_sweep(today=MON)
    # then no "change overdue" reminder is sent for the correction draft
    assert _reminders(rule="change_due") == []
