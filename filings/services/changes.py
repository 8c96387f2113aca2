"""Changes (变更) and cancellation (注销) of a filed algorithm."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import Conflict, ValidationFailed
from accounts.models import User
from filings import signals
from filings.models import Filing, FilingCancellation, FilingVersion, FilingVersionPurpose
from filings.services.common import (
    audit,
    check_provider,
    last_approved_version,
    lock_filing,
    open_version,
    tell_members,
)
from filings.services.submission import CANCELLATION_WORKING_DAYS, CHANGE_WORKING_DAYS, deadline
from filings.workflow import FILED_STATUSES, OPEN_CANCELLATION_STATUSES


def _check_date(field: str, value: datetime.date | None, errors: dict[str, list[str]]) -> None:
    if value is None:
        errors[field] = [_("Enter the date.")]
    elif value > timezone.localdate():
        errors[field] = [_("The date cannot be in the future.")]


def _check_filed(filing: Filing) -> None:
    if filing.status not in FILED_STATUSES:
        raise Conflict(
            _("Only a filed algorithm can be changed or cancelled; it is %(status)s.")
            % {"status": filing.get_status_display()}
        )
    if open_version(filing) is not None:
        raise Conflict(_("A change of this filing is already open; submit or withdraw it first."))
    if filing.cancellations.filter(status__in=OPEN_CANCELLATION_STATUSES).exists():
        raise Conflict(_("A cancellation of this filing is pending."))


def filing_change_open(
    *, filing_id: int, actor: User, change_date: datetime.date | None, summary: str
) -> FilingVersion:
    """Open a new editable version of a filed algorithm; the filing keeps its number and stays public."""
    errors: dict[str, list[str]] = {}
    _check_date("change_date", change_date, errors)
    if not (summary or "").strip():
        errors["summary"] = [_("Describe the change.")]
    if errors:
        raise ValidationFailed(errors)
    assert change_date is not None
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        _check_filed(filing)
        base = last_approved_version(filing)
        assert base is not None, "a filed algorithm has an approved version"
        due = deadline(change_date, CHANGE_WORKING_DAYS)
        version = FilingVersion.objects.create(
            filing=filing,
            number=filing.versions.count() + 1,
            purpose=FilingVersionPurpose.CHANGE,
            data=dict(base.data),
            change_date=change_date,
            change_summary=summary.strip(),
            change_due=due.due,
            created_by=actor,
        )
        filing.version += 1
        filing.save()
        audit(filing, "filing.change_opened", actor, payload={"version": version.number})
    return version


def filing_cancel_request(
    *, filing_id: int, actor: User, termination_date: datetime.date | None, arrangements: str
) -> FilingCancellation:
    """Apply to cancel the filing after the service ended; the office reviews the request."""
    errors: dict[str, list[str]] = {}
    _check_date("termination_date", termination_date, errors)
    if not (arrangements or "").strip():
        errors["arrangements"] = [_("Describe the arrangements made for users and data.")]
    if errors:
        raise ValidationFailed(errors)
    assert termination_date is not None
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        _check_filed(filing)
        now = timezone.now()
        due = deadline(termination_date, CANCELLATION_WORKING_DAYS, done_at=now)
        cancellation = FilingCancellation.objects.create(
            filing=filing,
            termination_date=termination_date,
            arrangements=arrangements.strip(),
            due=due.due,
            late=due.late,
            due_provisional=due.provisional,
            submitted_by=actor,
            submitted_at=now,
        )
        filing.version += 1
        filing.save()
        event = audit(filing, "filing.cancellation_requested", actor, payload={"late": due.late})
        signals.filing_cancellation_submitted.send(sender=Filing, filing=filing, cancellation=cancellation, actor=actor)
        tell_members(
            filing,
            event,
            gettext_lazy("Received: cancellation of %(name)s"),
            gettext_lazy("The application to cancel %(name)s (%(number)s) was received for review."),
        )
    return cancellation


def filing_service_end_report(*, filing_id: int, actor: User, end_date: datetime.date | None) -> Filing:
    """The provider reports the day its service ends (or ended): the cancellation is then due within
    20 working days, and reminders count down to it. Reported again, the new date replaces the old."""
    if end_date is None:
        raise ValidationFailed({"end_date": [_("Enter the date.")]})
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        _check_filed(filing)
        if filing.launch_date and end_date < filing.launch_date:
            raise ValidationFailed({"end_date": [_("The service cannot end before it was launched.")]})
        if filing.cancellations.filter(status__in=OPEN_CANCELLATION_STATUSES).exists():
            raise Conflict(_("A cancellation of this filing is pending."))
        before = filing.service_end_date
        filing.service_end_date = end_date
        filing.cancellation_due = deadline(end_date, CANCELLATION_WORKING_DAYS).due
        filing.version += 1
        filing.save()
        audit(
            filing,
            "filing.service_end_reported",
            actor,
            payload={"end_date": str(end_date), "before": str(before or ""), "due": str(filing.cancellation_due)},
        )
    return filing
