"""The regulator's decisions on filings, changes and cancellations (called by supervision's review).

Each runs inside the review task's transaction and checks the reviewer's object permission.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import Conflict
from accounts.models import User
from filings import numbers
from filings.models import Filing, FilingCancellation, FilingVersion
from filings.services.common import audit, check_reviewer, lock_filing, tell_members
from filings.services.drafts import sync_summary
from filings.services.listing import listing_refresh
from filings.services.reassessments import reassessments_close
from filings.workdays import WorkCalendar
from filings.workflow import CancellationStatus, FilingStatus, VersionStatus

PENDING = (VersionStatus.SUBMITTED, VersionStatus.IN_REVIEW)


def _pending_version(filing: Filing, version_id: int | None = None) -> FilingVersion:
    versions = filing.versions.select_for_update().filter(status__in=PENDING)
    if version_id is not None:
        versions = versions.filter(id=version_id)
    version = versions.order_by("-number").first()
    if version is None:
        raise Conflict(_("Nothing of this filing is awaiting a decision."))
    return version


def review_started(*, filing_id: int, version_id: int | None = None, cancellation_id: int | None = None) -> None:
    """A reviewer took the subject up: it is now in review."""
    with transaction.atomic():
        filing = lock_filing(filing_id)
        if cancellation_id is not None:
            FilingCancellation.objects.filter(id=cancellation_id, status=CancellationStatus.SUBMITTED).update(
                status=CancellationStatus.IN_REVIEW
            )
            return
        versions = filing.versions.select_for_update().filter(status__in=PENDING)
        if version_id is not None:
            versions = versions.filter(id=version_id)
        version = versions.first()
        if version is None:
            return  # e.g. a returned filing whose correction is overdue: nothing under review
        if version.status == VersionStatus.SUBMITTED:
            version.status = VersionStatus.IN_REVIEW
            version.save(update_fields=["status"])
        if filing.status == FilingStatus.SUBMITTED:
            filing.start_review()
            filing.save()


def assign_number(filing: Filing) -> str:
    """The next serial of (entity, category, year). The organisation row lock serialises it."""
    organization = filing.organization  # locked by lock_filing: serials of one entity are serialised
    assert organization.entity_id, "an organisation that files algorithms has been approved"
    year = timezone.localdate().year
    prefix = numbers.serial_prefix(
        division=organization.registered_division_code,
        entity_id=organization.entity_id,
        category=filing.category_code,
        year=year,
    )
    last = (
        Filing.objects.filter(filing_number__startswith=prefix)
        .order_by("-filing_number")
        .values_list("filing_number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) : len(prefix) + 3]) + 1 if last else 1
    return numbers.compose(
        division=organization.registered_division_code,
        entity_id=organization.entity_id,
        category=filing.category_code,
        year=year,
        serial=serial,
    )


def _return_copy(filing: Filing, version: FilingVersion, actor: User) -> None:
    """After a return, a new draft (a copy of what was returned) is what the provider corrects."""
    FilingVersion.objects.create(
        filing=filing,
        number=filing.versions.count() + 1,
        purpose=version.purpose,
        data=dict(version.data),
        change_date=version.change_date,
        change_summary=version.change_summary,
        change_due=version.change_due,
        created_by=actor,
    )


def _pause_clock(filing: Filing) -> None:
    """The regulator's clock stops while the provider corrects within its own deadline."""
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    remaining = calendar.between(today, filing.decision_due).days if filing.decision_due else 0
    filing.clock_paused_at = timezone.now()
    filing.clock_remaining_days = max(0, remaining)
    filing.correction_due = calendar.add(today, settings.BEIAN["CORRECTION_WORKING_DAYS"]).value


def filing_decide(
    *,
    filing_id: int,
    actor: User,
    decision: str,
    reasons: str = "",
    item_reasons: Mapping[str, str] | None = None,
    reviewed_tier: int | None = None,
) -> Filing:
    """Decide a first filing: ``approve`` issues the number, ``return_for_correction`` or ``reject``.

    ``reviewed_tier`` is the tier whose stages the review ran through (the filing's tier by default).

    On a filing already returned (its correction is overdue) ``reject`` refuses it and
    ``return_for_correction`` gives the provider a new correction period.
    """
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_reviewer(filing, actor)
        if filing.status == FilingStatus.RETURNED:
            return _decide_overdue_correction(filing, actor, decision, reasons)
        version = _pending_version(filing)
        from_state = filing.status
        now = timezone.now()
        version.decided_at = now
        if decision == "approve":
            filing.approve()
            filing.filing_number = assign_number(filing)
            filing.approved_at = now
            filing.assessed_at = timezone.localdate()
            filing.reviewed_tier = reviewed_tier or filing.tier
            filing.return_reasons, filing.return_item_reasons = "", {}
            version.status = VersionStatus.APPROVED
        elif decision == "return_for_correction":
            filing.return_for_correction()
            filing.return_reasons, filing.return_item_reasons = reasons, dict(item_reasons or {})
            _pause_clock(filing)
            version.status = VersionStatus.RETURNED
        else:
            filing.reject()
            filing.ended_at = now
            version.status = VersionStatus.REJECTED
        version.save(update_fields=["status", "decided_at"])
        if decision == "return_for_correction":
            _return_copy(filing, version, actor)
        filing.version += 1
        filing.save()
        event = audit(
            filing,
            f"filing.{filing.status}",
            actor,
            from_state,
            reasons=reasons,
            payload={"number": filing.filing_number},
        )
        tell_members(filing, event, *_messages(decision), reasons=reasons)
    return filing


