"""Regulator pages: the review queue, a task with its subject and actions, the supervisor's home."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.models import Organization, OrganizationChange, OrganizationStatus, User
from accounts.roles import is_supervisor
from accounts.views.organization import organization_context
from filings.workdays import WorkCalendar
from filings.workflow import AlgorithmType
from supervision.filters import DRILL_DOWN_KEYS, describe_drill_down, queue_filters
from supervision.forms import DecisionForm
from supervision.models import ReviewTask, Stage, SubjectType, TaskStatus
from supervision.presenters import filing_review_context, tier_rows
from supervision.selectors import (
    status_totals,
    supervisor_overview,
    task_get_visible,
    task_history_for_subject,
    task_queue,
)
from supervision.services import review
from supervision.services.assignment import eligible_reviewers
from supervision.tiering import explanation_of

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _keyset_page(qs: QuerySet[ReviewTask], after: str) -> tuple[list[ReviewTask], str | None]:
    """One page ordered by (decision_due, id), continuing after ``after`` = ``YYYY-MM-DD.id``."""
    if after:
        try:
            day, _sep, task_id = after.partition(".")
            due, last_id = datetime.date.fromisoformat(day), int(task_id)
            qs = qs.filter(Q(decision_due__gt=due) | Q(decision_due=due, id__gt=last_id))
        except ValueError:
            pass
    rows = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    cursor = f"{rows[-1].decision_due.isoformat()}.{rows[-1].pk}" if more and rows else None
    return rows, cursor


def _remaining(tasks: list[ReviewTask]) -> dict[int, int]:
    """Working days left until each task's statutory deadline (negative when overdue)."""
    calendar = WorkCalendar.load()
    today = timezone.localdate()
    return {task.pk: calendar.between(today, task.decision_due).days for task in tasks}


def _without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("after", None)
    return query.urlencode()


@login_required
def queue_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    tab, filters = queue_filters(request.GET)
    tasks, cursor = _keyset_page(task_queue(user=user, filters=filters), request.GET.get("after", ""))
    context: dict[str, Any] = {
        "tasks": tasks,
        "remaining": _remaining(tasks),
        "cursor": cursor,
        "tab": tab,
        "filters": filters,
        "query": _without_cursor(request),
        "subject_types": SubjectType.choices,
        "statuses": TaskStatus.choices,
        "stages": Stage.choices,
        "algorithm_types": AlgorithmType.choices,
        "tiers": (1, 2, 3, 4),
        "drill_down": describe_drill_down(request.GET, filters),
        # The drill-down travels with the filter form, so narrowing further keeps it.
        "drill_down_params": [(key, request.GET[key]) for key in DRILL_DOWN_KEYS if request.GET.get(key)],
    }
    return render(request, "supervision/queue.html", context)


def _subject_context(task: ReviewTask, user: User) -> dict[str, Any]:
    if task.subject_type == SubjectType.ORGANIZATION:
        return organization_context(Organization.objects.select_related("office").get(id=task.subject_id), user)
    if task.subject_type == SubjectType.ORGANIZATION_CHANGE:
        change = OrganizationChange.objects.select_related("organization").get(id=task.subject_id)
        return {"change": change, "organization": change.organization}
    if task.filing is not None:
        return filing_review_context(task)
    return {}


@login_required
def task_detail_view(request: HttpRequest, task_id: int) -> HttpResponse:
    user = _user(request)
    task = task_get_visible(user=user, task_id=task_id)
    form = DecisionForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            review.task_decide(
                task_id=task.pk,
                actor=user,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                item_reasons=form.item_reasons(),
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("supervision:task", task_id=task.pk)
    is_consultation = task.required_votes > 1
    votes = list(task.votes.select_related("reviewer").order_by("id"))
    can_vote = (
        is_consultation
        and task.is_active
        and all(vote.reviewer_id != user.pk for vote in votes)
        and eligible_reviewers(task).filter(id=user.pk).exists()
    )
    context = {
        "task": task,
        "form": form,
        "is_assignee": task.assignee_id == user.pk and task.status == TaskStatus.CLAIMED,
        "can_decide": (task.assignee_id == user.pk and task.status == TaskStatus.CLAIMED) or can_vote,
        "can_claim": task.status == TaskStatus.OPEN and user.office_id == task.office_id and not is_consultation,
        "votes": votes,
        "rounds": task_history_for_subject(subject_type=task.subject_type, subject_id=task.subject_id),
        "remaining": _remaining([task])[task.pk],
        "tier_rows": tier_rows(task.filing) if task.filing else [],
        "tier_explanation": explanation_of(task.filing) if task.filing else {},
        "reassign_to": eligible_reviewers(task).exclude(id=task.assignee_id or 0) if is_supervisor(user) else [],
        **_subject_context(task, user),
    }
    return render(request, "supervision/task_detail.html", context, status=400 if form.errors else 200)


def _task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    user = _user(request)
    task = task_get_visible(user=user, task_id=task_id)
    try:
        if action == "claim":
            review.task_claim(task_id=task.pk, actor=user)
            messages.success(request, _("You hold this task now."))
        else:
            review.task_release(task_id=task.pk, actor=user)
            messages.success(request, _("Task released to the office queue."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:task", task_id=task.pk)


@login_required
@require_POST
def task_claim_view(request: HttpRequest, task_id: int) -> HttpResponse:
    return _task_action(request, task_id, "claim")


@login_required
@require_POST
def task_release_view(request: HttpRequest, task_id: int) -> HttpResponse:
    return _task_action(request, task_id, "release")


@login_required
def supervisor_home_view(request: HttpRequest) -> HttpResponse:
    rows = supervisor_overview(user=_user(request))
    context = {"rows": rows, "totals": status_totals(rows), "statuses": OrganizationStatus.choices}
    return render(request, "supervision/home.html", context)
