"""The regulator ends a filed algorithm: revocation (撤销, Art. 33: filed by concealment or false
materials) or cancellation (注销, Art. 34: the service ended without cancelling, or was shut down)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import User
from accounts.roles import is_reviewer
from filings import signals
from filings.models import Filing
from filings.services.common import audit, lock_filing, open_version, tell_members
from filings.services.listing import listing_refresh
from filings.services.reassessments import reassessments_close
from filings.workflow import FILED_STATUSES, OPEN_CANCELLATION_STATUSES, CancellationStatus, VersionStatus

ACTIONS = {"revoke": "revoke", "cancel": "cancel"}


def _check_jurisdiction(filing: Filing, actor: User) -> None:
    office = actor.office
    if not is_reviewer(actor) or office is None:
        raise ActionForbidden(_("Only reviewers of the responsible office may revoke or cancel a filing."))
    if not office.is_central and office.province_code != filing.province_code:
        raise ActionForbidden(_("Only reviewers of the responsible office may revoke or cancel a filing."))


def filing_regulator_end(*, filing_id: int, actor: User, action: str, reasons: str) -> Filing:
    if action not in ACTIONS:
        raise ValidationFailed({"action": [_("Choose to revoke or to cancel.")]})
    if not (reasons or "").strip():
        raise ValidationFailed({"reasons": [_("Give the reasons for this decision.")]})
    with transaction.atomic():
        filing = lock_filing(filing_id)
        _check_jurisdiction(filing, actor)
        if filing.status not in FILED_STATUSES:
            raise Conflict(_("Only a filed algorithm can be revoked or cancelled."))
        _close_pending(filing, actor)
        from_state = filing.status
        getattr(filing, ACTIONS[action])()
        filing.ended_at = timezone.now()
        filing.version += 1
        filing.save()
        listing_refresh(filing=filing)
        event = audit(filing, f"filing.regulator_{action}", actor, from_state, reasons=reasons.strip())
        subject = gettext_lazy("Revoked: %(name)s") if action == "revoke" else gettext_lazy("Cancelled: %(name)s")
        tell_members(
            filing,
            event,
            subject,
            gettext_lazy("%(name)s (%(number)s) was ended by the regulator:\n\n%(reasons)s"),
            reasons=reasons.strip(),
        )
    return filing


def _close_pending(filing: Filing, actor: User) -> None:
    """A pending change, cancellation request or re-assessment ends with the filing."""
    version = open_version(filing)
    if version is not None:
        was_pending = version.status != VersionStatus.DRAFT
        version.status = VersionStatus.WITHDRAWN
        version.save(update_fields=["status"])
        if was_pending:
            signals.filing_subject_withdrawn.send(
                sender=Filing, subject_type="change", subject_id=version.pk, actor=actor
            )
    for cancellation in filing.cancellations.filter(status__in=OPEN_CANCELLATION_STATUSES):
        cancellation.status = CancellationStatus.WITHDRAWN
        cancellation.save(update_fields=["status"])
        signals.filing_subject_withdrawn.send(
            sender=Filing, subject_type="cancellation", subject_id=cancellation.pk, actor=actor
        )
    reassessments_close(filing=filing)
