"""Pieces every filing service uses: locking, the provider's right to act, audit, notification."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, Conflict
from accounts.models import AuditEvent, User
from accounts.services.audit import audit_record
from accounts.services.notifications import notify
from accounts.services.organizations import lock_organization
from filings.models import Filing, FilingVersion
from filings.workflow import OPEN_VERSION_STATUSES

SUBJECT = "filing"
FILE_PERMISSION = "accounts.file_algorithms"
REVIEW_PERMISSION = "filings.review_filing"


def lock_filing(filing_id: int) -> Filing:
    """Lock the filing's organisation, then the filing (the organisation first, as everywhere)."""
    organization_id = Filing.objects.filter(id=filing_id).values_list("organization_id", flat=True).first()
    if organization_id is None:
        raise Conflict(_("This filing no longer exists."))
    organization = lock_organization(organization_id)
    filing = Filing.objects.select_for_update(no_key=True).get(id=filing_id)
    filing.organization = organization
    return filing


def check_provider(filing: Filing, actor: User) -> None:
    """The filing's organisation's members act on it (the organisation's group holds the right)."""
    if not actor.has_perm(FILE_PERMISSION, filing.organization):
        raise ActionForbidden(_("You may not act on this filing."))


def check_reviewer(filing: Filing, actor: User) -> None:
    if not actor.has_perm(REVIEW_PERMISSION, filing):
        raise ActionForbidden(_("Only the reviewer assigned to this filing may decide on it."))


def open_version(filing: Filing) -> FilingVersion | None:
    return filing.versions.filter(status__in=OPEN_VERSION_STATUSES).order_by("-number").first()


def latest_version(filing: Filing) -> FilingVersion:
    version = filing.versions.order_by("-number").first()
    assert version is not None, "every filing has at least its first version"
    return version


def last_approved_version(filing: Filing) -> FilingVersion | None:
    return filing.versions.filter(status="approved").order_by("-number").first()


def normalize_name(name: str) -> str:
    """For spotting duplicates: width-folded, lower case, without spaces and punctuation."""
    folded = unicodedata.normalize("NFKC", name or "").lower()
    return re.sub(r"[\s\W_]+", "", folded)[:200]


def audit(filing: Filing, action: str, actor: User | None, from_state: str = "", **extra: Any) -> AuditEvent:
    return audit_record(
        action=action,
        subject_type=SUBJECT,
        subject_id=filing.pk,
        actor=actor,
        organization=filing.organization,
        from_state=from_state,
        to_state=filing.status if from_state else "",
        **extra,
    )


def tell_members(filing: Filing, event: AuditEvent | None, subject: Promise, body: Promise, **params: Any) -> None:
    notify(
        recipients=filing.organization.members.all(),
        subject=subject,
        body=body,
        params={"name": filing.name or f"#{filing.pk}", "number": filing.filing_number or "", **params},
        link=f"/filings/{filing.pk}/",
        event=event,
    )
