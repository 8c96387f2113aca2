"""Reads of filings, always scoped to what the user may see (404 for anything else)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import Http404

from accounts.selectors import scope_filter, user_scope
from filings.models import Filing, FilingAttachment, FilingStatus, FilingVersion
from filings.services.drafts import current_attachments
from filings.workflow import AlgorithmType


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


@dataclass(frozen=True)
class FilingFilters:
    """Narrow a list of filings (the dashboard's drill-downs); never widens the user's scope."""

    status: str = ""
    tier: int | None = None  # 0: not classified
    province: str = ""
    algorithm_type: str = ""
    reassessment: str = ""  # "overdue", or "due" (a case waits for the provider, not late yet)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> FilingFilters:
        tier = params.get("tier", "")
        reassessment = params.get("reassessment", "")
        if params.get("reassessment_overdue") == "1":
            reassessment = "overdue"
        return cls(
            status=params.get("status", "") if params.get("status", "") in FilingStatus.values else "",
            tier=int(tier) if tier in {"0", "1", "2", "3", "4"} else None,
            province=params.get("province", "") if re.fullmatch(r"\d{2}", params.get("province", "")) else "",
            algorithm_type=params.get("algorithm_type", "")
            if params.get("algorithm_type", "") in AlgorithmType.values
            else "",
            reassessment=reassessment if reassessment in ("due", "overdue") else "",
        )

    def apply(self, qs: QuerySet[Filing]) -> QuerySet[Filing]:
        if self.status:
            qs = qs.filter(status=self.status)
        if self.tier == 0:
            qs = qs.filter(tier__isnull=True)
        elif self.tier is not None:
            qs = qs.filter(tier=self.tier)
        if self.province:
            qs = qs.filter(province_code=self.province)
        if self.algorithm_type:
            qs = qs.filter(algorithm_type=self.algorithm_type)
        if self.reassessment == "overdue":
            qs = qs.filter(reassessment_overdue=True)  # the partial index filing_reassessment_overdue
        elif self.reassessment == "due":
            qs = qs.filter(reassessments__status__in=["open", "returned"], reassessments__late=False)
        return qs

    def query(self) -> str:
        pairs = {
            "status": self.status,
            "tier": "" if self.tier is None else str(self.tier),
            "province": self.province,
            "algorithm_type": self.algorithm_type,
            "reassessment": self.reassessment,
        }
        return urlencode({k: v for k, v in pairs.items() if v})
