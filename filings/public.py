"""Reads for the public (no login): the registry search, one public filing, number verification.

Everything here reads ``PublicListing`` (the published columns) and the filing's status, never the
filing's versions or documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from filings import numbers, search
from filings.models import Filing, PublicListing, PublicState
from filings.workflow import FilingStatus

SEARCHABLE = (FilingStatus.PUBLISHED, FilingStatus.CANCELLED)
SEARCHABLE_STATES = (PublicState.ACTIVE, PublicState.CANCELLED)
PAGE_SIZE = 20
# Counting every match of a very common character costs more than the page: above this, "1000+".
COUNT_CAP = 1000
STATUS_WORDS = {
    FilingStatus.PUBLISHED: "active",
    FilingStatus.APPROVED: "active",
    FilingStatus.CANCELLED: "cancelled",
    FilingStatus.REVOKED: "revoked",
}


@dataclass(frozen=True)
class SearchPage:
    rows: list[PublicListing]
    next_before: int | None
    total: int
    total_capped: bool


def search_queryset(q: str, algorithm_type: str = "", province: str = "") -> QuerySet[PublicListing]:
    """Published and cancelled filings matching the search (unordered)."""
    qs = PublicListing.objects.filter(state__in=SEARCHABLE_STATES)
    query = search.tsquery(q)
    if query:
        # The tsquery holds only CJK characters and [a-z0-9] lexemes (search.tsquery), cast as is.
        matched = RawSQL("filings_publiclisting.search @@ %s::tsquery", [query], output_field=BooleanField())
        qs = qs.alias(matched=matched).filter(matched=True)
        for phrase in search.phrases(q):
            qs = qs.filter(
                Q(name__contains=phrase)
                | Q(filing_number__contains=phrase)
                | Q(organization_name__contains=phrase)
                | Q(products__contains=phrase)
                | Q(purpose__contains=phrase)
            )
    elif q.strip():
        return qs.none()  # nothing searchable in it (punctuation only)
    if algorithm_type:
        qs = qs.filter(algorithm_type=algorithm_type)
    if province:
        qs = qs.filter(province_code=province)
    return qs


def public_search(
    *, q: str = "", algorithm_type: str = "", province: str = "", before: int | None = None, size: int = PAGE_SIZE
) -> SearchPage:
    """Newest first, keyset pages (``before`` = the last filing id seen)."""
    qs = search_queryset(q, algorithm_type, province)
    page = qs.select_related("filing").order_by("-filing_id")
    if before is not None:
        page = page.filter(filing_id__lt=before)
    rows = list(page[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    total = qs.order_by()[: COUNT_CAP + 1].count()
    return SearchPage(rows, rows[-1].filing_id if more and rows else None, min(total, COUNT_CAP), total > COUNT_CAP)


def public_listing_get(*, number: str) -> PublicListing:
    listing = (
        PublicListing.objects.select_related("filing")
        .filter(filing_number=number.strip(), filing__status__in=(*SEARCHABLE, FilingStatus.REVOKED))
        .first()
    )
    if listing is None:
        raise Http404
    return listing


@dataclass(frozen=True)
class Verification:
    number: str
    format_valid: bool
    known: bool
    status: str = ""
    reassessment_overdue: bool = False
    name: str = ""
    organization: str = ""
    algorithm_type: str = ""
    changed_on: Any = None
    listing: PublicListing | None = None


def normalize_number(text: str) -> str:
    """Tolerate spaces and a bare 21-digit number; anything else is judged as typed."""
    compact = "".join((text or "").split())
    if compact.isdigit() and len(compact) == 21:
        return f"{numbers.PREFIX}{compact}{numbers.SUFFIX}"
    return compact


def looks_like_a_number(text: str) -> bool:
    return numbers.parse(text) is not None


def verify(number: str) -> Verification:
    """What the registry knows of a number (call ``looks_like_a_number`` first)."""
    valid = numbers.check_digit_ok(number)
    listing = public_listing_get_or_none(number)
    if listing is not None:
        filing = listing.filing
        return Verification(
            number=number,
            format_valid=valid,
            known=True,
            status=STATUS_WORDS[FilingStatus(filing.status)],
            reassessment_overdue=filing.reassessment_overdue,
            name=listing.name,
            organization=listing.organization_name,
            algorithm_type=listing.algorithm_type,
            changed_on=listing.changed_on,
            listing=listing,
        )
    # Filed but not yet in a published batch: providers already display the number (Art. 24).
    filing = Filing.objects.select_related("organization").filter(filing_number=number, status=FilingStatus.APPROVED)
    found = filing.first()
    if found is None:
        return Verification(number=number, format_valid=valid, known=False)
    return Verification(
        number=number,
        format_valid=valid,
        known=True,
        status="active",
        reassessment_overdue=found.reassessment_overdue,
        name=found.name,
        organization=found.organization.name,
        algorithm_type=found.algorithm_type,
        changed_on=(timezone.localtime(found.approved_at).date() if found.approved_at else None),
    )


def public_listing_get_or_none(number: str) -> PublicListing | None:
    try:
        return public_listing_get(number=number)
    except Http404:
        return None
