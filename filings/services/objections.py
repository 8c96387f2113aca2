"""Objections (异议) from the public against published filings, and the office's recorded outcome."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import Conflict, ValidationFailed
from accounts.models import User
from filings import signals
from filings.models import Filing, Objection, ObjectionStatus
from filings.services.common import audit, check_reviewer, lock_filing
from filings.workflow import FilingStatus

MAX_TEXT = 4000


def objection_submit(*, filing_id: int, text: str, contact: str, name: str = "") -> Objection:
    """Anyone may object to a published filing; the responsible office reviews it."""
    errors: dict[str, list[str]] = {}
    if not (text or "").strip():
        errors["text"] = [_("Describe your objection.")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [_("Keep it under %(n)s characters.") % {"n": MAX_TEXT}]
    if not (contact or "").strip():
        errors["contact"] = [_("Give an e-mail address or a telephone number so that the office can reply.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        filing = lock_filing(filing_id)
        if filing.status != FilingStatus.PUBLISHED:
            raise Conflict(_("Objections can be raised only against a published filing."))
        objection = Objection.objects.create(
            filing=filing, text=text.strip(), contact=contact.strip()[:200], name=(name or "").strip()[:100]
        )
        # The objector's contact stays on the objection; the audit log records only that it happened.
        audit(filing, "filing.objection_received", None, payload={"objection": objection.pk})
        signals.filing_objection_submitted.send(sender=Filing, filing=filing, objection=objection)
    return objection


def objection_review_started(*, objection_id: int) -> None:
    Objection.objects.filter(id=objection_id, status=ObjectionStatus.SUBMITTED).update(status=ObjectionStatus.IN_REVIEW)


def objection_decide(*, objection_id: int, actor: User, decision: str, outcome: str) -> Objection:
    """``uphold`` (the objection is founded: the office follows it up) or ``dismiss``, with the outcome."""
    if not (outcome or "").strip():
        raise ValidationFailed({"reasons": [_("Record the outcome of the objection.")]})
    filing_id = Objection.objects.filter(id=objection_id).values_list("filing_id", flat=True).first()
    if filing_id is None:
        raise Conflict(_("This objection no longer exists."))
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_reviewer(filing, actor)
        objection = Objection.objects.select_for_update().get(id=objection_id)
        if objection.status not in (ObjectionStatus.SUBMITTED, ObjectionStatus.IN_REVIEW):
            raise Conflict(_("This objection has already been decided."))
        objection.status = ObjectionStatus.UPHELD if decision == "uphold" else ObjectionStatus.DISMISSED
        objection.outcome, objection.decided_at = outcome.strip(), timezone.now()
        objection.save(update_fields=["status", "outcome", "decided_at"])
        audit(
            filing,
            f"filing.objection_{objection.status}",
            actor,
            reasons=objection.outcome,
            payload={"objection": objection.pk},
        )
    return objection
