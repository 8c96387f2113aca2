"""The supervisors' dashboard: live filing matrix, review figures from today's snapshot, trends.

Scoped to the supervisor's province, or the country for the central office (who may narrow it to a
province). The tables are built in ``supervision.dashboard``; every number links to the list behind
it, and each table exports to CSV and XLSX exactly as shown (filters included).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from accounts.exports import csv_response, xlsx_response
from accounts.models import User
from accounts.reference import PROVINCES, province_name
from accounts.services.audit import audit_record
from accounts.views.access import supervisor_or_404
from filings.workflow import AlgorithmType
from supervision import dashboard, stats


def dashboard_filters(request: HttpRequest) -> tuple[User, dashboard.DashboardFilters, bool]:
    user = supervisor_or_404(request)
    filters = dashboard.DashboardFilters.for_user(user, request.GET)
    if filters is None:
        raise Http404
    return user, filters, stats.scope_of(user) == stats.COUNTRY


def dashboard_view(request: HttpRequest) -> HttpResponse:
    _user, filters, is_country = dashboard_filters(request)
    board = dashboard.dashboard_build(filters)
    tables = dashboard.dashboard_tables(board)
    context = {
        "board": board,
        "scope": filters.scope,
        "scope_name": province_name(filters.scope) if filters.province else "",
        "figures": board.figures,
        "taken_at": board.taken_at,
        "tables": tables,
        # The page shows the last two weeks of the trends; the chart and the exports have 90 days.
        "recent_trends": {**tables["trends"], "rows": tables["trends"]["rows"][-14:]},
        "funnel": dashboard.funnel(board),
        "reassessment_links": dashboard.reassessment_links(board),
        "return_rate_link": dashboard.return_rate_link(board),
        "charts": dashboard.charts(board),
        "types": AlgorithmType.choices,
        "type_filter": filters.algorithm_type,
        "tier_filter": filters.tier,
        "narrowed": bool(filters.algorithm_type or filters.tier),
        "provinces": PROVINCES,
        "is_country": is_country,
        "filter_query": filters.query(),
    }
    return render(request, "supervision/dashboard.html", context)


def dashboard_export_view(request: HttpRequest, table: str, fmt: str) -> HttpResponseBase:
    user, filters, _is_country = dashboard_filters(request)
    if table not in dashboard.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    header, rows = dashboard.plain(dashboard.dashboard_tables(dashboard.dashboard_build(filters))[table])
    audit_record(
        action="export.downloaded",
        subject_type="dashboard",
        subject_id=0,
        actor=user,
        payload={
            "table": table,
            "scope": filters.scope,
            "algorithm_type": filters.algorithm_type,
            "tier": filters.tier,
            "format": fmt,
            "rows": len(rows),
        },
    )
    suffix = "".join(f"-{part}" for part in (filters.algorithm_type, filters.tier and f"tier{filters.tier}") if part)
    name = f"dashboard-{filters.scope}{suffix}-{table}.{fmt}"
    if fmt == "csv":
        return csv_response(name, header, rows)
    return xlsx_response(name, header, rows, sheet=table)
