"""The supervisors' figures, scoped to a province or the country, computed in SQL.

Two sources keep the dashboard fast at a million filings:
- the filing matrix (province × tier × status × type) comes from ``FilingCount``, kept exact by
  triggers, so it is live and costs one small query;
- the review figures (backlog ageing, breach rates, throughput, return rate, re-assessment
  compliance) are computed by ``stats_refresh`` every few minutes into today's ``StatsSnapshot`` per
  scope; the rows of earlier days are the trends.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import RegulatorOffice, User
from accounts.roles import is_supervisor
from filings.selectors import SUBMITTED_WITHIN
from filings.workdays import BEIJING, WorkCalendar
from supervision.models import FilingCount, StatsSnapshot

COUNTRY = "CN"
WINDOW_DAYS = 90
WEEKS = 12
# Backlog age buckets in working days: (label, oldest age in the bucket); the last is open-ended.
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-5", 5),
    ("6-10", 10),
    ("11-20", 20),
    ("21-30", 30),
    ("30+", None),
)
STATUS_ORDER = ("draft", "submitted", "in_review", "returned", "approved", "published", "cancelled", "revoked")
# Statuses of filings that were given a number (every number issued stays in one of them).
NUMBERED = ("approved", "published", "cancelled", "revoked")
FUNNEL = ("submitted", "in_review", "returned", "approved", "published")


def scope_of(user: User) -> str | None:
    """``CN`` for the central office's supervisors, the province code for a provincial one."""
    if not is_supervisor(user) or user.office is None:
        return None
    return COUNTRY if user.office.is_central else user.office.province_code


def _where(scope: str, column: str = "province_code") -> tuple[str, list[Any]]:
    return ("true", []) if scope == COUNTRY else (f"{column} = %s", [scope])


# --- the live matrix ------------------------------------------------------------------------------


def filing_matrix(scope: str) -> list[dict[str, Any]]:
    qs = FilingCount.objects.filter(n__gt=0)
    if scope != COUNTRY:
        qs = qs.filter(province_code=scope)
    return [dict(row) for row in qs.values("province_code", "tier", "status", "algorithm_type", "n")]


