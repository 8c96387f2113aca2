"""Members, invitations and change requests of the provider's organisation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.forms import InvitationForm, InvitationSignupForm, OrganizationChangeForm, OrganizationForm
from accounts.models import OrganizationStatus, User
from accounts.roles import Role, user_roles
from accounts.selectors import organization_members, organization_of
from accounts.services.changes import organization_change_submit, organization_change_withdraw
from accounts.services.members import (
    admin_hand_over,
    invitation_accept,
    invitation_create,
    invitation_get,
    invitation_revoke,
    member_remove,
)
from accounts.services.users import user_signup
from accounts.views.access import provider_required


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@provider_required
def members_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    form = InvitationForm(request.POST or None)
    can_administer = user.has_perm("accounts.administer_organization", organization)
    if request.method == "POST" and can_administer and form.is_valid():
        try:
            invitation_create(organization_id=organization.pk, actor=user, **form.cleaned_data)
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("accounts:members")
    members = [
        {"user": member, "is_admin": Role.PROVIDER_ADMIN in user_roles(member)}
        for member in organization_members(organization)
    ]
    invitations = organization.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    context = {
        "organization": organization,
        "members": members,
        "invitations": invitations,
        "form": form,
        "can_administer": can_administer,
    }
    return render(request, "accounts/members.html", context, status=400 if form.errors else 200)


def _member_action(request: HttpRequest, action: str) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None:
        return redirect("accounts:organization_create")
    target = request.POST.get("target", "")
    try:
        if action == "remove":
            member_remove(organization_id=organization.pk, actor=user, user_id=int(target))
            messages.success(request, _("Member removed."))
        elif action == "hand_over":
            admin_hand_over(organization_id=organization.pk, actor=user, user_id=int(target))
            messages.success(request, _("The administrator role was handed on."))
        else:
            invitation_revoke(invitation_id=int(target), actor=user)
            messages.success(request, _("Invitation withdrawn."))
    except ValueError:
        messages.error(request, _("Choose a member."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:members")


@provider_required
@require_POST
def member_remove_view(request: HttpRequest) -> HttpResponse:
    return _member_action(request, "remove")


@provider_required
@require_POST
def admin_hand_over_view(request: HttpRequest) -> HttpResponse:
    return _member_action(request, "hand_over")


@provider_required
@require_POST
def invitation_revoke_view(request: HttpRequest) -> HttpResponse:
    return _member_action(request, "revoke")


def invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: a signed-in user joins; a new person creates an account first."""
    try:
        invitation = invitation_get(token=token)
    except ApplicationError as exc:
        return render(request, "accounts/invitation.html", {"error": exc.message}, status=410)
    form = InvitationSignupForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.user.is_authenticated:
                invitation_accept(token=token, user=_user(request))
            elif form.is_valid():
                user = user_signup(email=invitation.email, language=request.LANGUAGE_CODE, **form.cleaned_data)
                invitation_accept(token=token, user=user)
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            else:
                raise ValidationFailed({})
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("You joined %(name)s.") % {"name": invitation.organization.name})
            return redirect("accounts:organization")
    context = {"invitation": invitation, "form": form}
    return render(request, "accounts/invitation.html", context, status=400 if form.errors else 200)


@provider_required
def change_create_view(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None or organization.status != OrganizationStatus.APPROVED:
        messages.info(request, _("Changes are filed only for an approved organisation."))
        return redirect("accounts:organization")
    form = OrganizationChangeForm(
        request.POST or None, organization=organization, initial=OrganizationForm.initial_for(organization)
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization_change_submit(
                organization_id=organization.pk,
                actor=user,
                data=form.service_data(),
                summary=form.cleaned_data["summary"],
                change_date=form.cleaned_data["change_date"],
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The change was submitted for review."))
            return redirect("accounts:organization")
    context = {"form": form, "organization": organization}
    return render(request, "accounts/change_form.html", context, status=400 if form.is_bound else 200)


@provider_required
@require_POST
def change_withdraw_view(request: HttpRequest, change_id: int) -> HttpResponse:
    user = _user(request)
    organization = organization_of(user)
    if organization is None or not organization.changes.filter(id=change_id).exists():
        return redirect("accounts:organization")
    try:
        organization_change_withdraw(change_id=change_id, actor=user)
        messages.success(request, _("The change was withdrawn."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("accounts:organization")
