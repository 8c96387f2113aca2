"""The tier policy page: the versions, and a new version with a preview of its effect."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, ValidationFailed
from accounts.models import User
from accounts.roles import is_central_supervisor, is_regulator
from filings.fields import BY_KEY
from supervision.models import TierPolicy
from supervision.services.policy import tier_policy_create, validate_policy
from supervision.tiering import policy_in_force, preview

CHOICE_FACTORS = ("public_opinion", "content_category", "data_importance", "intervention_level")
FLOOR_RE = re.compile(r"^\s*(\w+)\s*(=|>=)\s*([\w.]+)\s*:\s*(\d)\s*$")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _int(value: str | None) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        return -1


def _policy_from_post(post: Any, base: TierPolicy) -> tuple[dict[str, Any], list[int], list[dict[str, Any]]]:
    points: dict[str, Any] = {}
    for factor in CHOICE_FACTORS:
        points[factor] = {
            value: max(0, _int(post.get(f"p_{factor}_{value}", points_value)))
            for value, points_value in base.points[factor].items()
        }
    bands = []
    for index in range(5):
        minimum, band_points = _int(post.get(f"band_min_{index}")), _int(post.get(f"band_points_{index}"))
        if minimum >= 0 and band_points >= 0:
            bands.append([minimum, band_points])
    points["monthly_active_users"] = sorted(bands)
    thresholds = [_int(post.get(f"threshold_{tier}")) for tier in (2, 3, 4)]
    floors: list[dict[str, Any]] = []
    for line in str(post.get("floors", "")).splitlines():
        match = FLOOR_RE.match(line)
        if match:
            factor, op, value, tier_text = match.groups()
            tier = int(tier_text)
            floors.append(
                {"factor": factor, "min": int(value), "tier": int(tier)}
                if op == ">="
                else {"factor": factor, "value": value, "tier": int(tier)}
            )
        elif line.strip():
            floors.append({"factor": "", "tier": 0})  # reported as malformed
    return points, thresholds, floors


def _floors_text(policy: TierPolicy) -> str:
    lines = []
    for floor in policy.floors:
        if "min" in floor:
            lines.append(f"{floor['factor']}>={floor['min']}:{floor['tier']}")
        else:
            lines.append(f"{floor['factor']}={floor['value']}:{floor['tier']}")
    return "\n".join(lines)


def _factor_rows(policy: TierPolicy) -> list[dict[str, Any]]:
    rows = []
    for factor in CHOICE_FACTORS:
        labels = dict(BY_KEY[factor].choice_values())
        rows.append(
            {
                "factor": factor,
                "label": BY_KEY[factor].label,
                "values": [
                    {"value": v, "label": labels.get(v, v), "points": p} for v, p in policy.points[factor].items()
                ],
            }
        )
    return rows


@login_required
def tier_policy_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_regulator(user):
        raise Http404
    current = policy_in_force()
    context: dict[str, Any] = {
        "current": current,
        "versions": TierPolicy.objects.all()[:20],
        "factor_rows": _factor_rows(current),
        "bands": current.points["monthly_active_users"]
        + [["", ""]] * (5 - len(current.points["monthly_active_users"])),
        "floors_text": _floors_text(current),
        "thresholds": current.thresholds,
        "effective_from": "",
        "note": "",
        "can_edit": is_central_supervisor(user),
    }
    if request.method == "POST" and context["can_edit"]:
        points, thresholds, floors = _policy_from_post(request.POST, current)
        try:
            effective = datetime.date.fromisoformat(request.POST.get("effective_from", ""))
        except ValueError:
            effective = None
        candidate = TierPolicy(
            version=0,
            effective_from=effective or current.effective_from,
            points=points,
            thresholds=thresholds,
            floors=floors,
        )
        errors = validate_policy(effective_from=effective, points=points, thresholds=thresholds, floors=floors)
        context.update(
            errors=errors,
            factor_rows=_factor_rows(candidate),
            bands=points["monthly_active_users"] + [["", ""]] * (5 - len(points["monthly_active_users"])),
            floors_text=request.POST.get("floors", ""),
            thresholds=thresholds,
            effective_from=request.POST.get("effective_from", ""),
            note=request.POST.get("note", ""),
        )
        if not errors:
            context["preview"] = preview(candidate)
        if request.POST.get("action") == "save" and not errors:
            try:
                policy = tier_policy_create(
                    actor=user,
                    effective_from=effective,
                    points=points,
                    thresholds=thresholds,
                    floors=floors,
                    note=request.POST.get("note", ""),
                )
            except (ValidationFailed, ApplicationError) as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Version %(v)s saved; it takes effect on %(d)s.")
                    % {"v": policy.version, "d": policy.effective_from},
                )
                return redirect("supervision:tier_policy")
    return render(request, "supervision/tier_policy.html", context, status=400 if context.get("errors") else 200)
