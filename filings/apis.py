"""The filings API (../shared/api-contract.md, Filings). Thin: the field policy validates, services write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.idempotency import idempotent
from accounts.api.pagination import IdCursorPagination
from accounts.api.permissions import api_user
from accounts.errors import ValidationFailed
from filings.fields import FIELDS, PRODUCT_FIELDS, parse_functions
from filings.models import Filing, FilingAttachment, FilingVersion, Reassessment
from filings.selectors import (
    current_attachments,
    filing_duplicates,
    filing_get_visible,
    filing_list_visible,
    filing_version_get,
)
from filings.services import changes, drafts, submission
from filings.services.common import latest_version
from filings.versions import diff
from filings.workflow import DRAFT_ATTACHMENT_KINDS, OPEN_REASSESSMENT_STATUSES

YES_NO_KEYS = {spec.key for spec in FIELDS if spec.kind == "yesno"}
PRODUCT_YES_NO = {spec.key for spec in PRODUCT_FIELDS if spec.kind == "yesno"}
CONTROL_KEYS = {"version", "kind"}

ERRORS = {
    400: OpenApiResponse(description="Errors by field (dotted for products, e.g. products.0.url)."),
    403: OpenApiResponse(description="Visible, but the caller may not do this."),
    404: OpenApiResponse(description="Not visible to the caller."),
    409: OpenApiResponse(description="Wrong state or a stale version."),
}


def _api_value(key: str, value: Any) -> Any:
    if key in YES_NO_KEYS:
        return {"yes": True, "no": False}.get(value) if value not in ("", None) else None
    if key == "products":
        return [_api_product(p) for p in value or [] if isinstance(p, dict)]
    return value


def _api_product(product: dict[str, Any]) -> dict[str, Any]:
    out = {k: ({"yes": True, "no": False}.get(v) if k in PRODUCT_YES_NO else v) for k, v in product.items()}
    out["functions"] = parse_functions(product.get("functions", ""))
    return out


def data_payload(data: dict[str, Any]) -> dict[str, Any]:
    return {
        spec.key: _api_value(spec.key, data.get(spec.key, [] if spec.kind in ("multichoice", "products") else ""))
        for spec in FIELDS
    }


def summary_payload(filing: Filing) -> dict[str, Any]:
    return {
        "id": filing.pk,
        "kind": filing.kind,
        "status": filing.status,
        "name": filing.name,
        "algorithm_type": filing.algorithm_type,
        "role": filing.role,
        "tier": filing.tier,
        "filing_number": filing.filing_number,
        "launch_date": filing.launch_date,
        "filing_due": filing.filing_due,
        "filing_late": filing.filing_late,
        "decision_due": filing.decision_due,
        "deadline_provisional": filing.deadline_provisional,
        "organization": {"id": filing.organization_id, "name": filing.organization.name},
        "version": filing.version,
        "created_at": filing.created_at,
        "submitted_at": filing.submitted_at,
        "approved_at": filing.approved_at,
        "reassessment_due": filing.reassessment_due,
        "reassessment_overdue": filing.reassessment_overdue,
        "service_end_date": filing.service_end_date,
        "cancellation_due": filing.cancellation_due,
    }


def detail_payload(filing: Filing) -> dict[str, Any]:
    version = latest_version(filing)
    documents = current_attachments(filing)
    return {
        **summary_payload(filing),
        **data_payload(version.data),
        "current_version": {"number": version.number, "status": version.status, "purpose": version.purpose},
        "return_reasons": filing.return_reasons,
        "return_item_reasons": filing.return_item_reasons,
        "attachments": [attachment_payload(a) for a in documents.values()],
        "reassessment": _open_reassessment(filing),
        "possible_duplicates": [
            {"id": other.pk, "name": other.name, "status": other.status, "filing_number": other.filing_number}
            for other in filing_duplicates(filing)[:5]
        ],
    }


def reassessment_payload(case: Reassessment) -> dict[str, Any]:
    return {
        "id": case.pk,
        "status": case.status,
        "reason": case.reason,
        "tier": case.tier,
        "due": case.due,
        "deadline_provisional": case.due_provisional,
        "late": case.late,
        "opened_at": case.opened_at,
        "submitted_at": case.submitted_at,
        "decided_at": case.decided_at,
        "reasons": case.reasons,
        "report": attachment_payload(case.report) if case.report else None,
    }


def _open_reassessment(filing: Filing) -> dict[str, Any] | None:
    case = filing.reassessments.filter(status__in=OPEN_REASSESSMENT_STATUSES).select_related("report").first()
    return reassessment_payload(case) if case else None


def attachment_payload(attachment: FilingAttachment) -> dict[str, Any]:
    return {
        "id": attachment.pk,
        "kind": attachment.kind,
        "filename": attachment.original_name,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "content_type": attachment.content_type,
        "download_url": f"/filings/{attachment.filing_id}/documents/{attachment.pk}/",
    }


def version_payload(version: FilingVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "status": version.status,
        "purpose": version.purpose,
        "frozen": version.frozen,
        "content_hash": version.content_hash,
        "material": version.material,
        "change_date": version.change_date,
        "change_summary": version.change_summary,
        "change_due": version.change_due,
        "change_late": version.change_late,
        "submitted_at": version.submitted_at,
        "decided_at": version.decided_at,
        "attachments": version.attachments,
    }


def _data_from(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise ValidationFailed({"non_field_errors": ["Expected a JSON object."]})
    data = {k: v for k, v in request.data.items() if k not in CONTROL_KEYS}
    if "filtering" in data and isinstance(data["filtering"], bool):
        data["filtering"] = "yes" if data["filtering"] else "no"
    return data


def _version_param(request: Request) -> int | None:
    value = request.data.get("version") if isinstance(request.data, dict) else None
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationFailed({"version": ["An integer, as read."]})
    return value


def _filing_fields() -> dict[str, serializers.Field]:
    """Schema only: the filing's attributes as the field policy defines them."""
    kinds = {
        "text": serializers.CharField,
        "longtext": serializers.CharField,
        "date": serializers.DateField,
        "integer": serializers.IntegerField,
        "yesno": serializers.BooleanField,
    }
    fields: dict[str, serializers.Field] = {}
    for spec in FIELDS:
        if spec.kind == "choice":
            fields[spec.key] = serializers.ChoiceField(
                choices=spec.choice_values(), required=False, help_text=str(spec.label)
            )
        elif spec.kind == "multichoice":
            fields[spec.key] = serializers.MultipleChoiceField(choices=spec.choice_values(), required=False)
        elif spec.kind == "products":
            fields[spec.key] = serializers.ListField(child=serializers.DictField(), required=False)
        else:
            fields[spec.key] = kinds[spec.kind](required=False, help_text=str(spec.label))
    return fields


