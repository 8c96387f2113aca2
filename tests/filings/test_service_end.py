"""Reporting the end of a service: the cancellation deadline that reminders count down to."""

from __future__ import annotations

import datetime

import pytest

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from filings.models import Filing
from filings.services.changes import filing_cancel_request, filing_service_end_report
from filings.workdays import WorkCalendar
from supervision.models import Reminder
from supervision.services.reminders import reminder_sweep
from tests.conftest import api_as, web_as
from tests.factories import make_filing_approved, make_filing_draft

pytestmark = pytest.mark.usefixtures("reference_data")


def test_a_reported_end_sets_the_cancellation_deadline(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    end = datetime.date(2027, 3, 1)
    filing = filing_service_end_report(filing_id=filing.pk, actor=provider_a, end_date=end)
    assert filing.service_end_date == end
    assert filing.cancellation_due == WorkCalendar.load().add(end, 20).value


def test_the_api_reports_the_end_and_shows_it_on_the_filing(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    response = api_as(provider_a).post(
        f"/api/v1/filings/{filing.pk}/service-end/", {"end_date": "2027-03-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["service_end_date"] == "2027-03-01"
    detail = api_as(provider_a).get(f"/api/v1/filings/{filing.pk}/").json()
    assert detail["cancellation_due"] == response.json()["cancellation_due"]


def test_bad_dates_get_clear_errors_and_change_nothing(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)  # launched 2026-02-10
    with pytest.raises(ValidationFailed) as before_launch:
        filing_service_end_report(filing_id=filing.pk, actor=provider_a, end_date=datetime.date(2025, 1, 1))
    assert "end_date" in before_launch.value.errors
    response = api_as(provider_a, "zh-hans").post(
        f"/api/v1/filings/{filing.pk}/service-end/", {"end_date": "not a date"}, format="json"
    )
    assert response.status_code == 400 and "end_date" in response.json()
    filing.refresh_from_db()
    assert filing.service_end_date is None and filing.cancellation_due is None


def test_only_a_filed_algorithm_without_a_pending_cancellation_may_report(provider_a, provider_b, reviewer_bj):
    draft = make_filing_draft(provider_a)
    with pytest.raises(Conflict):
        filing_service_end_report(filing_id=draft.pk, actor=provider_a, end_date=datetime.date(2027, 1, 4))
    filing = make_filing_approved(provider_a, reviewer_bj)
    with pytest.raises(ActionForbidden):
        filing_service_end_report(filing_id=filing.pk, actor=provider_b, end_date=datetime.date(2027, 1, 4))
    filing_cancel_request(
        filing_id=filing.pk, actor=provider_a, termination_date=datetime.date(2026, 11, 2), arrangements="已通知用户"
    )
    with pytest.raises(Conflict):
        filing_service_end_report(filing_id=filing.pk, actor=provider_a, end_date=datetime.date(2027, 1, 4))
    assert not Filing.objects.exclude(service_end_date=None).exists()


def test_the_web_form_reports_the_end_and_prefills_the_cancellation(provider_a, reviewer_bj):
    filing = make_filing_approved(provider_a, reviewer_bj)
    client = web_as(provider_a)
    assert client.post(f"/filings/{filing.pk}/service-end/", {"end_date": "2026-11-02"}).status_code == 302
    detail = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "service-end-date" in detail
    cancel = client.get(f"/filings/{filing.pk}/cancel/").content.decode()
    assert 'value="2026-11-02"' in cancel
    bad = client.post(f"/filings/{filing.pk}/service-end/", {"end_date": ""})
    assert bad.status_code == 400


def test_providers_are_reminded_of_the_cancellation_until_they_apply(provider_a, reviewer_bj):
    # given a service that ended and a cancellation due on Thursday 2026-03-12
    filing = make_filing_approved(provider_a, reviewer_bj)
    Filing.objects.filter(pk=filing.pk).update(
        service_end_date=datetime.date(2026, 2, 10), cancellation_due=datetime.date(2026, 3, 12)
    )
    # when the sweep runs on Monday
    reminder_sweep(today=datetime.date(2026, 3, 9))
    # then the provider is reminded
    assert list(Reminder.objects.values_list("rule", "offset")) == [("cancellation_due", 3)]
    # and once the cancellation is requested, no more reminders
    filing_cancel_request(
        filing_id=filing.pk, actor=provider_a, termination_date=datetime.date(2026, 2, 10), arrangements="已通知用户"
    )
    reminder_sweep(today=datetime.date(2026, 3, 11))
    assert Reminder.objects.count() == 1
