"""The review queue's filters from query parameters (the page and its exports read the same),
including the dashboard's drill-down links."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.reference import province_name
from filings.workdays import WorkCalendar
from filings.workflow import AlgorithmType
from supervision import stats
from supervision.models import Decision, Stage, SubjectType, TaskStatus
from supervision.selectors import TaskFilters


def age_range(label: str, today: datetime.date) -> tuple[datetime.date | None, datetime.date | None]:
    """The opening dates of a backlog age bucket: (on or after, before)."""
    uppers = [upper for _label, upper in stats.AGE_BUCKETS]
    labels = [name for name, _upper in stats.AGE_BUCKETS]
    if label not in labels:
        return None, None  # no age filter: the calendar is not even loaded
    calendar = WorkCalendar.load()
    index = labels.index(label)
    upper = uppers[index]
    lower = uppers[index - 1] if index else None
    start = stats.working_days_ago(calendar, today, upper) if upper is not None else None
    end = stats.working_days_ago(calendar, today, lower) if lower is not None else None
    return start, end


def _moment(text: str) -> datetime.datetime | None:
    """An ISO date-time from a dashboard link (the snapshot's window), aware; None when absent or bad."""
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def drill_down_filters(params: Mapping[str, str]) -> dict[str, Any]:
    office = params.get("office", "")
    start, end = age_range(params.get("age", ""), timezone.localdate())
    decided_by = params.get("decided_by", "")
    breached = params.get("breached", "")
    window = params.get("window", "")
    try:
        week = datetime.date.fromisoformat(params.get("week", ""))
    except ValueError:
        week = None
    try:
        open_at = datetime.date.fromisoformat(params.get("open_at", ""))
    except ValueError:
        open_at = None
    decision = params.get("decision", "")
    overdue = params.get("overdue", "")
    since, until = _moment(params.get("since", "")), _moment(params.get("until", ""))
    if since is None and window == "recent":
        since = timezone.now() - datetime.timedelta(days=stats.WINDOW_DAYS)
    return {
        "decision": decision if decision in Decision.values else "",
        "decided_from": week,
        "decided_before": week + datetime.timedelta(days=7) if week else None,
        "final_only": params.get("final") == "1",
        "rounds_only": params.get("rounds") == "1",
        "overdue": overdue if overdue in ("stage", "statutory") else "",
        "open_at": open_at,
        "office": office if re.fullmatch(r"\d{6}", office) else "",
        "province": params.get("province", "") if re.fullmatch(r"\d{2}", params.get("province", "")) else "",
        "created_from": start,
        "created_before": end,
        "decided_by": int(decided_by) if decided_by.isdigit() else None,
        "decided_by_nobody": decided_by == "none",
        "breached": breached if breached in ("stage", "statutory") else "",
        "decided_since": since,
        "decided_until": until,
    }


DRILL_DOWN_KEYS = (
    "since",
    "until",
    "office",
    "province",
    "age",
    "decided_by",
    "breached",
    "window",
    "week",
    "open_at",
    "decision",
    "overdue",
    "final",
    "rounds",
)


BREACH_WORDS = {
    "breached": {
        "stage": gettext_lazy("decided after the stage deadline"),
        "statutory": gettext_lazy("decided after the statutory deadline"),
    },
    "overdue": {
        "stage": gettext_lazy("open past the stage deadline"),
        "statutory": gettext_lazy("open past the statutory deadline"),
    },
}


def describe_drill_down(params: Mapping[str, str], filters: TaskFilters) -> list[str]:
    """The dashboard's drill-down filters in words, so the list says what it is showing."""
    words: list[str] = []
    if filters.office:
        words.append(_("office %(code)s") % {"code": filters.office})
    if filters.province:
        words.append(province_name(filters.province))
    if params.get("age") in [label for label, _upper in stats.AGE_BUCKETS]:
        words.append(_("open for %(age)s working days") % {"age": params["age"]})
    if filters.decided_by is not None:
        name = User.objects.filter(id=filters.decided_by).values_list("username", flat=True).first() or "—"
        words.append(_("decided by %(name)s") % {"name": name})
    if filters.decided_by_nobody:
        words.append(_("decided without a reviewer (imported history)"))
    if filters.decided_since is not None:
        day = timezone.localtime(filters.decided_since).date().isoformat()
        words.append(_("decided since %(day)s") % {"day": day})
    if filters.decided_until is not None:
        moment = timezone.localtime(filters.decided_until).strftime("%Y-%m-%d %H:%M")
        words.append(_("until %(moment)s") % {"moment": moment})
    if filters.decided_from is not None:
        words.append(_("decided in the week of %(day)s") % {"day": filters.decided_from.isoformat()})
    if filters.open_at is not None:
        words.append(_("open at the end of %(day)s") % {"day": filters.open_at.isoformat()})
    if filters.decision:
        words.append(str(Decision(filters.decision).label))
    words += [
        str(BREACH_WORDS[key][value])
        for key, value in (("breached", filters.breached), ("overdue", filters.overdue))
        if value
    ]
    if filters.final_only:
        words.append(_("deciding stage"))
    if filters.rounds_only:
        words.append(_("review rounds ended"))
    return words


TABS = ("mine", "office", "all")


def _choice(value: str | None, allowed: list[str]) -> str:
    return value if value in allowed else ""


def queue_filters(params: Any) -> tuple[str, TaskFilters]:
    """The queue's tab and filters from query parameters (the page and its exports read the same)."""
    tab = params.get("tab", "office")
    tab = tab if tab in TABS else "office"
    tier = params.get("tier", "")
    filters = TaskFilters(
        mine=tab == "mine",
        unassigned=tab == "office",
        subject_type=_choice(params.get("subject_type"), SubjectType.values),
        status=_choice(params.get("status"), TaskStatus.values),
        stage=_choice(params.get("stage"), Stage.values),
        tier=int(tier) if tier in {"1", "2", "3", "4"} else None,
        algorithm_type=_choice(params.get("algorithm_type"), AlgorithmType.values),
        **drill_down_filters(params),
    )
    return tab, filters
