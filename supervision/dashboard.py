"""The dashboard's tables, built once for the page, the exports and the stats API.

Every table is a header and rows of ``(value, link)`` cells: the page shows the values with their
links (each number leads to the list behind it), the exports write the same values, so what a
supervisor downloads is what the screen shows, filters included.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.reference import PROVINCE_CODES, province_name
from filings.models import FilingStatus
from filings.workflow import AlgorithmType
from supervision import stats
from supervision.models import Stage

Cell = tuple[Any, str]  # (value, link or "")
TIERS = ("0", "1", "2", "3", "4")
TABLES = ("tier", "province", "type", "backlog", "offices", "reviewers", "throughput", "trends")


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard shows: a scope (country or province), optionally one type and one tier.

    The type and tier narrow the filing counts (tier, province, type tables and the funnel); the review
    figures come from per-scope snapshots and cover every filing of the scope.
    """

    scope: str
    algorithm_type: str = ""
    tier: str = ""

    @classmethod
    def for_user(cls, user: User, params: Mapping[str, str]) -> DashboardFilters | None:
        """The user's scope (None: not a supervisor); a central supervisor may pick a province."""
        scope = stats.scope_of(user)
        if scope is None:
            return None
        province = params.get("province", "")
        if scope == stats.COUNTRY and province in PROVINCE_CODES:
            scope = province
        algorithm_type = params.get("algorithm_type", "")
        tier = params.get("tier", "")
        return cls(
            scope=scope,
            algorithm_type=algorithm_type if algorithm_type in AlgorithmType.values else "",
            tier=tier if tier in TIERS else "",
        )

    @property
    def province(self) -> str:
        return "" if self.scope == stats.COUNTRY else self.scope

    def query(self) -> str:
        """The filters as a query string (for the export links)."""
        pairs = {"province": self.province, "algorithm_type": self.algorithm_type, "tier": self.tier}
        return urlencode({k: v for k, v in pairs.items() if v})


@functools.cache
def _path(name: str) -> str:
    # A page holds hundreds of links to two lists: resolve each name once per process.
    return reverse(name)


def _link(name: str, **params: Any) -> str:
    return f"{_path(name)}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "—"


def tier_label(tier: int) -> str:
    return str(_("Not classified")) if tier == 0 else str(_("Tier %(n)s") % {"n": tier})


def stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


@dataclass
class Dashboard:
    filters: DashboardFilters
    matrix: dict[str, Any]
    figures: dict[str, Any]
    taken_at: datetime.datetime
    trends: list[dict[str, Any]]


def dashboard_build(filters: DashboardFilters) -> Dashboard:
    cells = stats.filing_matrix(filters.scope)
    if filters.algorithm_type:
        cells = [c for c in cells if c["algorithm_type"] == filters.algorithm_type]
    if filters.tier:
        cells = [c for c in cells if c["tier"] == int(filters.tier)]
    snapshot = stats.snapshot(filters.scope)
    return Dashboard(
        filters=filters,
        matrix=stats.matrix_tables(cells),
        figures=snapshot.data,
        taken_at=snapshot.taken_at,
        trends=stats.trends(filters.scope),
    )


# --- the tables -----------------------------------------------------------------------------------


def _matrix(board: Dashboard, rows: dict[Any, dict[str, int]], dimension: str) -> dict[str, Any]:
    f = board.filters
    base = {"province": f.province, "algorithm_type": f.algorithm_type, "tier": f.tier}
    labels = {"tier": _("Tier"), "province": _("Province"), "algorithm_type": _("Algorithm type")}
    types = dict(AlgorithmType.choices)
    body = []
    for key, counts in rows.items():
        if dimension == "tier":
            label = tier_label(key)
        elif dimension == "province":
            label = province_name(key)
        else:
            label = str(types.get(key, key or "—"))
        # Drafts without a type yet form the "—" row: "none" asks the list for exactly those.
        params = {**base, dimension: "none" if dimension == "algorithm_type" and not key else key}
        body.append(
            [
                (label, ""),
                *[(counts.get(s, 0), _link("filings:list", **params, status=s)) for s in stats.STATUS_ORDER],
                (sum(counts.values()), _link("filings:list", **params)),
            ]
        )
    header = [labels[dimension], *[str(FilingStatus(s).label) for s in stats.STATUS_ORDER], _("Total")]
    return {"header": header, "rows": body}


