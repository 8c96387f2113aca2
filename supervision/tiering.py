"""Tiering (分级分类): a policy version turns a filing's Art. 23 factors into points and a tier.

The same policy is evaluated two ways: in Python for one filing (with the factor-by-factor
explanation reviewers see) and as one SQL expression over the filings table (to preview a new
version's effect, or to re-tier every filing at once). Tests check that both agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from filings.models import Filing
from supervision.models import TierPolicy

FACTORS = ("public_opinion", "content_category", "monthly_active_users", "data_importance", "intervention_level")


@dataclass(frozen=True)
class Classification:
    tier: int
    total: int
    rows: list[dict[str, Any]]
    floor: dict[str, Any] | None
    policy_version: int

    def explanation(self) -> dict[str, Any]:
        return {"total": self.total, "factors": self.rows, "floor": self.floor, "policy_version": self.policy_version}


def policy_in_force(on: datetime.date | None = None) -> TierPolicy:
    day = on or timezone.localdate()
    policy = TierPolicy.objects.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
    if policy is None:
        raise LookupError("no tier policy is in force; the migration loads the default")
    return policy


def inputs_of(filing: Filing) -> dict[str, Any]:
    opinion = None if filing.public_opinion is None else ("yes" if filing.public_opinion else "no")
    return {
        "public_opinion": opinion,
        "content_category": filing.content_category,
        "monthly_active_users": filing.monthly_active_users,
        "data_importance": filing.data_importance,
        "intervention_level": filing.intervention_level,
    }


def _users_points(bands: list[list[int]], users: int | None) -> int:
    points = 0
    for minimum, band_points in bands:
        if users is not None and users >= minimum:
            points = band_points
    return points


def _floor_applies(floor: dict[str, Any], inputs: dict[str, Any]) -> bool:
    value = inputs.get(floor["factor"])
    if "min" in floor:
        return value is not None and int(value) >= int(floor["min"])
    return bool(value == floor.get("value"))


def _tier_of(total: int, thresholds: list[int]) -> int:
    return 1 + sum(1 for minimum in thresholds if total >= minimum)


def classify(policy: TierPolicy, inputs: dict[str, Any]) -> Classification:
    rows: list[dict[str, Any]] = []
    for factor in FACTORS:
        value = inputs.get(factor)
        if factor == "monthly_active_users":
            points = _users_points(policy.points[factor], value)
        else:
            points = int(policy.points.get(factor, {}).get(value or "", 0))
        rows.append({"factor": factor, "value": value, "points": points})
    total = sum(int(row["points"]) for row in rows)
    tier = _tier_of(total, policy.thresholds)
    applied = None
    for floor in policy.floors:
        if _floor_applies(floor, inputs) and int(floor["tier"]) > tier:
            tier, applied = int(floor["tier"]), floor
    return Classification(tier, total, rows, applied, policy.version)


# --- the same policy as SQL -------------------------------------------------------------------------


def _choice_points(field: str, mapping: dict[str, int]) -> Case:
    whens = [When(**{field: value}, then=Value(points)) for value, points in mapping.items() if points]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def points_expression(policy: TierPolicy) -> Combinable:
    points = policy.points
    opinion = Case(
        When(public_opinion=True, then=Value(int(points["public_opinion"].get("yes", 0)))),
        When(public_opinion=False, then=Value(int(points["public_opinion"].get("no", 0)))),
        default=Value(0),
        output_field=IntegerField(),
    )
    bands = sorted(points["monthly_active_users"], key=lambda band: -band[0])
    users = Case(
        *[When(monthly_active_users__gte=minimum, then=Value(band)) for minimum, band in bands],
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        opinion
        + _choice_points("content_category", points["content_category"])
        + users
        + _choice_points("data_importance", points["data_importance"])
        + _choice_points("intervention_level", points["intervention_level"])
    )


def tier_expression(policy: TierPolicy) -> Combinable:
    """The policy's tier for each row; needs the ``_points`` annotation (see ``annotate_policy_tier``)."""
    by_points: Combinable = Value(1, output_field=IntegerField())
    for minimum in policy.thresholds:
        by_points = by_points + Case(
            When(_points__gte=minimum, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    floors = []
    for floor in policy.floors:
        factor = floor["factor"]
        condition = Q(**{f"{factor}__gte": int(floor["min"])}) if "min" in floor else Q(**{factor: floor["value"]})
        floors.append(
            Case(When(condition, then=Value(int(floor["tier"]))), default=Value(1), output_field=IntegerField())
        )
    return Greatest(by_points, *floors) if floors else by_points


def annotate_policy_tier(queryset: Any, policy: TierPolicy) -> Any:
    """Adds ``_points`` and ``_policy_tier`` columns computed in the database."""
    return queryset.annotate(_points=points_expression(policy)).annotate(_policy_tier=tier_expression(policy))


def preview(policy: TierPolicy) -> dict[str, Any]:
    """How many classified filings would change tier under ``policy`` (one GROUP BY query).

    Reviewer overrides stand, so filings with an override keep their tier.
    """
    rows = (
        annotate_policy_tier(Filing.objects.exclude(policy_tier=None), policy)
        .annotate(_new_tier=Coalesce("tier_override", "_policy_tier"))
        .values("tier", "_new_tier")
        .annotate(n=Count("*"))
        .order_by()
    )
    moves = [{"from": row["tier"], "to": row["_new_tier"], "count": row["n"]} for row in rows]
    changed = sum(move["count"] for move in moves if move["from"] != move["to"])
    return {
        "moves": sorted(moves, key=lambda m: (m["from"] or 0, m["to"] or 0)),
        "changed": changed,
        "total": sum(move["count"] for move in moves),
    }


def explanation_of(filing: Filing) -> dict[str, Any]:
    """The factor-by-factor explanation of the filing's policy tier.

    Set-based re-tiering stores no explanation (one statement updates thousands of rows); policy
    versions never change once written, so it is recomputed here from the version that set the tier.
    """
    stored: dict[str, Any] = filing.tier_explanation or {}
    if filing.tier_policy_version is None or stored.get("policy_version") == filing.tier_policy_version:
        return stored
    policy = TierPolicy.objects.filter(version=filing.tier_policy_version).first()
    if policy is None:
        return stored
    return classify(policy, inputs_of(filing)).explanation()
