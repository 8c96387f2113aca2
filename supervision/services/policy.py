"""New versions of the tier policy, written by supervisors of the central office."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, ValidationFailed
from accounts.models import User
from accounts.roles import is_central_supervisor
from accounts.services.audit import audit_record
from supervision.models import TierPolicy
from supervision.tiering import FACTORS


def _check_central_supervisor(actor: User) -> None:
    if not is_central_supervisor(actor):
        raise ActionForbidden(_("Only supervisors of the central office change the tier policy."))


def validate_policy(
    *, effective_from: datetime.date | None, points: dict[str, Any], thresholds: list[int], floors: list[dict[str, Any]]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if effective_from is None or effective_from < timezone.localdate():
        errors["effective_from"] = [_("A new version takes effect today or later.")]
    if len(thresholds) != 3 or thresholds != sorted(thresholds) or any(t < 0 for t in thresholds):
        errors["thresholds"] = [_("Give three minimum totals for tiers 2, 3 and 4, in ascending order.")]
    if set(points) != set(FACTORS):
        errors["points"] = [_("Every factor needs its points.")]
    for floor in floors:
        if floor.get("factor") not in FACTORS or int(floor.get("tier", 0)) not in (2, 3, 4):
            errors["floors"] = [_("A floor names a factor, a value or a minimum, and a tier from 2 to 4.")]
    return errors


def tier_policy_create(
    *,
    actor: User,
    effective_from: datetime.date | None,
    points: dict[str, Any],
    thresholds: list[int],
    floors: list[dict[str, Any]],
    note: str = "",
) -> TierPolicy:
    _check_central_supervisor(actor)
    errors = validate_policy(effective_from=effective_from, points=points, thresholds=thresholds, floors=floors)
    if errors:
        raise ValidationFailed(errors)
    assert effective_from is not None
    with transaction.atomic():
        # A table lock keeps two supervisors from creating the same version number.
        version = (TierPolicy.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0) + 1
        policy = TierPolicy.objects.create(
            version=version,
            effective_from=effective_from,
            points=points,
            thresholds=thresholds,
            floors=floors,
            note=note.strip(),
            created_by=actor,
        )
        audit_record(
            action="tier_policy.created",
            subject_type="tier_policy",
            subject_id=policy.pk,
            actor=actor,
            payload={"version": version, "effective_from": str(effective_from)},
        )
        if effective_from <= timezone.localdate():
            # In force at once: re-classify now (a job with progress); later dates are picked up nightly.
            from supervision.services.retiering import retier_if_policy_changed

            retier_if_policy_changed(actor=actor)
    return policy
