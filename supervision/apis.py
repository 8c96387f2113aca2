"""The review queue API: one queue for every kind of task, scoped by jurisdiction."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.permissions import api_user
from accounts.api.serializers import api_errors
from accounts.errors import ValidationFailed
from accounts.models import RegulatorOffice, User
from filings.workflow import AlgorithmType
from supervision.models import Decision, ReviewTask, Stage, SubjectType, TaskStatus
from supervision.selectors import TaskFilters, task_get_visible, task_queue
from supervision.services import review
from supervision.subjects import SUBJECTS


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
