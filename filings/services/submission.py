"""Submitting (which freezes a version), and withdrawing before a decision."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import User
from filings import signals
from filings.fields import missing_and_invalid
from filings.models import Filing, FilingCancellation, FilingVersion, FilingVersionPurpose
from filings.services.common import (
    audit,
    check_provider,
    last_approved_version,
    lock_filing,
    open_version,
    tell_members,
)
from filings.services.drafts import FILING_WORKING_DAYS, current_attachments
from filings.services.tiering import filing_copy_tier_inputs
from filings.versions import content_hash, diff
from filings.workdays import WorkCalendar, deadline_end
from filings.workflow import (
    OPEN_CANCELLATION_STATUSES,
    REQUIRED_ATTACHMENTS,
    CancellationStatus,
    FilingStatus,
    VersionStatus,
)

CHANGE_WORKING_DAYS = 10  # Art. 24 ¶2
CANCELLATION_WORKING_DAYS = 20  # Art. 24 ¶3
DECISION_WORKING_DAYS = 30  # Art. 25


@dataclass(frozen=True)
class Deadline:
    due: datetime.date
    late: bool
    provisional: bool


def deadline(start: datetime.date, working_days: int, *, done_at: datetime.datetime | None = None) -> Deadline:
    """The due date, and whether ``done_at`` (now by default) is after its 24:00 Beijing time."""
    result = WorkCalendar.load().add(start, working_days)
    moment = done_at or timezone.now()
    return Deadline(result.value, moment >= deadline_end(result.value), result.provisional)


def _problems(version: FilingVersion, attachment_kinds: set[str]) -> dict[str, list[str]]:
    problems = missing_and_invalid(version.data)
    for kind in REQUIRED_ATTACHMENTS:
        if kind.value not in attachment_kinds:
            problems[f"attachments.{kind.value}"] = [_("Upload the %(document)s.") % {"document": kind.label}]
    return problems


def _freeze(version: FilingVersion, filing: Filing) -> None:
    """Fix what is submitted: the content and each document by its SHA-256."""
    documents = current_attachments(filing)
    snapshot = {
        kind: {"id": a.pk, "sha256": a.sha256, "filename": a.original_name, "size": a.size}
        for kind, a in documents.items()
    }
    digest = content_hash(version.data, snapshot)
    previous = (
        filing.versions.filter(frozen=True, purpose=version.purpose).exclude(id=version.pk).order_by("-number").first()
    )
    if previous is not None and previous.content_hash == digest:
        raise ValidationFailed(
            {
                "non_field_errors": [
                    _("Nothing changed since the last submission: correct the filing before resubmitting.")
                ]
            }
        )
    version.attachments = snapshot
    version.content_hash = digest
    version.frozen = True
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()


def filing_submit(*, filing_id: int, actor: User) -> Filing:
    """Submit the open draft (the first filing, a correction, or a change): every problem at once."""
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        if not filing.organization.is_approved:
            raise ActionForbidden(_("Your organisation must be approved before it can file algorithms."))
        version = open_version(filing)
        if version is None or version.status != VersionStatus.DRAFT:
            raise Conflict(
                _("There is nothing to submit: the filing is %(status)s.") % {"status": filing.get_status_display()}
            )
        problems = _problems(version, set(current_attachments(filing)))
        if problems:
            raise ValidationFailed(problems, message=_("The filing is not complete."))
        _freeze(version, filing)
        if version.purpose == FilingVersionPurpose.INITIAL:
            _submit_initial(filing, version, actor)
        else:
            _submit_change(filing, version, actor)
        # The review handlers (classification, assignment) may have changed the row since.
        filing.refresh_from_db()
    return filing


def _submit_initial(filing: Filing, version: FilingVersion, actor: User) -> None:
    from_state = filing.status
    resubmission = from_state == FilingStatus.RETURNED
    launch = datetime.date.fromisoformat(version.data["launch_date"])
    filing_due = deadline(launch, FILING_WORKING_DAYS, done_at=version.submitted_at)
    decision = _decision_deadline(filing)
    filing.submit()
    filing_copy_tier_inputs(filing, version.data)
    filing.submitted_at = version.submitted_at
    if not resubmission:
        # A correction does not move the filing deadline: lateness is judged on the first submission.
        filing.filing_due, filing.filing_late = filing_due.due, filing_due.late
        filing.filing_due_provisional = filing_due.provisional
    filing.decision_due, filing.decision_due_provisional = decision.due, decision.provisional
    filing.deadline_provisional = filing.filing_due_provisional or filing.decision_due_provisional
    version.save()
    # Saved before the event is announced: its handlers read and update the row.
    filing.version += 1
    filing.save()
    event = audit(
        filing, "filing.submitted", actor, from_state, payload={"version": version.number, "late": filing.filing_late}
    )
    signals.filing_submitted.send(sender=Filing, filing=filing, version=version, actor=actor, resubmission=resubmission)
    tell_members(
        filing,
        event,
        gettext_lazy("Received: filing of %(name)s"),
        gettext_lazy("The filing of %(name)s was received. The office decides by %(due)s."),
        due=filing.decision_due,
    )


def _decision_deadline(filing: Filing) -> Deadline:
    """Art. 25's 30 working days; after a correction the clock resumes with the days it had left."""
    today = timezone.localdate()
    remaining = filing.clock_remaining_days
    filing.clock_paused_at, filing.clock_remaining_days, filing.correction_due = None, None, None
    if remaining is None:
        return deadline(today, DECISION_WORKING_DAYS)
    if remaining == 0:
        result = WorkCalendar.load().next_workday(today)
        return Deadline(result.value, False, result.provisional)
    return deadline(today, remaining)


