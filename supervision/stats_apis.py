"""GET /api/v1/stats/… — the dashboard's figures as JSON, for supervisors, scoped like the dashboard."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.reference import PROVINCES
from supervision import stats

PROVINCE = OpenApiParameter("province", str, description="Central supervisors: narrow to a province (e.g. 11).")


def _scope(request: Request) -> str:
    scope = stats.scope_of(request.user)  # type: ignore[arg-type]
    if scope is None:
        raise PermissionDenied("Statistics are for supervisors.")
    province = request.query_params.get("province", "")
    if scope == stats.COUNTRY and province in {code for code, _zh, _en in PROVINCES}:
        return province
    return scope


class _StatsApi(APIView):
    section = ""

    def body(self, scope: str) -> Any:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        scope = _scope(request)
        return Response({"scope": scope, self.section: self.body(scope)})


class StatsOverviewApi(_StatsApi):
    section = "overview"

    @extend_schema(
        parameters=[PROVINCE],
        responses={200: OpenApiResponse(description="Filings by tier, province, type and status; funnel; rates.")},
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def body(self, scope: str) -> Any:
        matrix = stats.matrix_tables(stats.filing_matrix(scope))
        snapshot = stats.snapshot(scope)
        return {
            **matrix,
            "funnel": dict(matrix["funnel"]),
            "reassessment": snapshot.data.get("reassessment", {}),
            "return_rate": snapshot.data.get("return_rate"),
            "backlog_total": snapshot.data.get("backlog_total", 0),
            "figures_as_of": snapshot.taken_at,
        }


class StatsBacklogApi(_StatsApi):
    section = "backlog"

    @extend_schema(
        parameters=[PROVINCE], responses={200: OpenApiResponse(description="Open tasks by office, stage, age.")}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def body(self, scope: str) -> Any:
        return stats.snapshot(scope).data.get("backlog", [])


class StatsReviewersApi(_StatsApi):
    section = "reviewers"

    @extend_schema(
        parameters=[PROVINCE], responses={200: OpenApiResponse(description="Decisions and breaches, last 90 days.")}
    )
    def get(self, request: Request) -> Response:
        return super().get(request)

    def body(self, scope: str) -> Any:
        return stats.snapshot(scope).data.get("decisions", [])


class StatsThroughputApi(_StatsApi):
    section = "throughput"

    @extend_schema(parameters=[PROVINCE], responses={200: OpenApiResponse(description="Final decisions per week.")})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def body(self, scope: str) -> Any:
        return stats.snapshot(scope).data.get("throughput", [])


class StatsTrendsApi(_StatsApi):
    section = "trends"

    @extend_schema(parameters=[PROVINCE], responses={200: OpenApiResponse(description="Daily snapshots, 90 days.")})
    def get(self, request: Request) -> Response:
        return super().get(request)

    def body(self, scope: str) -> Any:
        return stats.trends(scope)