def matrix_tables(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """The matrix folded three ways (tier, province, type against status) and the funnel."""
    tables: dict[str, dict[Any, dict[str, int]]] = {"tier": {}, "province": {}, "type": {}}
    totals: dict[str, int] = defaultdict(int)
    for cell in cells:
        for name, key in (
            ("tier", cell["tier"]),
            ("province", cell["province_code"]),
            ("type", cell["algorithm_type"]),
        ):
            row = tables[name].setdefault(key, defaultdict(int))
            row[cell["status"]] += cell["n"]
        totals[cell["status"]] += cell["n"]
    return {
        "by_tier": {k: dict(v) for k, v in sorted(tables["tier"].items())},
        "by_province": {k: dict(v) for k, v in sorted(tables["province"].items())},
        "by_type": {k: dict(v) for k, v in sorted(tables["type"].items())},
        "totals": dict(totals),
        "funnel": [(status, totals.get(status, 0)) for status in FUNNEL],
    }


# --- review figures (computed into snapshots) -----------------------------------------------------


def working_days_ago(calendar: WorkCalendar, today: datetime.date, n: int) -> datetime.date:
    """The day ``n`` working days before ``today`` (``today`` itself for 0)."""
    day, counted = today, 0
    while counted < n:
        day -= datetime.timedelta(days=1)
        counted += calendar.is_workday(day)
    return day


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def backlog(scope: str, today: datetime.date) -> list[dict[str, Any]]:
    """Open review tasks by office, stage and age in working days since the task opened."""
    calendar = WorkCalendar.load()
    bounded = [(label, working_days_ago(calendar, today, upper)) for label, upper in AGE_BUCKETS if upper]
    case = " ".join(
        f"WHEN (t.created_at AT TIME ZONE 'Asia/Shanghai')::date >= %s THEN '{label}'" for label, _ in bounded
    )
    where, params = _where(scope, "t.province_code")
    sql = f"""
        SELECT o.code, t.stage, CASE {case} ELSE '{AGE_BUCKETS[-1][0]}' END AS age, count(*)
        FROM supervision_reviewtask t JOIN accounts_regulatoroffice o ON o.id = t.office_id
        WHERE t.status IN ('open', 'claimed') AND {where}
        GROUP BY 1, 2, 3"""  # noqa: S608 - the CASE is built from constants
    rows = _rows(sql, [*(day for _label, day in bounded), *params])
    return [{"office": office, "stage": stage, "age": age, "n": n} for office, stage, age, n in rows]


# A review round ends in one of these; objections are upheld (approve) or dismissed (reject), not rounds.
OUTCOMES = ("approve", "return", "reject")
ROUND_ENDS = "t.decision IN ('approve', 'return', 'reject') AND t.subject_type <> 'objection'"


DECISION_COLUMNS = (
    "office",
    "reviewer_id",
    "reviewer",
    "decided",
    "stage_breaches",
    "statutory_breaches",
    "returns",
    "with_statutory",
    "round_ends",
)


def decisions(scope: str, since: datetime.datetime) -> list[dict[str, Any]]:
    """Decided tasks since ``since`` per office and reviewer, with stage and statutory breaches.

    Every stage has a stage deadline, so the stage-breach rate is over all decided tasks; only the
    deciding stage of a subject with a statutory deadline can miss it (``with_statutory``).
    """
    where, params = _where(scope, "t.province_code")
    local = "(t.decided_at AT TIME ZONE 'Asia/Shanghai')::date"
    rows = _rows(
        f"""
        SELECT o.code, t.decided_by_id, u.username, count(*),
               count(*) FILTER (WHERE {local} > t.due),
               count(*) FILTER (WHERE t.final AND {local} > t.decision_due),
               count(*) FILTER (WHERE t.decision = 'return'),
               count(*) FILTER (WHERE t.final),
               count(*) FILTER (WHERE {ROUND_ENDS})
        FROM supervision_reviewtask t
        JOIN accounts_regulatoroffice o ON o.id = t.office_id
        LEFT JOIN accounts_user u ON u.id = t.decided_by_id
        WHERE t.status = 'decided' AND t.decided_at >= %s AND {where}
        GROUP BY 1, 2, 3""",  # noqa: S608 - the WHERE is built from constants
        [since, *params],
    )
    names = DECISION_COLUMNS
    return [{**dict(zip(names, row, strict=True)), "reviewer": row[2] or ""} for row in rows]


def open_overdue(scope: str, today: datetime.date) -> dict[str, dict[str, int]]:
    """Open tasks per office already past their stage deadline, and past the statutory one."""
    where, params = _where(scope, "t.province_code")
    rows = _rows(
        f"""
        SELECT o.code, count(*) FILTER (WHERE t.due < %s), count(*) FILTER (WHERE t.decision_due < %s)
        FROM supervision_reviewtask t JOIN accounts_regulatoroffice o ON o.id = t.office_id
        WHERE t.status IN ('open', 'claimed') AND {where}
        GROUP BY 1""",  # noqa: S608
        [today, today, *params],
    )
    return {office: {"stage": stage, "statutory": statutory} for office, stage, statutory in rows}


def offices(decided: list[dict[str, Any]], overdue: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    """The reviewers' rows summed per office, with the office's open tasks past their deadlines."""
    keys = ("decided", "stage_breaches", "statutory_breaches", "returns", "with_statutory", "round_ends")
    totals: dict[str, dict[str, int]] = {}
    for row in decided:
        office = totals.setdefault(row["office"], dict.fromkeys(keys, 0))
        for key in keys:
            office[key] += row[key]
    out = []
    for code in sorted(set(totals) | set(overdue)):
        counts = totals.get(code, dict.fromkeys(keys, 0))
        late = overdue.get(code, {"stage": 0, "statutory": 0})
        out.append(
            {"office": code, **counts, "open_stage_overdue": late["stage"], "open_statutory_overdue": late["statutory"]}
        )
    return out


def throughput(scope: str, since: datetime.datetime) -> list[dict[str, Any]]:
    """Review rounds ended per week (Monday, Beijing time), by outcome: approved, returned, refused."""
    where, params = _where(scope, "t.province_code")
    rows = _rows(
        f"""
        SELECT date_trunc('week', t.decided_at AT TIME ZONE 'Asia/Shanghai')::date AS week, t.decision, count(*)
        FROM supervision_reviewtask t
        WHERE t.status = 'decided' AND {ROUND_ENDS} AND t.decided_at >= %s AND {where}
        GROUP BY 1, 2 ORDER BY 1""",  # noqa: S608
        [since, *params],
    )
    weeks: dict[str, dict[str, int]] = {}
    for week, decision, n in rows:
        weeks.setdefault(week.isoformat(), {})[decision] = n
    return [{"week": week, **counts} for week, counts in sorted(weeks.items())]


def reassessment_compliance(scope: str, since: datetime.datetime) -> dict[str, int]:
    """Filings with a case waiting for the provider (due), flagged overdue, or submitted since ``since``.

    Counted per filing, as the drill-down lists them (``filings.selectors.FilingFilters``).
    """
    where, params = _where(scope, "f.province_code")
    (row,) = _rows(
        f"""
        SELECT count(DISTINCT r.filing_id) FILTER (WHERE r.status IN ('open', 'returned') AND NOT r.late),
               count(DISTINCT r.filing_id) FILTER (WHERE r.submitted_at >= %s AND NOT r.late),
               count(DISTINCT r.filing_id) FILTER (WHERE r.submitted_at >= %s AND r.late)
        FROM filings_reassessment r JOIN filings_filing f ON f.id = r.filing_id
        WHERE {where}""",  # noqa: S608
        [since, since, *params],
    )
    (overdue,) = _rows(
        f"SELECT count(*) FROM filings_filing f WHERE f.reassessment_overdue AND {where}",  # noqa: S608
        params,
    )[0]
    due, on_time, late = row
    return {"due": due, "overdue": overdue, "on_time": on_time, "late": late}


def weeks_start(now: datetime.datetime) -> datetime.datetime:
    """Monday 00:00 (Beijing) of the first of the WEEKS weeks shown: whole weeks, as the drill-down lists them."""
    today = timezone.localtime(now, BEIJING).date()
    monday = today - datetime.timedelta(days=today.weekday() + 7 * (WEEKS - 1))
    return datetime.datetime.combine(monday, datetime.time(), tzinfo=BEIJING)


def compute(scope: str, now: datetime.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    window = now - datetime.timedelta(days=WINDOW_DAYS)
    decided = decisions(scope, window)
    # The return-for-correction rate: of the review rounds that ended, the share that ended in a return.
    rounds = sum(row["round_ends"] for row in decided)
    returns = sum(row["returns"] for row in decided)
    ageing = backlog(scope, today)
    return {
        "backlog": ageing,
        "backlog_total": sum(row["n"] for row in ageing),
        "decisions": decided,
        "offices": offices(decided, open_overdue(scope, today)),
        "return_rate": round(returns / rounds, 4) if rounds else None,
        "throughput": throughput(scope, weeks_start(now)),
        "reassessment": reassessment_compliance(scope, now - SUBMITTED_WITHIN),
        "matrix_totals": matrix_tables(filing_matrix(scope))["totals"],
    }


def scopes() -> list[str]:
    provinces = RegulatorOffice.objects.exclude(province_code=None).values_list("province_code", flat=True)
    return [COUNTRY, *sorted(p for p in provinces if p)]


def stats_refresh(*, scope: str | None = None, now: datetime.datetime | None = None) -> int:
    """Recompute today's snapshot of one scope (or all): one row per scope and day, updated in place."""
    now = now or timezone.now()
    count = 0
    for name in [scope] if scope else scopes():
        data = compute(name, now)
        with transaction.atomic():
            StatsSnapshot.objects.update_or_create(
                scope=name, day=timezone.localdate(now), defaults={"taken_at": now, "data": data}
            )
        count += 1
    return count


def snapshot(scope: str) -> StatsSnapshot:
    """Today's snapshot, computed now if the sweep has not made it yet (a fresh system)."""
    latest = StatsSnapshot.objects.filter(scope=scope).order_by("-day").first()
    if latest is None or latest.day != timezone.localdate():
        stats_refresh(scope=scope)
        latest = StatsSnapshot.objects.get(scope=scope, day=timezone.localdate())
    return latest


def trends(scope: str, days: int = 90) -> list[dict[str, Any]]:
    since = timezone.localdate() - datetime.timedelta(days=days)
    rows = StatsSnapshot.objects.filter(scope=scope, day__gte=since).order_by("day").values("day", "data")
    return [
        {
            "day": row["day"].isoformat(),
            "backlog": row["data"].get("backlog_total", 0),
            "numbered": sum(row["data"].get("matrix_totals", {}).get(s, 0) for s in NUMBERED),
            "overdue_reassessments": row["data"].get("reassessment", {}).get("overdue", 0),
        }
        for row in rows
    ]
