"""A filing's tier as recorded on it: the policy's tier, and a reviewer's override that stands
through later re-classification until a reviewer lifts it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ValidationFailed
from accounts.models import User
from filings.models import Filing
from filings.services.common import audit, check_reviewer, lock_filing

TIERS = (1, 2, 3, 4)


def filing_copy_tier_inputs(filing: Filing, data: dict[str, Any]) -> None:
    """Copy the Art. 23 factors of a version onto the filing (classification reads the columns)."""
    opinion = data.get("public_opinion")
    filing.public_opinion = {"yes": True, "no": False}.get(str(opinion)) if opinion else None
    filing.content_category = str(data.get("content_category") or "")
    users = data.get("monthly_active_users")
    filing.monthly_active_users = users if isinstance(users, int) else None
    filing.data_importance = str(data.get("data_importance") or "")
    filing.intervention_level = str(data.get("intervention_level") or "")


def filing_record_tier(*, filing: Filing, policy_tier: int, policy_version: int, explanation: dict[str, Any]) -> None:
    """Record a classification on a filing the caller has locked. An override stays in force."""
    filing.policy_tier = policy_tier
    filing.tier_policy_version = policy_version
    filing.tier_explanation = explanation
    filing.tier = filing.tier_override or policy_tier
    # A full save: the FSM's concurrency check compares the status, which a partial save would skip.
    filing.save()


def filing_override_tier(*, filing_id: int, actor: User, tier: int | None, reason: str) -> Filing:
    """The assigned reviewer sets the tier (with a written justification) or lifts an override (``None``)."""
    if tier is not None and tier not in TIERS:
        raise ValidationFailed({"tier": [_("Choose a tier from 1 to 4.")]})
    if not (reason or "").strip():
        raise ValidationFailed({"reason": [_("Justify the change of tier in writing.")]})
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_reviewer(filing, actor)
        before = filing.tier
        filing.tier_override = tier
        filing.tier_override_reason = reason.strip() if tier is not None else ""
        filing.tier_override_by = actor if tier is not None else None
        filing.tier_override_at = timezone.now() if tier is not None else None
        filing.tier = tier or filing.policy_tier
        filing.version += 1
        filing.save()
        audit(
            filing,
            "filing.tier_overridden" if tier is not None else "filing.tier_override_lifted",
            actor,
            reasons=reason.strip(),
            payload={"from": before, "to": filing.tier, "policy_tier": filing.policy_tier},
        )
    return filing