def _backlog(board: Dashboard) -> dict[str, Any]:
    ages = [label for label, _upper in stats.AGE_BUCKETS]
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for row in board.figures.get("backlog", []):
        grouped.setdefault((row["office"], row["stage"]), {})[row["age"]] = row["n"]
    body = []
    for (office, stage), counts in sorted(grouped.items()):
        common = {"tab": "all", "office": office, "stage": stage, "province": board.filters.province}
        body.append(
            [
                (office, ""),
                (stage_label(stage), ""),
                *[(counts.get(age, 0), _link("supervision:queue", **common, age=age)) for age in ages],
                (sum(counts.values()), _link("supervision:queue", **common)),
            ]
        )
    return {"header": [_("Office"), _("Stage"), *ages, _("Total")], "rows": body}


def _window(board: Dashboard) -> dict[str, str]:
    """The snapshot's 90 days, exactly: a drill-down lists the decisions the figure counted."""
    since = board.taken_at - datetime.timedelta(days=stats.WINDOW_DAYS)
    return {"since": since.isoformat(), "until": board.taken_at.isoformat()}


def _decided(board: Dashboard, row: dict[str, Any], **narrow: Any) -> dict[str, Any]:
    common = {"tab": "all", "status": "decided", "office": row["office"], "province": board.filters.province}
    return {**common, **_window(board), **narrow}


def _breach_cells(board: Dashboard, row: dict[str, Any], **narrow: Any) -> list[Cell]:
    """Decided, returned, stage breaches (number, rate), deciding-stage decisions, statutory breaches."""
    queue = "supervision:queue"
    stage = _link(queue, **_decided(board, row, breached="stage", **narrow))
    statutory = _link(queue, **_decided(board, row, breached="statutory", **narrow))
    return [
        (row["decided"], _link(queue, **_decided(board, row, **narrow))),
        (row["returns"], _link(queue, **_decided(board, row, decision="return", **narrow))),
        (row["stage_breaches"], stage),
        (rate(row["stage_breaches"], row["decided"]), stage if row["stage_breaches"] else ""),
        (row.get("with_statutory", 0), _link(queue, **_decided(board, row, final="1", **narrow))),
        (row["statutory_breaches"], statutory),
        (rate(row["statutory_breaches"], row.get("with_statutory", 0)), statutory if row["statutory_breaches"] else ""),
    ]


def _breach_header() -> list[str]:
    return [
        _("Decided"),
        _("Returned"),
        _("Stage deadline missed"),
        _("Stage deadline missed (%)"),
        _("Deciding-stage decisions"),
        _("Statutory deadline missed"),
        _("Statutory deadline missed (%)"),
    ]


def _offices(board: Dashboard) -> dict[str, Any]:
    queue = "supervision:queue"
    open_tasks = {"tab": "all", "province": board.filters.province}
    body = []
    for row in board.figures.get("offices", []):
        body.append(
            [
                (row["office"], ""),
                *_breach_cells(board, row),
                (row["open_stage_overdue"], _link(queue, **open_tasks, office=row["office"], overdue="stage")),
                (row["open_statutory_overdue"], _link(queue, **open_tasks, office=row["office"], overdue="statutory")),
            ]
        )
    header = [_("Office"), *_breach_header(), _("Open, past stage deadline"), _("Open, past statutory deadline")]
    return {"header": header, "rows": body}


def _reviewers(board: Dashboard) -> dict[str, Any]:
    rows = sorted(board.figures.get("decisions", []), key=lambda r: (r["office"], r["reviewer"]))
    body = [
        # Decisions nobody made by hand (imported history) are listed as decided by "none".
        [(r["office"], ""), (r["reviewer"] or "—", ""), *_breach_cells(board, r, decided_by=r["reviewer_id"] or "none")]
        for r in rows
    ]
    return {"header": [_("Office"), _("Reviewer"), *_breach_header()], "rows": body}


def _throughput(board: Dashboard) -> dict[str, Any]:
    body = []
    for week in board.figures.get("throughput", []):
        common = {
            "tab": "all",
            "status": "decided",
            "week": week["week"],
            "rounds": "1",
            "province": board.filters.province,
            "until": board.taken_at.isoformat(),  # the current week, as far as the snapshot counted it
        }
        body.append(
            [
                (week["week"], ""),
                *[
                    (week.get(decision, 0), _link("supervision:queue", **common, decision=decision))
                    for decision in stats.OUTCOMES
                ],
            ]
        )
    return {"header": [_("Week"), _("Approved"), _("Returned"), _("Refused")], "rows": body}


