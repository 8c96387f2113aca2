"""Periodic re-assessment (定期重新评估) of filed algorithms.

A case opens when a filing's re-assessment date comes or its tier rises above the tier it was last
reviewed at (supervision decides which filings, in bulk). The provider uploads an updated
self-assessment within 20 working days; the office reviews it like a change. A case not answered in
time marks the filing "re-assessment overdue" until the provider submits.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import Conflict, ValidationFailed
from accounts.models import User
from accounts.services.audit import audit_record_many
from accounts.services.files import discard_file, inspect_upload, store_file
from accounts.services.notifications import notify_each
from filings import signals
from filings.models import Filing, FilingAttachment, Reassessment
from filings.services.common import SUBJECT, audit, check_provider, check_reviewer, lock_filing, tell_members
from filings.workdays import WorkCalendar
from filings.workflow import (
    AWAITING_PROVIDER_REASSESSMENT,
    FILED_STATUSES,
    OPEN_REASSESSMENT_STATUSES,
    AttachmentKind,
    ReassessmentReason,
    ReassessmentStatus,
)

REASSESSMENT_WORKING_DAYS = 20

_OPEN = """
INSERT INTO filings_reassessment
    (filing_id, status, reason, tier, due, due_provisional, late, opened_at, statement, reasons)
