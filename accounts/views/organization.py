"""The provider's organisation pages, and the regulator's read-only view of one organisation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.forms import AttachmentForm, OrganizationForm
from accounts.models import AttachmentKind, Organization, User
from accounts.selectors import (
    organization_attachment_get_visible,
    organization_current_attachments,
    organization_get_visible,
    organization_history,
    organization_of,
)
from accounts.services.organization_fields import describe_items, organization_missing_items
from accounts.services.organizations import (
    organization_attachment_add,
    organization_create,
    organization_submit,
    organization_update,
)
from accounts.validators import mask_id_number
from accounts.views.access import provider_required
from accounts.views.files import stored_file_response
from accounts.workflow import ORGANIZATION_EDITABLE


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def organization_context(organization: Organization, user: User) -> dict[str, Any]:
    """What the organisation pages show, for providers and regulators alike."""
    attachments = organization_current_attachments(organization)
    return {
        "organization": organization,
        "attachments": attachments,
        "attachment_kinds": AttachmentKind.choices,
        "masked": {
            "legal_rep_id_number": mask_id_number(organization.legal_rep_id_number),
            "security_officer_id_number": mask_id_number(organization.security_officer_id_number),
        },
        "return_items": describe_items(organization.return_item_reasons),
        "history": organization_history(organization, limit=50),
        "changes": organization.changes.all()[:20],
        "editable": organization.status in ORGANIZATION_EDITABLE,
        "can_edit": user.has_perm("accounts.change_organization", organization),
        "can_administer": user.has_perm("accounts.administer_organization", organization),
    }


@provider_required
def organization_home_view(request: HttpRequest) -> HttpResponse:
    """The provider's organisation: status, what to do next, documents and history."""
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    context = organization_context(organization, user)
    if context["editable"]:
        context["missing"] = describe_items(
            organization_missing_items(organization, attachment_kinds=set(context["attachments"]))
        )
        context["attachment_form"] = AttachmentForm()
    return render(request, "accounts/organization_home.html", context)


@provider_required
def organization_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.organization_id is not None:
        return redirect("accounts:organization")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization_create(actor=user, data=form.service_data())
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Draft saved. Complete it, upload the documents and submit it."))
            return redirect("accounts:organization")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/organization_form.html", {"form": form, "creating": True}, status=status)


@provider_required
def organization_edit_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    if organization.status not in ORGANIZATION_EDITABLE:
        messages.info(request, _("An approved organisation's details are changed by filing a change."))
        return redirect("accounts:organization")
    form = OrganizationForm(
        request.POST or None, organization=organization, initial=OrganizationForm.initial_for(organization)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization_update(
                organization_id=organization.pk,
                actor=user,
                data=form.service_data(),
                expected_version=_int(request.POST.get("version")),
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:organization")
    context = {"form": form, "organization": organization, "creating": False}
    return render(request, "accounts/organization_form.html", context, status=400 if form.is_bound else 200)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@provider_required
@require_POST
def organization_attachment_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            organization_attachment_add(
                organization_id=organization.pk,
                actor=user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data.get("file"),
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Document uploaded."))
            return redirect("accounts:organization")
    context = organization_context(organization, user)
    context["missing"] = describe_items(
        organization_missing_items(organization, attachment_kinds=set(context["attachments"]))
    )
    context["attachment_form"] = form
    return render(request, "accounts/organization_home.html", context, status=400)


@provider_required
@require_POST
def organization_submit_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    try:
        organization_submit(organization_id=organization.pk, actor=user)
    except ValidationFailed as exc:
        context = organization_context(organization, user)
        context["missing"] = describe_items(exc.errors)
        context["submit_failed"] = True
        context["attachment_form"] = AttachmentForm()
        return render(request, "accounts/organization_home.html", context, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Submitted. The provincial office will review it."))
    return redirect("accounts:organization")


@login_required
def organization_detail_view(request: HttpRequest, organization_id: int) -> HttpResponse:
    """Any organisation the user may see (regulators by jurisdiction, providers their own)."""
    user = _user(request)
    organization = organization_get_visible(user=user, organization_id=organization_id)
    return render(request, "accounts/organization_detail.html", organization_context(organization, user))


@login_required
def attachment_download_view(request: HttpRequest, organization_id: int, attachment_id: int) -> FileResponse:
    attachment = organization_attachment_get_visible(
        user=request.user, organization_id=organization_id, attachment_id=attachment_id
    )
    return stored_file_response(attachment)
