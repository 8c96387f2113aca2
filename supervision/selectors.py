"""Reads for regulators: the review queue and the supervisor's counts, scoped in SQL."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from accounts.models import Organization, RegulatorOffice
from accounts.selectors import Scope, user_scope
from filings.workdays import BEIJING
from supervision.models import ACTIVE_STATUSES, Decision, ReviewTask, SubjectType, TaskStatus


def _regulator_scope(user: Any) -> Scope:
    scope = user_scope(user)
    if not scope.is_regulator:
        raise Http404  # the review queue does not exist for anybody else
    return scope


def task_list_visible(*, user: Any) -> QuerySet[ReviewTask]:
    scope = _regulator_scope(user)
    qs = ReviewTask.objects.select_related("organization", "office", "assignee", "filing")
    if scope.kind == "province":
        qs = qs.filter(province_code=scope.province_code)
    return qs


def task_get_visible(*, user: Any, task_id: int) -> ReviewTask:
    task = task_list_visible(user=user).filter(id=task_id).first()
    if task is None:
        raise Http404
    return task


@dataclass(frozen=True)
class TaskFilters:
    mine: bool = False
    unassigned: bool = False
    subject_type: str = ""
    stage: str = ""
    tier: int | None = None
    status: str = ""
    algorithm_type: str = ""
    # The dashboard's drill-downs:
    office: str = ""  # the office's division code
    province: str = ""  # a central supervisor's drill-down into one province
    created_from: datetime.date | None = None  # opened on or after (Beijing date)
    created_before: datetime.date | None = None
    decided_by: int | None = None
    decided_since: datetime.datetime | None = None
    decided_until: datetime.datetime | None = None  # the snapshot's time: what its figure counted
    decided_by_nobody: bool = False  # decided tasks without a reviewer (imported history)
    breached: str = ""  # "stage" or "statutory"
    decision: str = ""
    decided_from: datetime.date | None = None  # decided on or after (Beijing date)
    decided_before: datetime.date | None = None
    final_only: bool = False
    rounds_only: bool = False  # decisions that ended a review round (approve, return, reject; no objections)
    overdue: str = ""  # open tasks past their "stage" or "statutory" deadline
    open_at: datetime.date | None = None  # open at the end of that day (rebuilt from the tasks' dates)


def task_queue(*, user: Any, filters: TaskFilters) -> QuerySet[ReviewTask]:
    """The queue sorted by deadline (oldest first); filters narrow it, never widen the scope."""
    qs = task_list_visible(user=user)
    if filters.mine:
        qs = qs.filter(assignee=user, status__in=ACTIVE_STATUSES)
    if filters.unassigned:
        qs = qs.filter(office_id=user.office_id, status=TaskStatus.OPEN)
    if filters.subject_type:
        qs = qs.filter(subject_type=filters.subject_type)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.tier is not None:
        qs = qs.filter(tier=filters.tier)
    if filters.algorithm_type:
        qs = qs.filter(filing__algorithm_type=filters.algorithm_type)
    qs = _drill_down(qs, filters)
    if filters.status:
        qs = qs.filter(status=filters.status)
    elif filters.open_at is not None:
        pass  # _drill_down chose the statuses
    elif not filters.mine:
        qs = qs.filter(status__in=ACTIVE_STATUSES)
    # The statutory deadline first: what the law requires to be decided soonest.
    return qs.order_by("decision_due", "id")


def _drill_down(qs: QuerySet[ReviewTask], filters: TaskFilters) -> QuerySet[ReviewTask]:
    if filters.office:
        qs = qs.filter(office__code=filters.office)
    if filters.province:
        qs = qs.filter(province_code=filters.province)
    if filters.created_from:
        qs = qs.filter(created_at__gte=_midnight(filters.created_from))
    if filters.created_before:
        qs = qs.filter(created_at__lt=_midnight(filters.created_before))
    if filters.decided_by is not None:
        qs = qs.filter(decided_by_id=filters.decided_by)
    if filters.decided_since is not None:
        qs = qs.filter(decided_at__gte=filters.decided_since)
    if filters.decided_until is not None:
        qs = qs.filter(decided_at__lt=filters.decided_until)
    if filters.decided_by_nobody:
        qs = qs.filter(status=TaskStatus.DECIDED, decided_by__isnull=True)
    if filters.decision:
        qs = qs.filter(decision=filters.decision)
    if filters.decided_from:
        qs = qs.filter(decided_at__gte=_midnight(filters.decided_from))
    if filters.decided_before:
        qs = qs.filter(decided_at__lt=_midnight(filters.decided_before))
    if filters.final_only:
        qs = qs.filter(final=True)
    if filters.rounds_only:
        qs = qs.filter(decision__in=ROUND_OUTCOMES).exclude(subject_type=SubjectType.OBJECTION)
    if filters.overdue:
        today = timezone.localdate()
        qs = qs.filter(due__lt=today) if filters.overdue == "stage" else qs.filter(decision_due__lt=today)
    if filters.open_at is not None:
        end = _midnight(filters.open_at + datetime.timedelta(days=1))
        # Closed tasks (the subject went away) carry no closing time, so they are left out.
        qs = qs.filter(created_at__lt=end).filter(
            Q(status__in=ACTIVE_STATUSES) | Q(status=TaskStatus.DECIDED, decided_at__gte=end)
        )
    decided_on = TruncDate("decided_at", tzinfo=BEIJING)
    if filters.breached == "stage":
        qs = qs.alias(decided_on=decided_on).filter(decided_on__gt=F("due"))
    elif filters.breached == "statutory":
        qs = qs.alias(decided_on=decided_on).filter(final=True, decided_on__gt=F("decision_due"))
    return qs


ROUND_OUTCOMES = (Decision.APPROVE, Decision.RETURN, Decision.REJECT)


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=BEIJING)


def task_history_for_subject(*, subject_type: str, subject_id: int) -> QuerySet[ReviewTask]:
    return (
        ReviewTask.objects.filter(subject_type=subject_type, subject_id=subject_id)
        .select_related("assignee", "decided_by", "office")
        .order_by("-id")
    )


@dataclass(frozen=True)
class OfficeCounts:
    office: RegulatorOffice | None  # None: organisations without a reviewing office yet
    counts: dict[str, int]
    open_tasks: int


def supervisor_overview(*, user: Any) -> list[OfficeCounts]:
    """Organisations by status and open review tasks, per office in the supervisor's scope (2 queries)."""
    scope = _regulator_scope(user)
    offices = RegulatorOffice.objects.filter(is_central=False)
    organizations = Organization.objects.filter(merged_into__isnull=True)
    tasks = ReviewTask.objects.filter(status__in=ACTIVE_STATUSES)
    if scope.kind == "province":
        offices = offices.filter(province_code=scope.province_code)
        organizations = organizations.filter(province_code=scope.province_code)
        tasks = tasks.filter(province_code=scope.province_code)
    by_office: dict[int | None, dict[str, int]] = {}
    for row in organizations.values("office_id", "status").annotate(n=Count("*")).order_by():
        by_office.setdefault(row["office_id"], {})[row["status"]] = row["n"]
    open_by_office = dict(tasks.values_list("office_id").annotate(n=Count("*")).order_by())
    rows: list[OfficeCounts] = [
        OfficeCounts(office=office, counts=by_office.get(office.pk, {}), open_tasks=open_by_office.get(office.pk, 0))
        for office in offices.order_by("code")
        if scope.kind == "province" or office.pk in by_office or office.pk in open_by_office
    ]
    # Drafts without a registered division yet, and imported entities of a division with no office,
    # belong to no office: a row of their own keeps the totals equal to the list of organisations.
    if None in by_office:
        rows.append(OfficeCounts(office=None, counts=by_office[None], open_tasks=0))
    return rows


def status_totals(rows: list[OfficeCounts]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for row in rows:
        for status, n in row.counts.items():
            totals[status] = totals.get(status, 0) + n
    return totals


__all__ = ["TaskFilters", "supervisor_overview", "task_get_visible", "task_list_visible", "task_queue"]
