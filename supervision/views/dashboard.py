"""The supervisors' dashboard: live filing matrix, review figures from today's snapshot, trends.

Scoped to the supervisor's province, or the country for the central office (who may narrow it to a
province). Every number links to the list behind it; each table exports to CSV and XLSX.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.exports import csv_response, xlsx_response
from accounts.models import User
from accounts.reference import PROVINCES
from accounts.services.audit import audit_record
from accounts.views.access import supervisor_or_404
from filings.models import FilingStatus
from filings.workflow import AlgorithmType
from supervision import stats
from supervision.models import Stage


def dashboard_scope(request: HttpRequest) -> tuple[User, str]:
    user = supervisor_or_404(request)
    scope = stats.scope_of(user)
    if scope is None:
        raise Http404
    province = request.GET.get("province", "")
    if scope == stats.COUNTRY and province in {code for code, _zh, _en in PROVINCES}:
        scope = province  # the central office may look at one province
    return user, scope


def dashboard_data(scope: str, type_filter: str = "", tier_filter: str = "") -> dict[str, Any]:
    cells = stats.filing_matrix(scope)
    if type_filter:
        cells = [c for c in cells if c["algorithm_type"] == type_filter]
    if tier_filter.isdigit():
        cells = [c for c in cells if c["tier"] == int(tier_filter)]
    snapshot = stats.snapshot(scope)
    return {
        "scope": scope,
        "matrix": stats.matrix_tables(cells),
        "snapshot": snapshot,
        "figures": snapshot.data,
        "trends": stats.trends(scope),
    }


def dashboard_view(request: HttpRequest) -> HttpResponse:
    _user, scope = dashboard_scope(request)
    type_filter = request.GET.get("algorithm_type", "")
    type_filter = type_filter if type_filter in AlgorithmType.values else ""
    tier_filter = request.GET.get("tier", "")
    tier_filter = tier_filter if tier_filter in {"0", "1", "2", "3", "4"} else ""
    data = dashboard_data(scope, type_filter, tier_filter)
    context = {
        **data,
        "tables": tables(data),
        "rows": linked_rows(data, scope, type_filter, tier_filter),
        "charts": charts(data),
        "statuses": [(s, FilingStatus(s).label) for s in stats.STATUS_ORDER],
        "province_names": {code: (zh, en) for code, zh, en in PROVINCES},
        "types": AlgorithmType.choices,
        "type_filter": type_filter,
        "tier_filter": tier_filter,
        "provinces": PROVINCES,
        "is_country": stats.scope_of(_user) == stats.COUNTRY,
        "scope_query": "" if scope == stats.COUNTRY else f"province={scope}",
    }
    return render(request, "supervision/dashboard.html", context)


def _status_table(rows: list[dict[str, Any]], label: str) -> dict[str, Any]:
    """A matrix table as the page shows it: the row's label, its counts per status, the total."""
    header = [label, *[str(FilingStatus(s).label) for s in stats.STATUS_ORDER], _("Total")]
    body = [[row["label"], *[n for n, _url in row["cells"]], row["total"]] for row in rows]
    return {"header": header, "rows": body}