FilingInput = inline_serializer("FilingInput", {**_filing_fields(), "kind": serializers.CharField(required=False)})
FilingPatch = inline_serializer("FilingPatch", {**_filing_fields(), "version": serializers.IntegerField()})


class FilingListApi(APIView):
    @extend_schema(
        operation_id="filings_list",
        responses={200: OpenApiResponse(description="Cursor-paginated filings the caller may see.")},
    )
    def get(self, request: Request) -> Response:
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(filing_list_visible(user=request.user), request, view=self)
        return paginator.get_paginated_response([summary_payload(f) for f in page or []])

    @extend_schema(request=FilingInput, responses={201: OpenApiResponse(description="The new draft."), **ERRORS})
    @idempotent
    def post(self, request: Request) -> Response:
        kind = request.data.get("kind", "algorithm") if isinstance(request.data, dict) else "algorithm"
        result = drafts.filing_create(actor=api_user(request), data=_data_from(request), kind=str(kind))
        return Response(detail_payload(result.filing), status=status.HTTP_201_CREATED)


class FilingDetailApi(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="The filing and its current version."), **ERRORS})
    def get(self, request: Request, filing_id: int) -> Response:
        return Response(detail_payload(filing_get_visible(user=request.user, filing_id=filing_id)))

    @extend_schema(request=FilingPatch, responses={200: OpenApiResponse(description="Saved."), **ERRORS})
    def patch(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        result = drafts.filing_save(
            filing_id=filing.pk,
            actor=api_user(request),
            data=_data_from(request),
            expected_version=_version_param(request),
        )
        return Response(detail_payload(result.filing))


class FilingAttachmentApi(APIView):
    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "FilingAttachmentInput",
                {
                    "kind": serializers.ChoiceField(choices=[(k.value, k.label) for k in DRAFT_ATTACHMENT_KINDS]),
                    "file": serializers.FileField(),
                },
            )
        },
        responses={201: OpenApiResponse(description="{id, kind, filename, size, sha256}"), **ERRORS},
    )
    @idempotent
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        data: Any = request.data
        attachment = drafts.filing_attachment_add(
            filing_id=filing.pk,
            actor=api_user(request),
            kind=str(data.get("kind", "")),
            upload=request.FILES.get("file"),
        )
        return Response(attachment_payload(attachment), status=status.HTTP_201_CREATED)


