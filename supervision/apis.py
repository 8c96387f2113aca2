"""The review queue API: one queue for every kind of task, scoped by jurisdiction."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import api_user
from accounts.api.serializers import api_errors
from accounts.errors import ValidationFailed
from accounts.models import RegulatorOffice, User
from filings.selectors import filing_get_visible
from filings.services.regulator import filing_regulator_end
from filings.services.tiering import filing_override_tier
from filings.workflow import AlgorithmType
from supervision.models import Decision, Notice, ReviewTask, Stage, SubjectType, TaskStatus
from supervision.selectors import TaskFilters, task_get_visible, task_queue
from supervision.services import review
from supervision.services.assignment import task_reassign
from supervision.subjects import SUBJECTS
from supervision.tiering import explanation_of


class TaskSerializer(serializers.ModelSerializer[ReviewTask]):
    assignee: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    organization = serializers.SerializerMethodField()
    office: serializers.SlugRelatedField[RegulatorOffice] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ReviewTask
        fields = [
            "id",
            "subject_type",
            "subject_id",
            "stage",
            "status",
            "assignee",
            "due",
            "decision_due",
            "due_provisional",
            "fast_track",
            "correction_overdue",
            "stage_order",
            "final",
            "required_votes",
            "tier",
            "round",
            "organization",
            "office",
            "created_at",
            "decision",
            "decided_at",
            "reasons",
            "item_reasons",
        ]

    def get_organization(self, obj: ReviewTask) -> dict[str, Any]:
        return {"id": obj.organization_id, "name": obj.organization.name}


class DecisionInputSerializer(serializers.Serializer[Any]):
    decision = serializers.ChoiceField(choices=Decision.choices)
    reasons = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    item_reasons = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


class SubjectStateSerializer(serializers.Serializer[Any]):
    type = serializers.CharField()
    id = serializers.IntegerField()
    status = serializers.CharField()


class DecisionOutputSerializer(TaskSerializer):
    subject = serializers.SerializerMethodField()

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "subject"]

    def get_subject(self, obj: ReviewTask) -> dict[str, Any]:
        return {"type": obj.subject_type, "id": obj.subject_id, "status": subject_status(obj)}


def subject_status(task: ReviewTask) -> str:
    return SUBJECTS[task.subject_type].status(task)


class TaskCursorPagination(CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("decision_due", "id")


ERRORS = {
    403: OpenApiResponse(description="Not the assignee, four-eyes or a conflict of interest."),
    404: OpenApiResponse(description="Not visible to the caller."),
    409: OpenApiResponse(description="Someone else holds or decided it, or the decision does not exist here."),
}


def _bool(value: str | None) -> bool:
    return (value or "").lower() in {"1", "true", "yes", "on"}


class TaskListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("mine", bool),
            OpenApiParameter("subject_type", str, enum=SubjectType.values),
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter("tier", int),
            OpenApiParameter("status", str, enum=TaskStatus.values),
            OpenApiParameter("algorithm_type", str, enum=AlgorithmType.values),
        ],
        responses={200: TaskSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        tier = params.get("tier")
        if tier is not None and not tier.isdigit():
            raise ValidationFailed({"tier": ["1–4"]})
        filters = TaskFilters(
            mine=_bool(params.get("mine")),
            subject_type=params.get("subject_type", ""),
            stage=params.get("stage", ""),
            tier=int(tier) if tier else None,
            status=params.get("status", ""),
            algorithm_type=params.get("algorithm_type", ""),
        )
        paginator = TaskCursorPagination()
        page = paginator.paginate_queryset(task_queue(user=request.user, filters=filters), request, view=self)
        return paginator.get_paginated_response(TaskSerializer(page, many=True).data)


class TaskDetailApi(APIView):
    @extend_schema(responses={200: TaskSerializer, 404: ERRORS[404]})
    def get(self, request: Request, task_id: int) -> Response:
        return Response(TaskSerializer(task_get_visible(user=request.user, task_id=task_id)).data)


class TaskClaimApi(APIView):
    @extend_schema(request=None, responses={200: TaskSerializer, **ERRORS})
    def post(self, request: Request, task_id: int) -> Response:
        task = task_get_visible(user=request.user, task_id=task_id)
        task = review.task_claim(task_id=task.pk, actor=api_user(request))
        return Response(TaskSerializer(task).data)


class TaskReleaseApi(APIView):
    @extend_schema(request=None, responses={200: TaskSerializer, **ERRORS})
    def post(self, request: Request, task_id: int) -> Response:
        task = task_get_visible(user=request.user, task_id=task_id)
        task = review.task_release(task_id=task.pk, actor=api_user(request))
        return Response(TaskSerializer(task).data)


class TaskDecideApi(APIView):
    @extend_schema(request=DecisionInputSerializer, responses={200: DecisionOutputSerializer, 400: None, **ERRORS})
    def post(self, request: Request, task_id: int) -> Response:
        task = task_get_visible(user=request.user, task_id=task_id)
        serializer = DecisionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            task = review.task_decide(task_id=task.pk, actor=api_user(request), **serializer.validated_data)
        except ValidationFailed as exc:
            raise ValidationFailed(api_errors(exc.errors), exc.message) from exc
        return Response(DecisionOutputSerializer(task).data)


class TaskReassignApi(APIView):
    @extend_schema(
        request=inline_serializer("TaskReassignInput", {"to": serializers.IntegerField(help_text="User id.")}),
        responses={200: TaskSerializer, **ERRORS},
    )
    def post(self, request: Request, task_id: int) -> Response:
        task = task_get_visible(user=request.user, task_id=task_id)
        serializer = ReassignInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        task = task_reassign(task_id=task.pk, actor=api_user(request), to_user_id=serializer.validated_data["to"])
        return Response(TaskSerializer(task).data)


class ReassignInput(serializers.Serializer[Any]):
    to = serializers.IntegerField()


class FilingTierApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "FilingTierInput",
            {
                "tier": serializers.IntegerField(allow_null=True, min_value=1, max_value=4),
                "reason": serializers.CharField(),
            },
        ),
        responses={200: OpenApiResponse(description="{tier, policy_tier, tier_override}"), **ERRORS},
    )
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        data: Any = request.data
        tier = data.get("tier")
        if tier is not None and not isinstance(tier, int):
            raise ValidationFailed({"tier": ["1–4 or null"]})
        filing = filing_override_tier(
            filing_id=filing.pk, actor=api_user(request), tier=tier, reason=str(data.get("reason", ""))
        )
        return Response(
            {
                "tier": filing.tier,
                "policy_tier": filing.policy_tier,
                "tier_override": filing.tier_override,
                "tier_explanation": explanation_of(filing),
            }
        )


class FilingNoticesApi(APIView):
    @extend_schema(responses={200: OpenApiResponse(description="The filing's formal notices, oldest first.")})
    def get(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        notices = Notice.objects.filter(filing=filing).order_by("issued_at")
        return Response(
            [
                {
                    "reference": n.reference,
                    "kind": n.kind,
                    "issued_at": n.issued_at,
                    "content": n.content,
                    "pdf_url": f"/notices/{n.reference}/pdf/",
                }
                for n in notices
            ]
        )


class FilingRegulatorEndApi(APIView):
    @extend_schema(
        request=inline_serializer(
            "FilingEndInput",
            {"action": serializers.ChoiceField(choices=["revoke", "cancel"]), "reasons": serializers.CharField()},
        ),
        responses={200: OpenApiResponse(description="{status}"), **ERRORS},
    )
    def post(self, request: Request, filing_id: int) -> Response:
        filing = filing_get_visible(user=request.user, filing_id=filing_id)
        data: Any = request.data
        filing = filing_regulator_end(
            filing_id=filing.pk,
            actor=api_user(request),
            action=str(data.get("action", "")),
            reasons=str(data.get("reasons", "")),
        )
        return Response({"status": filing.status})
