"""Human labels for audit actions. Apps higher up register theirs at start-up (supervision's
``ready``), so accounts can show every event without importing them."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    "user.signed_up": _("Account created"),
    "user.email_verified": _("E-mail address confirmed"),
    "user.staff_created": _("Staff account created"),
    "organization.created": _("Organisation registered as a draft"),
    "organization.updated": _("Details edited"),
    "organization.attachment_added": _("Document uploaded"),
    "organization.submitted": _("Submitted for review"),
    "organization.approved": _("Approved"),
    "organization.returned": _("Returned for correction"),
    "organization.claimed": _("Taken over by its provider's registration (claim approved)"),
    "organization.member_invited": _("Member invited"),
    "organization.member_joined": _("Member joined"),
    "organization.member_removed": _("Member removed"),
    "organization.invitation_revoked": _("Invitation withdrawn"),
    "organization.admin_handed_over": _("Administrator role handed on"),
    "organization_change.submitted": _("Change submitted"),
    "organization_change.resubmitted": _("Change resubmitted"),
    "organization_change.approved": _("Change approved"),
    "organization_change.returned": _("Change returned for correction"),
    "organization_change.rejected": _("Change rejected"),
    "organization_change.withdrawn": _("Change withdrawn"),
}


def register_action_labels(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(action: str) -> str:
    label = _LABELS.get(action)
    return str(label) if label is not None else action
