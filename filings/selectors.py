"""Reads of filings, always scoped to what the user may see (404 for anything else)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import scope_filter, user_scope
from filings.models import Filing, FilingAttachment, FilingVersion
from filings.services.drafts import current_attachments


def filing_list_visible(*, user: Any) -> QuerySet[Filing]:
    scope = user_scope(user)
    return Filing.objects.filter(scope_filter(scope, organization_field="organization_id")).select_related(
        "organization"
    )


def filing_get_visible(*, user: Any, filing_id: int) -> Filing:
    filing = filing_list_visible(user=user).filter(id=filing_id).first()
    if filing is None:
        raise Http404
    return filing


def filing_versions(filing: Filing) -> QuerySet[FilingVersion]:
    return filing.versions.order_by("number")


def filing_version_get(filing: Filing, number: int) -> FilingVersion:
    version = filing.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def filing_attachment_get_visible(*, user: Any, filing_id: int, attachment_id: int) -> FilingAttachment:
    filing = filing_get_visible(user=user, filing_id=filing_id)
    attachment = FilingAttachment.objects.filter(filing=filing, id=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment


def filing_duplicates(filing: Filing) -> QuerySet[Filing]:
    """Other filings of the same organisation with the same normalised name and type."""
    if not filing.name_normalized:
        return Filing.objects.none()
    return (
        Filing.objects.filter(
            organization_id=filing.organization_id,
            name_normalized=filing.name_normalized,
            algorithm_type=filing.algorithm_type,
        )
        .exclude(id=filing.pk)
        .exclude(status__in=["withdrawn", "rejected"])
    )


__all__ = [
    "current_attachments",
    "filing_attachment_get_visible",
    "filing_duplicates",
    "filing_get_visible",
    "filing_list_visible",
    "filing_version_get",
    "filing_versions",
]
