"""An organisation's people: invitations, removal and handing on the administrator role."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import Invitation, Organization, User
from accounts.roles import Role, has_role
from accounts.services.audit import audit_record
from accounts.services.notifications import notify, notify_email
from accounts.services.organizations import lock_organization
from accounts.services.permissions import ADMIN_PERMISSION, member_join, member_leave, member_set_role

SUBJECT = "organization"


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _lock_organization(organization_id: int, actor: User) -> Organization:
    organization = lock_organization(organization_id)
    if not actor.has_perm(ADMIN_PERMISSION, organization):
        raise ActionForbidden(_("Only the organisation's administrators may manage its members."))
    return organization


def invitation_create(*, organization_id: int, actor: User, email: str, role: str) -> tuple[Invitation, str]:
    """Invite someone by e-mail. Returns the invitation and its one-time token (sent by e-mail)."""
    email = (email or "").strip().lower()
    errors: dict[str, list[str]] = {}
    if "@" not in email:
        errors["email"] = [_("Enter a valid e-mail address.")]
    if role not in Invitation.Role.values:
        errors["role"] = [_("Choose a role.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        organization = _lock_organization(organization_id, actor)
        if User.objects.filter(email__iexact=email, organization__isnull=False).exists():
            raise ValidationFailed({"email": [_("This person already belongs to an organisation.")]})
        open_invites = organization.invitations.filter(
            email=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        if open_invites.exists():
            raise Conflict(_("An invitation to this address is already waiting to be accepted."))
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            organization=organization,
            email=email,
            role=role,
            token_hash=_token_hash(token),
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.BEIAN["INVITATION_DAYS"]),
        )
        audit_record(
            action="organization.member_invited",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=actor,
            organization=organization,
            payload={"email": email, "role": role},
        )
        notify_email(
            to_email=email,
            subject=gettext_lazy("Invitation to join %(name)s on the algorithm filing system"),
            body=gettext_lazy(
                "%(inviter)s invites you to join %(name)s. Open this link within %(days)s days to accept:\n%(link)s"
            ),
            params={
                "inviter": actor.get_username(),
                "name": organization.name,
                "days": settings.BEIAN["INVITATION_DAYS"],
                "link": settings.SITE_URL.rstrip("/") + reverse("accounts:invitation", args=[token]),
            },
            language=actor.language,
        )
    return invitation, token


def invitation_get(*, token: str) -> Invitation:
    invitation = Invitation.objects.select_related("organization").filter(token_hash=_token_hash(token)).first()
    if invitation is None or invitation.revoked_at is not None:
        raise Conflict(_("This invitation does not exist or was withdrawn."))
    if invitation.accepted_at is not None:
        raise Conflict(_("This invitation was already accepted."))
    if invitation.expires_at <= timezone.now():
        raise Conflict(_("This invitation has expired; ask for a new one."))
    return invitation


def invitation_accept(*, token: str, user: User) -> Organization:
    """Join the inviting organisation. The link proves the e-mail address, so it counts as verified."""
    with transaction.atomic():
        invitation = invitation_get(token=token)
        organization = lock_organization(invitation.organization_id)
        if organization.merged_into_id is not None:
            raise Conflict(
                _("This registration was merged into the entity it claimed; ask that entity for an invitation.")
            )
        invitation = Invitation.objects.select_for_update().get(id=invitation.pk)
        if invitation.accepted_at is not None:
            raise Conflict(_("This invitation was already accepted."))
        user = User.objects.select_for_update().get(id=user.pk)
        if user.organization_id is not None or user.office_id is not None:
            raise Conflict(_("Your account already belongs to an organisation or an office."))
        member_join(organization=organization, user=user, role=invitation.role)
        if user.email.lower() == invitation.email and user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        event = audit_record(
            action="organization.member_joined",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=user,
            organization=organization,
            payload={"username": user.get_username(), "role": invitation.role},
        )
        notify(
            recipients=organization.members.exclude(id=user.pk),
            subject=gettext_lazy("%(user)s joined %(name)s"),
            body=gettext_lazy("%(user)s accepted the invitation and joined %(name)s."),
            params={"user": user.get_username(), "name": organization.name},
            link="/organization/members/",
            event=event,
        )
    return organization


def invitation_revoke(*, invitation_id: int, actor: User) -> None:
    with transaction.atomic():
        organization_id = Invitation.objects.values_list("organization_id", flat=True).get(id=invitation_id)
        organization = _lock_organization(organization_id, actor)
        invitation = Invitation.objects.select_for_update().get(id=invitation_id)
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise Conflict(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            action="organization.invitation_revoked",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=actor,
            organization=organization,
            payload={"email": invitation.email},
        )


def _member(organization: Organization, user_id: int) -> User:
    member = User.objects.select_for_update().filter(id=user_id, organization=organization).first()
    if member is None:
        raise Conflict(_("This person is not a member of the organisation."))
    return member


def member_remove(*, organization_id: int, actor: User, user_id: int) -> None:
    with transaction.atomic():
        organization = _lock_organization(organization_id, actor)
        if user_id == actor.pk:
            raise Conflict(_("You cannot remove yourself; hand the administrator role on first."))
        member = _member(organization, user_id)
        member_leave(organization=organization, user=member)
        audit_record(
            action="organization.member_removed",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=actor,
            organization=organization,
            payload={"username": member.get_username()},
        )


def admin_hand_over(*, organization_id: int, actor: User, user_id: int) -> None:
    """Make another member the administrator; the current administrator becomes a member."""
    with transaction.atomic():
        organization = _lock_organization(organization_id, actor)
        if user_id == actor.pk:
            raise Conflict(_("Choose another member."))
        member = _member(organization, user_id)
        if has_role(member, Role.PROVIDER_ADMIN):
            raise Conflict(_("This member is already an administrator."))
        member_set_role(organization=organization, user=member, role=Role.PROVIDER_ADMIN)
        member_set_role(organization=organization, user=actor, role=Role.PROVIDER_MEMBER)
        audit_record(
            action="organization.admin_handed_over",
            subject_type=SUBJECT,
            subject_id=organization.pk,
            actor=actor,
            organization=organization,
            payload={"from": actor.get_username(), "to": member.get_username()},
        )
