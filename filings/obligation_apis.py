"""API for what a provider owes on a filed algorithm besides changes: re-assessments, end of service."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.idempotency import idempotent
from accounts.api.permissions import api_user
from filings.apis import ERRORS, reassessment_payload
from filings.models import Reassessment
from filings.selectors import filing_get_visible
from filings.services.changes import filing_service_end_report
from filings.services.reassessments import reassessment_submit


class _EndDate(serializers.Serializer[Any]):
    end_date = serializers.DateField(required=False, allow_null=True)


class FilingServiceEndApi(APIView):
    @extend_schema(
        request=inline_serializer("ServiceEndInput", {"end_date": serializers.DateField()}),
        responses={200: OpenApiResponse(description="{service_end_date, cancellation_due}"), **ERRORS},
    )
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        serializer = _EndDate(data=request.data)
        serializer.is_valid(raise_exception=True)
        filing = filing_service_end_report(
            filing_id=filing.pk, actor=api_user(request), end_date=serializer.validated_data.get("end_date")
        )
        return Response({"service_end_date": filing.service_end_date, "cancellation_due": filing.cancellation_due})


class FilingReassessmentsApi(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="The filing's re-assessments, newest first.")})
    def get(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        cases = filing.reassessments.select_related("report").order_by("-id")
        return Response([reassessment_payload(case) for case in cases])


class ReassessmentSubmitApi(APIView):
    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "ReassessmentInput", {"report": serializers.FileField(), "statement": serializers.CharField()}
            )
        },
        responses={200: OpenApiResponse(description="The re-assessment, submitted."), **ERRORS},
    )
    @idempotent
    def post(self, request: Request, filing_id: int, reassessment_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        if not filing.reassessments.filter(id=reassessment_id).exists():
            raise Http404  # not a case of this filing: as if it did not exist
        data: Any = request.data
        case = reassessment_submit(
            reassessment_id=reassessment_id,
            actor=api_user(request),
            report=request.FILES.get("report"),
            statement=str(data.get("statement", "")),
        )
        return Response(reassessment_payload(Reassessment.objects.select_related("report").get(id=case.pk)))