def rate(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "—"


def tables(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every dashboard table as header + rows (what the page shows and the exports write)."""
    figures = data["figures"]
    linked = linked_rows(data, data["scope"], "", "")
    ages = [label for label, _upper in stats.AGE_BUCKETS]
    backlog: dict[tuple[str, str], dict[str, int]] = {}
    for row in figures.get("backlog", []):
        backlog.setdefault((row["office"], row["stage"]), {})[row["age"]] = row["n"]
    return {
        "tier": _status_table(linked["tier"], _("Tier")),
        "province": _status_table(linked["province"], _("Province")),
        "type": _status_table(linked["type"], _("Algorithm type")),
        "backlog": {
            "header": [_("Office"), _("Stage"), *ages, _("Total")],
            "rows": [
                [
                    office,
                    str(Stage(stage).label) if stage in Stage.values else stage,
                    *[c.get(a, 0) for a in ages],
                    sum(c.values()),
                ]
                for (office, stage), c in sorted(backlog.items())
            ],
            "keys": [[office, stage] for (office, stage) in sorted(backlog)],
        },
        "reviewers": {
            "header": [
                _("Office"),
                _("Reviewer"),
                _("Decided"),
                _("Stage deadline missed"),
                _("Statutory deadline missed"),
                _("Returned"),
                _("Stage deadline missed (%)"),
                _("Statutory deadline missed (%)"),
            ],
            "rows": [
                [
                    r["office"],
                    r["reviewer"],
                    r["decided"],
                    r["stage_breaches"],
                    r["statutory_breaches"],
                    r["returns"],
                    rate(r["stage_breaches"], r["decided"]),
                    rate(r["statutory_breaches"], r["decided"]),
                ]
                for r in sorted(figures.get("decisions", []), key=lambda r: (r["office"], r["reviewer"]))
            ],
            "keys": [
                r["reviewer_id"]
                for r in sorted(figures.get("decisions", []), key=lambda r: (r["office"], r["reviewer"]))
            ],
        },
        "throughput": {
            "header": [_("Week"), _("Approved"), _("Returned"), _("Refused")],
            "rows": [
                [w["week"], w.get("approve", 0), w.get("return", 0), w.get("reject", 0)]
                for w in figures.get("throughput", [])
            ],
        },
        "trends": {
            "header": [_("Day"), _("Filed"), _("Open review tasks"), _("Re-assessments overdue")],
            "rows": [[t["day"], t["filed"], t["backlog"], t["overdue_reassessments"]] for t in data["trends"]],
        },
    }


def charts(data: dict[str, Any]) -> dict[str, Any]:
    """Chart.js configurations, passed to the page with json_script (no inline script)."""
    matrix = data["matrix"]
    figures = data["figures"]
    statuses = [s for s in stats.STATUS_ORDER if matrix["totals"].get(s)]
    return {
        "funnel": {
            "type": "bar",
            "labels": [str(FilingStatus(s).label) for s, _n in matrix["funnel"]],
            "datasets": [{"label": _("Filings"), "data": [n for _s, n in matrix["funnel"]]}],
        },
        "tiers": {
            "type": "bar",
            "stacked": True,
            "labels": [_("Not classified") if t == 0 else _("Tier %(n)s") % {"n": t} for t in matrix["by_tier"]],
            "datasets": [
                {"label": str(FilingStatus(s).label), "data": [row.get(s, 0) for row in matrix["by_tier"].values()]}
                for s in statuses
            ],
        },
        "throughput": {
            "type": "line",
            "labels": [w["week"] for w in figures.get("throughput", [])],
            "datasets": [
                {"label": _("Approved"), "data": [w.get("approve", 0) for w in figures.get("throughput", [])]},
                {"label": _("Returned"), "data": [w.get("return", 0) for w in figures.get("throughput", [])]},
                {"label": _("Refused"), "data": [w.get("reject", 0) for w in figures.get("throughput", [])]},
            ],
        },
        "trends": {
            "type": "line",
            "labels": [t["day"] for t in data["trends"]],
            "datasets": [
                {"label": _("Open review tasks"), "data": [t["backlog"] for t in data["trends"]]},
                {"label": _("Re-assessments overdue"), "data": [t["overdue_reassessments"] for t in data["trends"]]},
            ],
        },
    }


EXPORTABLE = ("tier", "province", "type", "backlog", "reviewers", "throughput", "trends")


def dashboard_export_view(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    user, scope = dashboard_scope(request)
    if table not in EXPORTABLE or fmt not in ("csv", "xlsx"):
        raise Http404
    data = tables(dashboard_data(scope))[table]
    audit_record(
        action="export.downloaded",
        subject_type="dashboard",
        subject_id=0,
        actor=user,
        payload={"table": table, "scope": scope, "format": fmt, "rows": len(data["rows"])},
    )
    name = f"dashboard-{scope}-{table}.{fmt}"
    if fmt == "csv":
        return csv_response(name, data["header"], data["rows"])
    return xlsx_response(name, data["header"], data["rows"], sheet=table)


def _link(path: str, **params: Any) -> str:
    return f"{path}?{urlencode({k: v for k, v in params.items() if v not in ('', None)})}"


def linked_rows(data: dict[str, Any], scope: str, type_filter: str, tier_filter: str) -> dict[str, Any]:
    """The tables as rows of (value, link) cells: every number leads to the list behind it."""
    filings, queue = reverse("filings:list"), reverse("supervision:queue")
    province = "" if scope == stats.COUNTRY else scope
    names = {code: (zh, en) for code, zh, en in PROVINCES}
    english = (get_language() or "").startswith("en")
    type_labels = dict(AlgorithmType.choices)

    def matrix(rows: dict[Any, dict[str, int]], dimension: str) -> list[dict[str, Any]]:
        out = []
        for key, counts in rows.items():
            base = {"province": province, "algorithm_type": type_filter, "tier": tier_filter, dimension: key}
            if dimension == "tier":
                label = _("Not classified") if key == 0 else _("Tier %(n)s") % {"n": key}
            elif dimension == "province":
                label = names.get(key, (key, key))[1 if english else 0]
            else:
                label = str(type_labels.get(key, key or "—"))
            cells = [(counts.get(s, 0), _link(filings, **base, status=s)) for s in stats.STATUS_ORDER]
            out.append({"label": label, "cells": cells, "total": sum(counts.values())})
        return out

    matrix_data = data["matrix"]
    filters = {"province": province, "algorithm_type": type_filter, "tier": tier_filter}
    backlog_rows = []
    ages = [label for label, _upper in stats.AGE_BUCKETS]
    grouped: dict[tuple[str, str], dict[str, int]] = {}
    for row in data["figures"].get("backlog", []):
        grouped.setdefault((row["office"], row["stage"]), {})[row["age"]] = row["n"]
    for (office, stage), counts in sorted(grouped.items()):
        cells = [(counts.get(age, 0), _link(queue, tab="all", office=office, stage=stage, age=age)) for age in ages]
        label = str(Stage(stage).label) if stage in Stage.values else stage
        backlog_rows.append({"office": office, "stage": label, "cells": cells, "total": sum(counts.values())})
    reviewer_rows = []
    for r in sorted(data["figures"].get("decisions", []), key=lambda r: (r["office"], r["reviewer"])):
        common = {
            "tab": "all",
            "status": "decided",
            "window": "recent",
            "office": r["office"],
            "decided_by": r["reviewer_id"],
        }
        reviewer_rows.append(
            {
                "office": r["office"],
                "reviewer": r["reviewer"] or "—",
                "cells": [
                    (r["decided"], _link(queue, **common)),
                    (r["stage_breaches"], _link(queue, **common, breached="stage")),
                    (r["statutory_breaches"], _link(queue, **common, breached="statutory")),
                    (r["returns"], ""),
                    (rate(r["stage_breaches"], r["decided"]), ""),
                    (rate(r["statutory_breaches"], r["decided"]), ""),
                ],
            }
        )
    throughput_rows = [
        {
            "week": w["week"],
            "cells": [
                (w.get(decision, 0), _link(queue, tab="all", status="decided", week=w["week"], decision=decision))
                for decision in ("approve", "return", "reject")
            ],
        }
        for w in data["figures"].get("throughput", [])
    ]
    return {
        "throughput": throughput_rows,
        "tier": matrix(matrix_data["by_tier"], "tier"),
        "province": matrix(matrix_data["by_province"], "province"),
        "type": matrix(matrix_data["by_type"], "algorithm_type"),
        "funnel": [
            (
                str(FilingStatus(s).label),
                n,
                _link(filings, **filters, status=s),
            )
            for s, n in matrix_data["funnel"]
        ],
        "backlog": backlog_rows,
        "reviewers": reviewer_rows,
        "reassessment_due": _link(filings, reassessment="due", province=province),
        "reassessment_overdue": _link(filings, reassessment="overdue", province=province),
    }