def _trends(board: Dashboard) -> dict[str, Any]:
    province = board.filters.province
    body = []
    for day in board.trends:
        after = (datetime.date.fromisoformat(day["day"]) + datetime.timedelta(days=1)).isoformat()
        body.append(
            [
                (day["day"], ""),
                (day["numbered"], _link("filings:list", province=province, numbered_before=after)),
                (day["backlog"], _link("supervision:queue", tab="all", province=province, open_at=day["day"])),
                # Which filings were overdue on a past day is not kept: the figure is the snapshot's.
                (day["overdue_reassessments"], ""),
            ]
        )
    header = [_("Day"), _("Filing numbers issued"), _("Open review tasks"), _("Re-assessments overdue")]
    return {"header": header, "rows": body}


def dashboard_tables(board: Dashboard) -> dict[str, dict[str, Any]]:
    matrix = board.matrix
    return {
        "tier": _matrix(board, matrix["by_tier"], "tier"),
        "province": _matrix(board, matrix["by_province"], "province"),
        "type": _matrix(board, matrix["by_type"], "algorithm_type"),
        "backlog": _backlog(board),
        "offices": _offices(board),
        "reviewers": _reviewers(board),
        "throughput": _throughput(board),
        "trends": _trends(board),
    }


def plain(table: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """A table without its links: what the exports write."""
    return [str(h) for h in table["header"]], [[value for value, _url in row] for row in table["rows"]]


def funnel(board: Dashboard) -> list[tuple[str, int, str]]:
    f = board.filters
    base = {"province": f.province, "algorithm_type": f.algorithm_type, "tier": f.tier}
    return [(str(FilingStatus(s).label), n, _link("filings:list", **base, status=s)) for s, n in board.matrix["funnel"]]


def reassessment_links(board: Dashboard) -> dict[str, str]:
    return {
        state: _link("filings:list", reassessment=state, province=board.filters.province)
        for state in ("due", "overdue", "on_time", "late")
    }


def return_rate_link(board: Dashboard) -> str:
    return _link(
        "supervision:queue",
        tab="all",
        status="decided",
        decision="return",
        province=board.filters.province,
        **_window(board),
    )


def charts(board: Dashboard) -> dict[str, Any]:
    """Chart.js configurations, passed to the page with json_script (no inline script)."""
    matrix = board.matrix
    throughput = board.figures.get("throughput", [])
    statuses = [s for s in stats.STATUS_ORDER if matrix["totals"].get(s)]
    counts = [n for _s, n in matrix["funnel"] if n]
    return {
        "funnel": {
            "type": "bar",
            "labels": [str(FilingStatus(s).label) for s, _n in matrix["funnel"]],
            "datasets": [{"label": _("Filings"), "data": [n for _s, n in matrix["funnel"]]}],
            # Thousands published beside a handful in review: a linear axis would hide the handful.
            "logarithmic": bool(counts) and max(counts) > 100 * min(counts),
            "y_title": _("Filings (logarithmic scale)"),
        },
        "tiers": {
            "type": "bar",
            "stacked": True,
            "labels": [tier_label(t) for t in matrix["by_tier"]],
            "datasets": [
                {"label": str(FilingStatus(s).label), "data": [row.get(s, 0) for row in matrix["by_tier"].values()]}
                for s in statuses
            ],
        },
        "throughput": {
            "type": "line",
            "labels": [w["week"] for w in throughput],
            "datasets": [
                {"label": _("Approved"), "data": [w.get("approve", 0) for w in throughput]},
                {"label": _("Returned"), "data": [w.get("return", 0) for w in throughput]},
                {"label": _("Refused"), "data": [w.get("reject", 0) for w in throughput]},
            ],
        },
        "trends": {
            "type": "line",
            "labels": [t["day"] for t in board.trends],
            "datasets": [
                {"label": _("Open review tasks"), "data": [t["backlog"] for t in board.trends]},
                {"label": _("Re-assessments overdue"), "data": [t["overdue_reassessments"] for t in board.trends]},
            ],
        },
    }
