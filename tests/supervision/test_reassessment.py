"""Periodic re-assessment: the schedule per tier, the daily job, the provider's answer and its review."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.demo import sample_upload
from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import AuditEvent, Notification
from filings.models import Filing, Reassessment
from filings.services.reassessments import reassessment_overdue_sweep, reassessment_submit, reassessments_open
from filings.services.regulator import filing_regulator_end
from supervision.models import ReassessmentInterval, ReviewTask
from supervision.services.reassessment import reassessment_job, reassessment_schedule
from supervision.walkthrough import decide_all_stages
from tests.conftest import api_as, web_as
from tests.factories import make_filing_approved

pytestmark = pytest.mark.usefixtures("reference_data")

TIER_2 = {"monthly_active_users": 1_000_000}  # 3 (public opinion) + 2 (users) = 5 points


def _noop_progress(**kwargs: object) -> None:
    return None


def _tier_2_filing(provider, reviewer_bj, reviewer_bj2):
    filing = make_filing_approved(provider, reviewer_bj, **TIER_2)
    assert filing.tier == 2 and filing.reviewed_tier == 2
    return filing


def _open_case(filing) -> Reassessment:
    reassessments_open(filing_ids=[filing.pk], reason="periodic")
    return Reassessment.objects.get(filing=filing, status="open")


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def test_an_approved_filing_is_scheduled_by_its_tiers_interval(provider_a, reviewer_bj, reviewer_bj2):
    # given a tier-2 filing approved today (tier 2: every 24 months by default)
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    # then its next re-assessment is 24 months after today's assessment
    assert filing.assessed_at == timezone.localdate()
    assert filing.reassessment_due == _months_later(timezone.localdate(), 24)


def test_tier_1_is_not_reassessed_periodically(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    assert filing.tier == 1 and filing.reassessment_due is None


def test_a_changed_interval_reschedules_only_the_filings_it_affects(provider_a, reviewer_bj, reviewer_bj2):
    # given a tier-2 filing and a tier-1 filing
    tier_2 = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    make_filing_approved(provider_a, reviewer_bj, name="Tier one")
    # when the tier-2 interval becomes 6 months
    ReassessmentInterval.objects.filter(tier=2).update(months=6)
    changed = reassessment_schedule()
    # then exactly that filing moves, and a rerun changes nothing
    tier_2.refresh_from_db()
    assert changed == 1 and tier_2.reassessment_due == _months_later(timezone.localdate(), 6)
    assert reassessment_schedule() == 0


def test_the_daily_job_opens_due_cases_once_and_tells_the_provider(provider_a, reviewer_bj, reviewer_bj2):
    # given a tier-2 filing whose re-assessment date has come
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    today = filing.reassessment_due
    # when the daily job runs (twice)
    first = reassessment_job({"today": today.isoformat()}, _noop_progress)
    second = reassessment_job({"today": today.isoformat()}, _noop_progress)
    # then one periodic case opens, due in 20 working days, the provider is told, and the rerun does nothing
    assert first["opened"] == 1 and second["opened"] == 0
    case = Reassessment.objects.get(filing=filing)
    assert (case.status, case.reason, case.tier) == ("open", "periodic", 2)
    assert case.due > today
    assert Notification.objects.filter(recipient=provider_a, subject__contains="重新评估").count() == 1
    assert AuditEvent.objects.filter(action="filing.reassessment_opened", subject_id=filing.pk).count() == 1


def test_the_provider_answers_and_the_office_reviews_it_at_the_filings_tier(provider_a, reviewer_bj, reviewer_bj2):
    # given an open case
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    # when the provider uploads an updated self-assessment
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("new.pdf"), statement="更新")
    # then a review at tier 2 opens (two provincial stages)
    task = ReviewTask.objects.get(subject_type="reassessment", subject_id=case.pk)
    assert (task.tier, task.stage, task.final) == (2, "provincial_review", False)
    # and when every stage approves, the case is accepted and the next date counts from today
    Filing.objects.filter(pk=filing.pk).update(assessed_at=datetime.date(2025, 1, 1))
    decide_all_stages(subject_type="reassessment", subject_id=case.pk, decision="approve")
    case.refresh_from_db()
    filing.refresh_from_db()
    assert case.status == "approved" and case.report is not None
    assert filing.assessed_at == timezone.localdate()
    assert filing.reassessment_due == _months_later(timezone.localdate(), 24)


def test_a_returned_reassessment_gets_a_correction_period_and_can_be_answered_again(
    provider_a, reviewer_bj, reviewer_bj2
):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("a.pdf"))
    # when the first stage returns it
    decide_all_stages(subject_type="reassessment", subject_id=case.pk, decision="return", reasons="缺少数据安全评估")
    case.refresh_from_db()
    assert case.status == "returned" and case.reasons == "缺少数据安全评估"
    # then the provider may answer again, and a new round of review opens
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("b.pdf"))
    assert ReviewTask.objects.filter(subject_type="reassessment", subject_id=case.pk, status="open").count() == 1


def test_a_refused_reassessment_opens_a_new_case(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("a.pdf"))
    decide_all_stages(subject_type="reassessment", subject_id=case.pk, decision="reject", reasons="评估不实")
    case.refresh_from_db()
    assert case.status == "rejected"
    again = Reassessment.objects.get(filing=filing, status="open")
    assert again.reason == "refused"


def test_an_unanswered_case_marks_the_filing_overdue_until_the_provider_submits(provider_a, reviewer_bj, reviewer_bj2):
    # given a case whose due date passed
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    # when the sweep runs the day after (twice)
    marked = reassessment_overdue_sweep(today=case.due + datetime.timedelta(days=1))
    again = reassessment_overdue_sweep(today=case.due + datetime.timedelta(days=1))
    # then the filing is marked once, and the API shows it
    filing.refresh_from_db()
    assert (marked, again) == (1, 0) and filing.reassessment_overdue
    body = api_as(provider_a).get(f"/api/v1/filings/{filing.pk}/").json()
    assert body["reassessment_overdue"] is True and body["reassessment"]["id"] == case.pk
    # and a late submission clears the mark but the case stays recorded as late
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("late.pdf"))
    filing.refresh_from_db()
    case.refresh_from_db()
    assert not filing.reassessment_overdue and case.late


def test_another_provider_cannot_answer_and_nothing_changes(provider_a, provider_b, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    with pytest.raises(ActionForbidden):
        reassessment_submit(reassessment_id=case.pk, actor=provider_b, report=sample_upload("x.pdf"))
    response = api_as(provider_b).post(
        f"/api/v1/filings/{filing.pk}/reassessments/{case.pk}/submit/", {"report": sample_upload("x.pdf")}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.status == "open" and case.report is None
    assert not ReviewTask.objects.filter(subject_type="reassessment").exists()


def test_a_report_that_is_not_a_pdf_is_refused_with_a_clear_error(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    png = SimpleUploadedFile("report.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png")
    response = api_as(provider_a, "zh-hans").post(
        f"/api/v1/filings/{filing.pk}/reassessments/{case.pk}/submit/", {"report": png}
    )
    assert response.status_code == 400 and "report" in response.json()
    with pytest.raises(ValidationFailed) as missing:
        reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=None)
    assert "report" in missing.value.errors
    case.refresh_from_db()
    assert case.status == "open" and case.report is None


def test_the_provider_answers_through_the_web_page(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    client = web_as(provider_a)
    page = client.get(f"/filings/{filing.pk}/reassessment/")
    assert page.status_code == 200 and "reassessment-case" in page.content.decode()
    response = client.post(
        f"/filings/{filing.pk}/reassessment/", {"report": sample_upload("web.pdf"), "statement": "用户规模更新"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted" and case.statement == "用户规模更新"


def test_the_web_page_keeps_the_statement_when_the_file_is_missing(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    _open_case(filing)
    response = web_as(provider_a).post(f"/filings/{filing.pk}/reassessment/", {"statement": "保留的说明"})
    assert response.status_code == 400
    assert "保留的说明" in response.content.decode() and "上传" in response.content.decode()


def test_a_revoked_filing_closes_its_case_and_its_review(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("a.pdf"))
    filing_regulator_end(filing_id=filing.pk, actor=reviewer_bj, action="revoke", reasons="提供虚假材料")
    case.refresh_from_db()
    assert case.status == "closed"
    assert ReviewTask.objects.get(subject_type="reassessment", subject_id=case.pk).status == "closed"


def test_a_case_cannot_be_answered_twice(provider_a, reviewer_bj, reviewer_bj2):
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("a.pdf"))
    with pytest.raises(Conflict):
        reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("b.pdf"))
    assert ReviewTask.objects.filter(subject_type="reassessment", subject_id=case.pk).count() == 1


def test_supervisors_list_the_filings_whose_reassessment_is_overdue(
    provider_a,
    provider_b,
    reviewer_bj,
    reviewer_bj2,
    reviewer_gd,
    supervisor,
    supervisor_gd,
    django_assert_max_num_queries,
):
    # given one overdue Beijing filing and one on time
    late = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    make_filing_approved(provider_a, reviewer_bj, name="On time")
    Filing.objects.filter(pk=late.pk).update(reassessment_overdue=True)
    # when the central supervisor filters the list
    client = web_as(supervisor)
    client.get("/filings/?reassessment_overdue=1")
    # session, user, roles, office (scope), the page of filings, unread count, session refresh (3)
    with django_assert_max_num_queries(9):
        html = client.get("/filings/?reassessment_overdue=1").content.decode()
    # then only the overdue filing is listed, marked
    assert f"/filings/{late.pk}/" in html and "On time" not in html and "text-bg-danger" in html
    # and Guangdong's supervisor does not see it at all
    assert f"/filings/{late.pk}/" not in web_as(supervisor_gd).get("/filings/?reassessment_overdue=1").content.decode()


def test_an_interval_of_zero_months_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ReassessmentInterval.objects.filter(tier=2).update(months=0)
    assert ReassessmentInterval.objects.get(tier=2).months == 24


def test_a_returned_case_that_misses_its_new_date_marks_the_filing_again(provider_a, reviewer_bj, reviewer_bj2):
    # given a case answered late (the filing was marked, then cleared) and returned with a new date
    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    case = _open_case(filing)
    reassessment_overdue_sweep(today=case.due + datetime.timedelta(days=1))
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("late.pdf"))
    decide_all_stages(subject_type="reassessment", subject_id=case.pk, decision="return", reasons="不完整")
    case.refresh_from_db()
    # when the new date passes too
    marked = reassessment_overdue_sweep(today=case.due + datetime.timedelta(days=1))
    # then the filing is marked overdue again
    filing.refresh_from_db()
    assert marked == 1 and filing.reassessment_overdue


def test_a_reassessment_report_does_not_replace_the_filed_self_assessment(provider_a, reviewer_bj, reviewer_bj2):
    from filings.selectors import current_attachments

    filing = _tier_2_filing(provider_a, reviewer_bj, reviewer_bj2)
    filed_report = current_attachments(filing)["self_assessment_report"]
    case = _open_case(filing)
    reassessment_submit(reassessment_id=case.pk, actor=provider_a, report=sample_upload("new.pdf"))
    case.refresh_from_db()
    assert current_attachments(filing)["self_assessment_report"].pk == filed_report.pk
    assert case.report is not None and case.report.kind == "reassessment_report"
    assert "reassessment_report" not in current_attachments(filing)