def _decide_overdue_correction(filing: Filing, actor: User, decision: str, reasons: str) -> Filing:
    draft = filing.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
    if decision == "reject":
        filing.reject()
        filing.ended_at = timezone.now()
        filing.clock_paused_at, filing.clock_remaining_days, filing.correction_due = None, None, None
        if draft is not None:
            draft.status = VersionStatus.REJECTED
            draft.save(update_fields=["status"])
    elif decision == "return_for_correction":
        filing.correction_due = (
            WorkCalendar.load().add(timezone.localdate(), settings.BEIAN["CORRECTION_WORKING_DAYS"]).value
        )
        filing.return_reasons = reasons or filing.return_reasons
    else:
        raise Conflict(_("A filing waiting for its correction cannot be approved."))
    filing.version += 1
    filing.save()
    event = audit(filing, f"filing.correction_overdue_{decision}", actor, FilingStatus.RETURNED, reasons=reasons)
    tell_members(filing, event, *_messages(decision), reasons=reasons)
    return filing


def change_decide(
    *,
    filing_id: int,
    version_id: int,
    actor: User,
    decision: str,
    reasons: str = "",
    reviewed_tier: int | None = None,
) -> FilingVersion:
    """Decide a change: approved content becomes the filing's; the number stays.

    A material change reviewed through a tier's stages (``reviewed_tier``) also counts as the filing's
    review at that tier; a fast-tracked one does not.
    """
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_reviewer(filing, actor)
        version = _pending_version(filing, version_id)
        version.decided_at = timezone.now()
        version.status = {
            "approve": VersionStatus.APPROVED,
            "return_for_correction": VersionStatus.RETURNED,
            "reject": VersionStatus.REJECTED,
        }[decision]
        version.save(update_fields=["status", "decided_at"])
        if decision == "approve":
            sync_summary(filing, version.data)
            if reviewed_tier:
                filing.reviewed_tier = reviewed_tier
        elif decision == "return_for_correction":
            _return_copy(filing, version, actor)
        filing.version += 1
        filing.save()
        if decision == "approve":
            today = timezone.localdate()
            listing_refresh(filing=filing, remark=f"{today.year}年{today.month}月变更")
        event = audit(
            filing, f"filing.change_{version.status}", actor, reasons=reasons, payload={"version": version.number}
        )
        tell_members(filing, event, *_change_messages(decision), reasons=reasons)
    return version


def cancellation_decide(*, cancellation_id: int, actor: User, decision: str, reasons: str = "") -> FilingCancellation:
    """Accept (the filing is cancelled) or refuse a cancellation request."""
    with transaction.atomic():
        filing_id = FilingCancellation.objects.values_list("filing_id", flat=True).get(id=cancellation_id)
        filing = lock_filing(filing_id)
        cancellation = FilingCancellation.objects.select_for_update().get(id=cancellation_id)
        check_reviewer(filing, actor)
        if cancellation.status not in (CancellationStatus.SUBMITTED, CancellationStatus.IN_REVIEW):
            raise Conflict(_("This cancellation request is not awaiting a decision."))
        cancellation.decided_at = timezone.now()
        cancellation.reasons = reasons
        from_state = filing.status
        if decision == "approve":
            cancellation.status = CancellationStatus.APPROVED
            filing.cancel()
            filing.ended_at = cancellation.decided_at
            reassessments_close(filing=filing)
            filing.version += 1
            filing.save()
            listing_refresh(filing=filing)
        else:
            cancellation.status = CancellationStatus.REJECTED
        cancellation.save(update_fields=["status", "decided_at", "reasons"])
        event = audit(
            filing,
            f"filing.cancellation_{cancellation.status}",
            actor,
            from_state if decision == "approve" else "",
            reasons=reasons,
        )
        subject = (
            gettext_lazy("Cancelled: %(name)s")
            if decision == "approve"
            else gettext_lazy("Cancellation refused: %(name)s")
        )
        tell_members(
            filing,
            event,
            subject,
            gettext_lazy("Decision on the cancellation of %(name)s (%(number)s).\n\n%(reasons)s"),
            reasons=reasons,
        )
    return cancellation


def _messages(decision: str) -> tuple[Promise, Promise]:
    if decision == "approve":
        return (
            gettext_lazy("Filed: %(name)s"),
            gettext_lazy(
                "%(name)s is filed. Filing number: %(number)s. Show it on the service with a link to the disclosure."
            ),
        )
    if decision == "return_for_correction":
        return (
            gettext_lazy("Returned for correction: %(name)s"),
            gettext_lazy("The filing of %(name)s was returned for correction:\n\n%(reasons)s"),
        )
    return (gettext_lazy("Not filed: %(name)s"), gettext_lazy("The filing of %(name)s was refused:\n\n%(reasons)s"))


def _change_messages(decision: str) -> tuple[Promise, Promise]:
    subject = {
        "approve": gettext_lazy("Change approved: %(name)s"),
        "return_for_correction": gettext_lazy("Change returned for correction: %(name)s"),
        "reject": gettext_lazy("Change rejected: %(name)s"),
    }[decision]
    return subject, gettext_lazy("Decision on the change to %(name)s.\n\n%(reasons)s")