SELECT f.id, 'open', %(reason)s, f.tier, %(due)s, %(provisional)s, false, now(), '', ''
FROM filings_filing f
WHERE f.id = ANY(%(ids)s) AND f.status IN ('approved', 'published')
ORDER BY f.id
-- a filing being cancelled or revoked at this moment is waited for, then seen as ended
FOR SHARE OF f
ON CONFLICT (filing_id) WHERE status IN ({open_statuses}) DO NOTHING
RETURNING id, filing_id
"""


def reassessments_open(*, filing_ids: Sequence[int], reason: str, today: datetime.date | None = None) -> int:
    """Open a case for each of ``filing_ids`` that is filed and has none open (one statement).

    The partial unique index on open cases makes this idempotent and safe against a second worker:
    a filing that already has a case is skipped. Providers get one notice per person.
    """
    if reason not in ReassessmentReason.values:
        raise ValueError(f"unknown re-assessment reason {reason!r}")
    if not filing_ids:
        return 0
    due = WorkCalendar.load().add(today or timezone.localdate(), REASSESSMENT_WORKING_DAYS)
    statuses = ", ".join(f"'{s}'" for s in sorted(OPEN_REASSESSMENT_STATUSES))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _OPEN.format(open_statuses=statuses),
            {"reason": reason, "due": due.value, "provisional": due.provisional, "ids": list(filing_ids)},
        )
        opened = {filing_id: case_id for case_id, filing_id in cursor.fetchall()}
        if opened:
            _announce_opened(opened, reason, due.value)
    return len(opened)


def _announce_opened(opened: dict[int, int], reason: str, due: datetime.date) -> None:
    filings = list(Filing.objects.filter(id__in=opened).values_list("id", "organization_id", "name"))
    audit_record_many(
        action="filing.reassessment_opened",
        subject_type=SUBJECT,
        rows=[(fid, org, {"reassessment": opened[fid], "reason": reason}) for fid, org, _name in filings],
    )
    names_by_org: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for filing_id, organization_id, name in filings:
        names_by_org[organization_id].append((filing_id, name or f"#{filing_id}"))
    members = User.objects.filter(organization_id__in=names_by_org, is_active=True)
    notify_each(_opened_message(user, names_by_org[user.organization_id or 0], due) for user in members)


def _opened_message(
    user: User, cases: list[tuple[int, str]], due: datetime.date
) -> tuple[User, Promise, Promise, dict[str, Any], str]:
    return (
        user,
        gettext_lazy("Re-assessment requested: %(count)s filing(s)"),
        gettext_lazy(
            "Upload an updated self-assessment report for each of these filed algorithms by %(due)s:\n%(names)s"
        ),
        {"count": len(cases), "due": due.isoformat(), "names": "\n".join(f"· {n}" for _i, n in cases)},
        f"/filings/{cases[0][0]}/reassessment/" if len(cases) == 1 else "/filings/",
    )


def _lock_case(reassessment_id: int) -> tuple[Filing, Reassessment]:
    filing_id = Reassessment.objects.filter(id=reassessment_id).values_list("filing_id", flat=True).first()
    if filing_id is None:
        raise Conflict(_("This re-assessment no longer exists."))
    filing = lock_filing(filing_id)
    case = Reassessment.objects.select_for_update().get(id=reassessment_id)
    return filing, case


def reassessment_submit(*, reassessment_id: int, actor: User, report: Any, statement: str = "") -> Reassessment:
    """The provider answers a case with an updated self-assessment report (a PDF)."""
    if report is None:
        raise ValidationFailed({"report": [_("Upload the updated self-assessment report.")]})
    try:
        inspected = inspect_upload(report)
    except ValidationFailed as exc:  # the same checks as any document, reported against this field
        raise ValidationFailed({"report": [m for messages in exc.errors.values() for m in messages]}) from exc
    if inspected.content_type != "application/pdf":
        raise ValidationFailed({"report": [_("The self-assessment report must be a PDF file.")]})
    with transaction.atomic():
        filing, case = _lock_case(reassessment_id)
        check_provider(filing, actor)
        if case.status not in AWAITING_PROVIDER_REASSESSMENT or filing.status not in FILED_STATUSES:
            raise Conflict(_("This re-assessment is not waiting for your report."))
        attachment = store_file(
            FilingAttachment(filing=filing, kind=AttachmentKind.REASSESSMENT_REPORT, uploaded_by=actor), inspected
        )
        try:
            _record_submission(filing, case, actor, attachment, statement)
        except Exception:
            discard_file(attachment)
            raise
    return case


def _record_submission(
    filing: Filing, case: Reassessment, actor: User, attachment: FilingAttachment, statement: str
) -> None:
    now = timezone.now()
    from_state = case.status
    case.late = case.late or timezone.localdate() > case.due
    case.status = ReassessmentStatus.SUBMITTED
    case.report = attachment
    case.statement = (statement or "").strip()
    case.submitted_by, case.submitted_at = actor, now
    # Reviewed at the tier the filing has now (it may have risen since the case opened).
    case.tier = filing.tier
    case.save()
    filing.reassessment_overdue = False
    filing.version += 1
    filing.save()
    event = audit(
        filing,
        "filing.reassessment_submitted",
        actor,
        payload={"reassessment": case.pk, "from": from_state, "late": case.late, "sha256": attachment.sha256},
    )
    signals.filing_reassessment_submitted.send(sender=Filing, filing=filing, reassessment=case, actor=actor)
    tell_members(
        filing,
        event,
        gettext_lazy("Received: re-assessment of %(name)s"),
        gettext_lazy("The updated self-assessment of %(name)s was received for review."),
    )


def reassessment_review_started(*, reassessment_id: int) -> None:
    Reassessment.objects.filter(id=reassessment_id, status=ReassessmentStatus.SUBMITTED).update(
        status=ReassessmentStatus.IN_REVIEW
    )


def reassessment_decide(*, reassessment_id: int, actor: User, decision: str, reasons: str = "") -> Reassessment:
    """Accept the re-assessment, return it for correction, or refuse it (a new case opens at once)."""
    with transaction.atomic():
        filing, case = _lock_case(reassessment_id)
        check_reviewer(filing, actor)
        if case.status not in (ReassessmentStatus.SUBMITTED, ReassessmentStatus.IN_REVIEW):
            raise Conflict(_("This re-assessment is not awaiting a decision."))
        today = timezone.localdate()
        case.decided_at, case.reasons = timezone.now(), reasons
        if decision == "approve":
            case.status = ReassessmentStatus.APPROVED
            filing.assessed_at = today
            filing.reviewed_tier = case.tier
        elif decision == "return_for_correction":
            case.status = ReassessmentStatus.RETURNED
            case.due = WorkCalendar.load().add(today, settings.BEIAN["CORRECTION_WORKING_DAYS"]).value
        else:
            case.status = ReassessmentStatus.REJECTED
        case.save()
        filing.version += 1
        filing.save()
        event = audit(
            filing, f"filing.reassessment_{case.status}", actor, reasons=reasons, payload={"reassessment": case.pk}
        )
        tell_members(filing, event, *_MESSAGES[decision], reasons=reasons, due=case.due.isoformat())
        if decision == "reject":
            reassessments_open(filing_ids=[filing.pk], reason=ReassessmentReason.REFUSED, today=today)
    return case


_MESSAGES = {
    "approve": (
        gettext_lazy("Re-assessment accepted: %(name)s"),
        gettext_lazy("The re-assessment of %(name)s (%(number)s) was accepted."),
    ),
    "return_for_correction": (
        gettext_lazy("Re-assessment returned: %(name)s"),
        gettext_lazy("Correct the re-assessment of %(name)s and upload it again by %(due)s. Reasons: %(reasons)s"),
    ),
    "reject": (
        gettext_lazy("Re-assessment refused: %(name)s"),
        gettext_lazy("The re-assessment of %(name)s was refused: %(reasons)s. A new re-assessment has been opened."),
    ),
}


def reassessments_close(*, filing: Filing) -> None:
    """The filing ended (cancelled or revoked): its open case, if any, closes. The caller holds the lock."""
    case = Reassessment.objects.filter(filing=filing, status__in=OPEN_REASSESSMENT_STATUSES).first()
    if case is None:
        return
    Reassessment.objects.filter(id=case.pk).update(status=ReassessmentStatus.CLOSED, decided_at=timezone.now())
    filing.reassessment_overdue = False
    signals.filing_subject_withdrawn.send(sender=Filing, subject_type="reassessment", subject_id=case.pk, actor=None)


def reassessment_overdue_sweep(*, today: datetime.date | None = None) -> int:
    """Mark cases whose provider missed the due date, and their filings (set-based; a rerun writes nothing).

    A case stays ``late`` as a record; the filing's mark is set whenever a case waiting for the
    provider is past its date (again after a return with a new date) and cleared on submission.
    """
    today = today or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE filings_reassessment SET late = true"
            " WHERE status IN ('open', 'returned') AND due < %s AND NOT late",
            [today],
        )
        cursor.execute(
            "UPDATE filings_filing f SET reassessment_overdue = true FROM filings_reassessment r"
            " WHERE r.filing_id = f.id AND r.status IN ('open', 'returned') AND r.due < %s"
            " AND f.status IN ('approved', 'published') AND NOT f.reassessment_overdue"
            " RETURNING f.id, f.organization_id",
            [today],
        )
        marked = cursor.fetchall()
        audit_record_many(
            action="filing.reassessment_overdue",
            subject_type=SUBJECT,
            rows=[(fid, org, {}) for fid, org in marked],
        )
    return len(marked)
