"""The public API (no login, rate-limited): registry search and number verification (api-contract.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.reference import PROVINCE_CODES
from accounts.services.ratelimit import client_of, rate_hit
from filings import public
from filings.models import PublicListing
from filings.workflow import AlgorithmType


class _PublicThrottle(BaseThrottle):
    scope = ""

    def allow_request(self, request: Any, view: Any) -> bool:
        limit, per_seconds = settings.BEIAN_RATE_LIMITS[self.scope]
        verdict = rate_hit(scope=self.scope, client=client_of(request), limit=limit, per_seconds=per_seconds)
        self._wait = verdict.retry_after
        return verdict.allowed

    def wait(self) -> float | None:
        return float(self._wait)


class SearchThrottle(_PublicThrottle):
    scope = "public_search"


class VerifyThrottle(_PublicThrottle):
    scope = "public_verify"


def listing_payload(listing: PublicListing) -> dict[str, Any]:
    return {
        "number": listing.filing_number,
        "name": listing.name,
        "list": listing.series,
        "category": listing.category,
        "algorithm_type": listing.algorithm_type,
        "role": listing.role,
        "organization": listing.organization_name,
        "products": listing.products,
        "purpose": listing.purpose,
        "province": listing.province_code,
        "remarks": listing.remarks,
        "status": listing.state,
        "reassessment_overdue": listing.filing.reassessment_overdue,
        "disclosure": listing.disclosure,  # the content proposed for public disclosure, as filed
        "published_on": listing.published_on,
        "changed_on": listing.changed_on,
    }


class PublicFilingsApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [SearchThrottle]

    @extend_schema(
        operation_id="public_filings_list",
        parameters=[
            OpenApiParameter("q", str, description="Words or Chinese characters; one or two characters work."),
            OpenApiParameter("algorithm_type", str, enum=AlgorithmType.values),
            OpenApiParameter("province", str, description="Two-digit province code, e.g. 11"),
            OpenApiParameter("before", int, description="Keyset page: the `next` link carries it."),
            OpenApiParameter("after", int, description="Keyset page: the `previous` link carries it."),
        ],
        responses={200: OpenApiResponse(description="Published and cancelled filings, public fields only.")},
    )
    def get(self, request: Request) -> Response:
        algorithm_type = request.query_params.get("algorithm_type", "")
        province = request.query_params.get("province", "")
        if algorithm_type and algorithm_type not in AlgorithmType.values:
            raise ValidationError(
                {"algorithm_type": [_("Choose one of: %(types)s.") % {"types": ", ".join(AlgorithmType.values)}]}
            )
        if province and province not in PROVINCE_CODES:
            raise ValidationError({"province": [_("Give a two-digit province code, e.g. 11.")]})
        page = public.search_page(
            q=request.query_params.get("q", "")[:100],
            algorithm_type=algorithm_type,
            province=province,
            before=request.query_params.get("before", ""),
            after=request.query_params.get("after", ""),
        )
        return Response(
            {
                "count": page.total,
                "count_capped": page.total_capped,
                "count_approximate": page.approximate,
                "next": self._page_url(request, "before", page.next_before),
                "previous": self._page_url(request, "after", page.previous_after),
                "results": [listing_payload(row) for row in page.rows],
            }
        )

    @staticmethod
    def _page_url(request: Request, key: str, value: int | None) -> str | None:
        if value is None:
            return None
        params = request.query_params.copy()
        params.pop("before", None)
        params.pop("after", None)
        params[key] = str(value)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


class PublicVerifyApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(
        operation_id="public_verify",
        responses={
            200: OpenApiResponse(description="{number, format_valid, status, reassessment_overdue, name, ...}"),
            400: OpenApiResponse(description="Not a filing number at all."),
            404: OpenApiResponse(description="Well-formed, but no filing with this number is on record."),
        },
    )
    def get(self, request: Request, number: str) -> Response:
        normalized = public.normalize_number(number)
        if not public.looks_like_a_number(normalized):
            raise ValidationError({"number": [_("Not a filing number: it reads 网信算备, 21 digits and 号.")]})
        result = public.verify(normalized)
        if not result.known:
            body = {"detail": _("No filing with this number is on record."), "format_valid": result.format_valid}
            return Response({"number": normalized, **body}, status=404)
        return Response(
            {
                "number": result.number,
                "format_valid": result.format_valid,
                "status": result.status,
                "reassessment_overdue": result.reassessment_overdue,
                "name": result.name,
                "organization": result.organization,
                "algorithm_type": result.algorithm_type,
                "changed_on": result.changed_on,
            }
        )
