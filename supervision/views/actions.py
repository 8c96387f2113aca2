"""Reviewer and supervisor actions beside deciding: tier override, reassignment, conflicts, regulator
actions on filed algorithms (revoke, cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.models import User
from accounts.roles import is_reviewer
from accounts.selectors import organization_list_visible
from filings.selectors import filing_get_visible
from filings.services.regulator import filing_regulator_end
from filings.services.tiering import filing_override_tier
from supervision.models import ConflictOfInterest
from supervision.selectors import task_get_visible
from supervision.services.assignment import conflict_declare, task_reassign


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_POST
def tier_override_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_get_visible(user=request.user, task_id=task_id)
    if task.filing_id is None:
        raise Http404
    tier_value = request.POST.get("tier", "")
    try:
        filing_override_tier(
            filing_id=task.filing_id,
            actor=_user(request),
            tier=None if tier_value == "policy" else _int(tier_value) or 0,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("The tier was recorded."))
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:task", task_id=task.pk)


@login_required
@require_POST
def task_reassign_view(request: HttpRequest, task_id: int) -> HttpResponse:
    task = task_get_visible(user=request.user, task_id=task_id)
    try:
        task_reassign(task_id=task.pk, actor=_user(request), to_user_id=_int(request.POST.get("to")) or 0)
        messages.success(request, _("The task was reassigned."))
    except ValidationFailed as exc:
        messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:task", task_id=task.pk)


@login_required
def conflicts_view(request: HttpRequest) -> HttpResponse:
    """A reviewer's declared conflicts of interest, and the form to declare another."""
    user = _user(request)
    if not is_reviewer(user):
        raise Http404
    if request.method == "POST":
        try:
            conflict_declare(
                reviewer=user,
                organization_id=_int(request.POST.get("organization")) or 0,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Declared. You will not be assigned this organisation's reviews."))
            return redirect("supervision:conflicts")
        except ValidationFailed as exc:
            messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
    context = {
        "conflicts": ConflictOfInterest.objects.filter(reviewer=user).select_related("organization"),
        "organizations": organization_list_visible(user=user).exclude(status="draft").order_by("name")[:500],
    }
    return render(request, "supervision/conflicts.html", context)


@login_required
def filing_regulator_end_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    """Revoke (撤销, Art. 33) or cancel (注销, Art. 34) a filed algorithm, with reasons."""
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    if request.method == "POST":
        try:
            filing_regulator_end(
                filing_id=filing.pk,
                actor=_user(request),
                action=request.POST.get("action", ""),
                reasons=request.POST.get("reasons", ""),
            )
            messages.success(request, _("Recorded."))
            return redirect("filings:detail", filing_id=filing.pk)
        except ValidationFailed as exc:
            messages.error(request, " ".join(m for msgs in exc.errors.values() for m in msgs))
        except ApplicationError as exc:
            messages.error(request, exc.message)
    return render(
        request, "supervision/regulator_end.html", {"filing": filing}, status=400 if request.method == "POST" else 200
    )
