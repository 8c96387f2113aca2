"""Accounts API: token, identity, organisations. Thin: parse, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.idempotency import idempotent
from accounts.api.pagination import IdCursorPagination
from accounts.api.permissions import api_user
from accounts.api.serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    MeSerializer,
    OrganizationChangeInputSerializer,
    OrganizationChangeOutputSerializer,
    OrganizationInputSerializer,
    OrganizationOutputSerializer,
    TokenInputSerializer,
    TokenOutputSerializer,
    api_errors,
    organization_payload,
)
from accounts.errors import ValidationFailed
from accounts.models import Organization
from accounts.roles import user_roles
from accounts.selectors import (
    organization_current_attachments,
    organization_get_visible,
    organization_list_visible,
)
from accounts.services import changes as change_services
from accounts.services import organizations as org_services

ERRORS = {
    400: OpenApiResponse(description="Validation errors by field (dotted for nested fields)."),
    403: OpenApiResponse(description="Visible, but the caller may not do this."),
    404: OpenApiResponse(description="Not visible to the caller."),
    409: OpenApiResponse(description="State conflict or stale version."),
}


def _call(func: Any, **kwargs: Any) -> Any:
    """Run a service, renaming field errors to the API's dotted names."""
    try:
        return func(**kwargs)
    except ValidationFailed as exc:
        raise ValidationFailed(api_errors(exc.errors), exc.message) from exc


def _render(organization: Organization) -> dict[str, Any]:
    payload = organization_payload(organization, organization_current_attachments(organization))
    return dict(OrganizationOutputSerializer(payload).data)


class TokenApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: TokenOutputSerializer, 400: ERRORS[400], 429: OpenApiResponse(description="Locked out.")},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request carries django-axes' lockout flag back to its middleware (429).
        user = authenticate(request._request, **serializer.validated_data)
        if user is None or not user.is_active:
            # The same message whether or not the user exists.
            raise ValidationFailed({"non_field_errors": [_("Unable to sign in with these credentials.")]})
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeApi(APIView):
    @extend_schema(responses={200: MeSerializer})
    def get(self, request: Request) -> Response:
        user = api_user(request)
        organization = user.organization
        office = user.office
        data = {
            "username": user.get_username(),
            "roles": sorted(user_roles(user)),
            "organization": (
                {"id": organization.pk, "name": organization.name, "status": organization.status}
                if organization
                else None
            ),
            "office": {"code": office.code, "name": office.name} if office else None,
            "email_verified": user.email_verified,
            "language": user.language,
        }
        return Response(MeSerializer(data).data)


class OrganizationListApi(APIView):
    @extend_schema(responses={200: OrganizationOutputSerializer(many=True)})
    def get(self, request: Request) -> Response:
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(organization_list_visible(user=request.user), request, view=self)
        data = [organization_payload(org, {}) for org in page or []]
        return paginator.get_paginated_response(OrganizationOutputSerializer(data, many=True).data)

    @extend_schema(request=OrganizationInputSerializer, responses={201: OrganizationOutputSerializer, **ERRORS})
    @idempotent
    def post(self, request: Request) -> Response:
        serializer = OrganizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = _call(org_services.organization_create, actor=api_user(request), data=serializer.to_model_data())
        return Response(_render(organization), status=status.HTTP_201_CREATED)


class OrganizationDetailApi(APIView):
    @extend_schema(responses={200: OrganizationOutputSerializer, 404: ERRORS[404]})
    def get(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        return Response(_render(organization))

    @extend_schema(request=OrganizationInputSerializer, responses={200: OrganizationOutputSerializer, **ERRORS})
    def patch(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        serializer = OrganizationInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        organization = _call(
            org_services.organization_update,
            organization_id=organization.pk,
            actor=api_user(request),
            data=serializer.to_model_data(),
            expected_version=dict(serializer.validated_data).get("version"),
        )
        return Response(_render(organization))


class OrganizationAttachmentApi(APIView):
    @extend_schema(responses={200: AttachmentSerializer(many=True), 404: ERRORS[404]})
    def get(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        attachments = organization.attachments.order_by("-id")
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        data: Any = request.data
        kind = str(data.get("kind", ""))
        attachment = _call(
            org_services.organization_attachment_add,
            organization_id=organization.pk,
            actor=api_user(request),
            kind=kind,
            upload=request.FILES.get("file"),
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class OrganizationSubmitApi(APIView):
    @extend_schema(
        request=None,
        responses={200: inline_serializer("SubmitResult", {"status": serializers.CharField()}), **ERRORS},
    )
    def post(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        organization = _call(org_services.organization_submit, organization_id=organization.pk, actor=api_user(request))
        return Response({"status": organization.status})


class OrganizationChangeApi(APIView):
    @extend_schema(responses={200: OrganizationChangeOutputSerializer(many=True), 404: ERRORS[404]})
    def get(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        return Response(OrganizationChangeOutputSerializer(organization.changes.all(), many=True).data)

    @extend_schema(
        request=OrganizationChangeInputSerializer, responses={201: OrganizationChangeOutputSerializer, **ERRORS}
    )
    @idempotent
    def post(self, request: Request, organization_id: int) -> Response:
        organization = organization_get_visible(user=request.user, organization_id=organization_id)
        serializer = OrganizationChangeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = _call(
            change_services.organization_change_submit,
            organization_id=organization.pk,
            actor=api_user(request),
            data=serializer.to_model_data(),
            summary=serializer.validated_data["summary"],
            change_date=serializer.validated_data["change_date"],
        )
        return Response(OrganizationChangeOutputSerializer(change).data, status=status.HTTP_201_CREATED)
