"""Reads of filings, always scoped to what the user may see (404 for anything else)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.reference import province_name
from accounts.selectors import scope_filter, user_scope
from filings.models import Filing, FilingAttachment, FilingStatus, FilingVersion, Reassessment
from filings.services.drafts import current_attachments
from filings.workdays import BEIJING
from filings.workflow import AlgorithmType, ReassessmentStatus


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


REASSESSMENT_STATES = ("due", "overdue", "on_time", "late")
REASSESSMENT_WORDS = {
    "due": gettext_lazy("re-assessment waiting for the provider"),
    "overdue": gettext_lazy("re-assessment overdue"),
    "on_time": gettext_lazy("re-assessment submitted on time (12 months)"),
    "late": gettext_lazy("re-assessment submitted late (12 months)"),
}
SUBMITTED_WITHIN = datetime.timedelta(days=365)


def reassessment_cases(state: str, now: datetime.datetime | None = None) -> QuerySet[Reassessment]:
    """Re-assessment cases in one state of the dashboard's compliance figures ("overdue" is the
    filing's own flag, which the daily sweep keeps with its late case)."""
    if state == "due":
        return Reassessment.objects.filter(
            status__in=[ReassessmentStatus.OPEN, ReassessmentStatus.RETURNED], late=False
        )
    since = (now or timezone.now()) - SUBMITTED_WITHIN
    return Reassessment.objects.filter(submitted_at__gte=since, late=state == "late")


@dataclass(frozen=True)
class FilingFilters:
    """Narrow a list of filings (the dashboard's drill-downs); never widens the user's scope."""

    status: str = ""
    tier: int | None = None  # 0: not classified
    province: str = ""
    algorithm_type: str = ""
    # A case waiting for the provider: "due" (not late yet) or "overdue"; submitted in the last 12
    # months: "on_time" or "late". The dashboard's re-assessment compliance counts the same filings.
    reassessment: str = ""
    numbered_before: datetime.date | None = None  # a filing number issued before this day (Beijing)

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> FilingFilters:
        tier = params.get("tier", "")
        reassessment = params.get("reassessment", "")
        if params.get("reassessment_overdue") == "1":
            reassessment = "overdue"
        try:
            numbered_before: datetime.date | None = datetime.date.fromisoformat(params.get("numbered_before", ""))
        except ValueError:
            numbered_before = None
        return cls(
            numbered_before=numbered_before,
            status=params.get("status", "") if params.get("status", "") in FilingStatus.values else "",
            tier=int(tier) if tier in {"0", "1", "2", "3", "4"} else None,
            province=params.get("province", "") if re.fullmatch(r"\d{2}", params.get("province", "")) else "",
            # "none": drafts whose type is not chosen yet (the dashboard's "—" row)
            algorithm_type=params.get("algorithm_type", "")
            if params.get("algorithm_type", "") in (*AlgorithmType.values, "none")
            else "",
            reassessment=reassessment if reassessment in REASSESSMENT_STATES else "",
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
            qs = qs.filter(algorithm_type="" if self.algorithm_type == "none" else self.algorithm_type)
        if self.reassessment == "overdue":
            qs = qs.filter(reassessment_overdue=True)  # the partial index filing_reassessment_overdue
        elif self.reassessment:
            qs = qs.filter(Exists(reassessment_cases(self.reassessment).filter(filing_id=OuterRef("pk"))))
        if self.numbered_before:
            start = datetime.datetime.combine(self.numbered_before, datetime.time(), tzinfo=BEIJING)
            # Imported filings carry CAC's publication dates: they count from the day they were imported.
            qs = qs.filter(approved_at__lt=start, created_at__lt=start)
        return qs

    def describe(self) -> list[str]:
        """The filters in words, so a list reached from the dashboard says what it is showing."""
        words = []
        if self.status:
            words.append(str(FilingStatus(self.status).label))
        if self.tier == 0:
            words.append(str(_("not classified")))
        elif self.tier is not None:
            words.append(str(_("tier %(n)s") % {"n": self.tier}))
        if self.province:
            words.append(province_name(self.province))
        if self.algorithm_type == "none":
            words.append(str(_("no algorithm type yet")))
        elif self.algorithm_type:
            words.append(str(AlgorithmType(self.algorithm_type).label))
        if self.reassessment:
            words.append(str(REASSESSMENT_WORDS[self.reassessment]))
        if self.numbered_before:
            day = self.numbered_before - datetime.timedelta(days=1)
            words.append(str(_("numbered by %(day)s") % {"day": day.isoformat()}))
        return words

    def query(self) -> str:
        pairs = {
            "status": self.status,
            "tier": "" if self.tier is None else str(self.tier),
            "province": self.province,
            "algorithm_type": self.algorithm_type,
            "reassessment": self.reassessment,
            "numbered_before": self.numbered_before.isoformat() if self.numbered_before else "",
        }
        return urlencode({k: v for k, v in pairs.items() if v})