def _submit_change(filing: Filing, version: FilingVersion, actor: User) -> None:
    assert version.change_date is not None
    due = deadline(version.change_date, CHANGE_WORKING_DAYS, done_at=version.submitted_at)
    version.change_due, version.change_late = due.due, due.late
    base = last_approved_version(filing)
    version.material = any(change["material"] for change in diff(base.data if base else {}, version.data))
    version.save()
    filing.version += 1
    filing.save()
    event = audit(
        filing, "filing.change_submitted", actor, payload={"version": version.number, "material": version.material}
    )
    signals.filing_change_submitted.send(sender=Filing, filing=filing, version=version, actor=actor)
    tell_members(
        filing,
        event,
        gettext_lazy("Received: change to %(name)s"),
        gettext_lazy("The change to %(name)s (%(number)s) was received for review."),
    )


def filing_withdraw(*, filing_id: int, actor: User) -> Filing:
    """Withdraw what is pending before a decision: a cancellation request, a change, or the filing."""
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        cancellation = filing.cancellations.filter(status__in=OPEN_CANCELLATION_STATUSES).first()
        version = open_version(filing)
        if cancellation is not None:
            _withdraw_cancellation(filing, cancellation, actor)
        elif version is not None and version.purpose == FilingVersionPurpose.CHANGE:
            _withdraw_version(filing, version, actor, "change")
        elif filing.status in {
            FilingStatus.DRAFT,
            FilingStatus.SUBMITTED,
            FilingStatus.IN_REVIEW,
            FilingStatus.RETURNED,
        }:
            from_state = filing.status
            filing.withdraw()
            filing.ended_at = timezone.now()
            if version is not None:
                _withdraw_version(filing, version, actor, "filing")
            audit(filing, "filing.withdrawn", actor, from_state)
        else:
            raise Conflict(_("Nothing is pending a decision: a filed algorithm ends by cancellation."))
        filing.version += 1
        filing.save()
    return filing


def _withdraw_version(filing: Filing, version: FilingVersion, actor: User, subject_type: str) -> None:
    was_pending = version.status in {VersionStatus.SUBMITTED, VersionStatus.IN_REVIEW}
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status"])
    if subject_type == "change":
        audit(filing, "filing.change_withdrawn", actor, payload={"version": version.number})
    if was_pending:
        subject_id = filing.pk if subject_type == "filing" else version.pk
        signals.filing_subject_withdrawn.send(
            sender=Filing, subject_type=subject_type, subject_id=subject_id, actor=actor
        )


def _withdraw_cancellation(filing: Filing, cancellation: FilingCancellation, actor: User) -> None:
    cancellation.status = CancellationStatus.WITHDRAWN
    cancellation.save(update_fields=["status"])
    audit(filing, "filing.cancellation_withdrawn", actor)
    signals.filing_subject_withdrawn.send(
        sender=Filing, subject_type="cancellation", subject_id=cancellation.pk, actor=actor
    )
