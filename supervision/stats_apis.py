"""GET /api/v1/stats/… — the dashboard's figures as JSON, for supervisors, scoped and filtered like it.

The figures come from the same ``supervision.dashboard`` build as the page and its exports. For
anyone but a supervisor these endpoints do not exist (404, as the contract has it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from filings.workflow import AlgorithmType
from supervision import dashboard, stats

PARAMETERS = [
    OpenApiParameter("province", str, description="Central supervisors: narrow to a province (e.g. 11)."),
    OpenApiParameter("algorithm_type", str, enum=AlgorithmType.values, description="Narrows the filing counts."),
    OpenApiParameter("tier", str, enum=dashboard.TIERS, description="Narrows the filing counts (0: not classified)."),
]


class _Filters(serializers.Serializer[Any]):
    province = serializers.CharField(help_text="Empty for the whole country.")
    algorithm_type = serializers.CharField()
    tier = serializers.CharField()


class _Reassessment(serializers.Serializer[Any]):
    due = serializers.IntegerField(help_text="Filings with a case waiting for the provider, not late yet.")
    overdue = serializers.IntegerField()
    on_time = serializers.IntegerField(help_text="Filings that submitted on time in the last 12 months.")
    late = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField(help_text="CN or a two-digit province code.")
    filters = _Filters()
    totals = serializers.DictField(child=serializers.IntegerField(), help_text="Filings per status.")
    by_tier = serializers.DictField(help_text="Tier (0: not classified) → status → count.")
    by_province = serializers.DictField(help_text="Province code → status → count.")
    by_type = serializers.DictField(help_text="Algorithm type → status → count.")
    funnel = serializers.DictField(child=serializers.IntegerField())
    reassessment = _Reassessment()
    return_rate = serializers.FloatField(allow_null=True, help_text="Review rounds ended in a return, 90 days.")
    backlog_total = serializers.IntegerField()
    figures_as_of = serializers.DateTimeField()


class _BacklogRow(serializers.Serializer[Any]):
    office = serializers.CharField()
    stage = serializers.CharField()
    age = serializers.CharField(help_text="Working days since the task opened: 0-5, 6-10, 11-20, 21-30, 30+.")
    n = serializers.IntegerField()


class BacklogSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField()
    backlog = _BacklogRow(many=True)


class _Breaches(serializers.Serializer[Any]):
    office = serializers.CharField()
    decided = serializers.IntegerField()
    returns = serializers.IntegerField()
    stage_breaches = serializers.IntegerField()
    stage_breach_rate = serializers.FloatField(allow_null=True)
    with_statutory = serializers.IntegerField(help_text="Decisions of a deciding stage (statutory deadline).")
    statutory_breaches = serializers.IntegerField()
    statutory_breach_rate = serializers.FloatField(allow_null=True)


class _Reviewer(_Breaches):
    reviewer_id = serializers.IntegerField(allow_null=True)
    reviewer = serializers.CharField()


class _Office(_Breaches):
    open_stage_overdue = serializers.IntegerField()
    open_statutory_overdue = serializers.IntegerField()


class ReviewersSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField()
    offices = _Office(many=True)
    reviewers = _Reviewer(many=True)


# "return" is a Python keyword, so the week's fields are given as a mapping.
_Week = inline_serializer(
    name="StatsWeek",
    fields={
        "week": serializers.DateField(help_text="Monday of the week (Beijing time)."),
        "approve": serializers.IntegerField(),
        "return": serializers.IntegerField(),
        "reject": serializers.IntegerField(),
    },
)


class ThroughputSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField()
    throughput = serializers.ListField(child=_Week)


class _Day(serializers.Serializer[Any]):
    day = serializers.DateField()
    numbered = serializers.IntegerField(help_text="Filing numbers issued by that day.")
    backlog = serializers.IntegerField(help_text="Open review tasks.")
    overdue_reassessments = serializers.IntegerField()


class TrendsSerializer(serializers.Serializer[Any]):
    scope = serializers.CharField()
    trends = _Day(many=True)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _with_rates(row: dict[str, Any]) -> dict[str, Any]:
    with_statutory = row.get("with_statutory", 0)
    return {
        **row,
        "with_statutory": with_statutory,
        "stage_breach_rate": _ratio(row["stage_breaches"], row["decided"]),
        "statutory_breach_rate": _ratio(row["statutory_breaches"], with_statutory),
    }


def _board(request: Request) -> dashboard.Dashboard:
    user = request.user
    filters = dashboard.DashboardFilters.for_user(user, request.query_params) if isinstance(user, User) else None
    if filters is None:
        raise NotFound(_("Statistics are for supervisors."))
    return dashboard.dashboard_build(filters)


class StatsOverviewApi(APIView):
    permission_classes = [AllowAny]  # _board answers 404 to anyone but a supervisor, signed in or not

    @extend_schema(operation_id="stats_overview", parameters=PARAMETERS, responses={200: OverviewSerializer})
    def get(self, request: Request) -> Response:
        board = _board(request)
        matrix = board.matrix
        f = board.filters
        return Response(
            {
                "scope": f.scope,
                "filters": {"province": f.province, "algorithm_type": f.algorithm_type, "tier": f.tier},
                "totals": matrix["totals"],
                "by_tier": matrix["by_tier"],
                "by_province": matrix["by_province"],
                "by_type": matrix["by_type"],
                "funnel": dict(matrix["funnel"]),
                "reassessment": board.figures.get("reassessment", {}),
                "return_rate": board.figures.get("return_rate"),
                "backlog_total": board.figures.get("backlog_total", 0),
                "figures_as_of": board.taken_at,
            }
        )


class StatsBacklogApi(APIView):
    permission_classes = [AllowAny]  # _board answers 404 to anyone but a supervisor, signed in or not

    @extend_schema(operation_id="stats_backlog", parameters=PARAMETERS, responses={200: BacklogSerializer})
    def get(self, request: Request) -> Response:
        board = _board(request)
        rows = sorted(board.figures.get("backlog", []), key=lambda r: (r["office"], r["stage"], r["age"]))
        return Response({"scope": board.filters.scope, "backlog": rows})


class StatsReviewersApi(APIView):
    permission_classes = [AllowAny]  # _board answers 404 to anyone but a supervisor, signed in or not

    @extend_schema(operation_id="stats_reviewers", parameters=PARAMETERS, responses={200: ReviewersSerializer})
    def get(self, request: Request) -> Response:
        board = _board(request)
        reviewers = sorted(board.figures.get("decisions", []), key=lambda r: (r["office"], r["reviewer"]))
        return Response(
            {
                "scope": board.filters.scope,
                "offices": [_with_rates(row) for row in board.figures.get("offices", [])],
                "reviewers": [_with_rates(row) for row in reviewers],
            }
        )


class StatsThroughputApi(APIView):
    permission_classes = [AllowAny]  # _board answers 404 to anyone but a supervisor, signed in or not

    @extend_schema(operation_id="stats_throughput", parameters=PARAMETERS, responses={200: ThroughputSerializer})
    def get(self, request: Request) -> Response:
        board = _board(request)
        weeks = [
            {"week": w["week"], **{o: w.get(o, 0) for o in stats.OUTCOMES}} for w in board.figures.get("throughput", [])
        ]
        return Response({"scope": board.filters.scope, "throughput": weeks})


class StatsTrendsApi(APIView):
    permission_classes = [AllowAny]  # _board answers 404 to anyone but a supervisor, signed in or not

    @extend_schema(operation_id="stats_trends", parameters=PARAMETERS, responses={200: TrendsSerializer})
    def get(self, request: Request) -> Response:
        board = _board(request)
        return Response({"scope": board.filters.scope, "trends": board.trends})