class FilingSubmitApi(APIView):
    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "FilingSubmitResult",
                {
                    "status": serializers.CharField(),
                    "filing_due": serializers.DateField(allow_null=True),
                    "filing_late": serializers.BooleanField(),
                    "decision_due": serializers.DateField(allow_null=True),
                    "deadline_provisional": serializers.BooleanField(),
                },
            ),
            **ERRORS,
        },
    )
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        filing = submission.filing_submit(filing_id=filing.pk, actor=api_user(request))
        return Response(
            {
                "status": filing.status,
                "filing_due": filing.filing_due,
                "filing_late": filing.filing_late,
                "decision_due": filing.decision_due,
                "deadline_provisional": filing.deadline_provisional,
                "current_version": version_payload(latest_version(filing)),
            }
        )


class FilingWithdrawApi(APIView):
    @extend_schema(request=None, responses={200: OpenApiResponse(description="Withdrawn."), **ERRORS})
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        filing = submission.filing_withdraw(filing_id=filing.pk, actor=api_user(request))
        return Response(detail_payload(filing))


class FilingChangeApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "FilingChangeInput", {"change_date": serializers.DateField(), "summary": serializers.CharField()}
        ),
        responses={201: OpenApiResponse(description="The new editable version."), **ERRORS},
    )
    @idempotent
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        serializer = _DatedInput(data=request.data, context={"date_field": "change_date", "text_field": "summary"})
        serializer.is_valid(raise_exception=True)
        version = changes.filing_change_open(
            filing_id=filing.pk,
            actor=api_user(request),
            change_date=serializer.validated_data.get("change_date"),
            summary=serializer.validated_data.get("summary", ""),
        )
        return Response(version_payload(version), status=status.HTTP_201_CREATED)


class FilingCancelApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "FilingCancelInput", {"termination_date": serializers.DateField(), "arrangements": serializers.CharField()}
        ),
        responses={201: OpenApiResponse(description="The cancellation request."), **ERRORS},
    )
    @idempotent
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        serializer = _DatedInput(
            data=request.data, context={"date_field": "termination_date", "text_field": "arrangements"}
        )
        serializer.is_valid(raise_exception=True)
        cancellation = changes.filing_cancel_request(
            filing_id=filing.pk,
            actor=api_user(request),
            termination_date=serializer.validated_data.get("termination_date"),
            arrangements=serializer.validated_data.get("arrangements", ""),
        )
        return Response(
            {
                "id": cancellation.pk,
                "status": cancellation.status,
                "termination_date": cancellation.termination_date,
                "due": cancellation.due,
                "late": cancellation.late,
                "deadline_provisional": cancellation.due_provisional,
            },
            status=status.HTTP_201_CREATED,
        )


class _DatedInput(serializers.Serializer[Any]):
    """A date and a text, named per endpoint (change_date/summary, termination_date/arrangements)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            self.context["date_field"]: serializers.DateField(required=False, allow_null=True),
            self.context["text_field"]: serializers.CharField(required=False, allow_blank=True, max_length=4000),
        }


class FilingVersionsApi(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="Every version, oldest first.")})
    def get(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        return Response([version_payload(v) for v in filing.versions.order_by("number")])


class FilingDiffApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("from", int), OpenApiParameter("to", int)],
        responses={200: OpenApiResponse(description='{"changes": [{"field", "before", "after", "material"}]}')},
    )
    def get(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        latest = latest_version(filing).number
        try:
            to_number = int(request.query_params.get("to", latest))
            from_number = int(request.query_params.get("from", max(1, to_number - 1)))
        except ValueError:
            raise ValidationFailed({"from": ["Version numbers are integers."]}) from None
        before = filing_version_get(filing, from_number)
        after = filing_version_get(filing, to_number)
        return Response({"from": from_number, "to": to_number, "changes": diff(before.data, after.data)})
