"""Reads for the public (no login): the registry search, one public filing, number verification.

Everything here reads ``PublicListing`` (the published columns) and the filing's status, never the
filing's versions or documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from filings import numbers, search
from filings.models import Filing, PublicListing, PublicState
from filings.workflow import FilingStatus

SEARCHABLE = (FilingStatus.PUBLISHED, FilingStatus.CANCELLED)
SEARCHABLE_STATES = (PublicState.ACTIVE, PublicState.CANCELLED)
PAGE_SIZE = 20
# Counting every match of a very common character costs more than the page: above this, "more than".
COUNT_CAP = 500
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
    total_capped: bool  # exact count stopped at COUNT_CAP: "more than"
    approximate: bool = False  # estimated from how densely the first page matched: "about"
    previous_after: int | None = None  # the page before this one: the matches newer than this id


# The columns a phrase longer than two characters must appear in, as written.
PHRASE_COLUMNS = ("name", "filing_number", "organization_name", "products", "purpose")


def search_queryset(q: str, algorithm_type: str = "", province: str = "") -> QuerySet[PublicListing]:
    """Published and cancelled filings matching the search (unordered), through the GIN index."""
    qs = _candidates(algorithm_type, province, None)
    query = search.tsquery(q)
    if not query:
        return qs.none() if q.strip() else qs  # punctuation only: nothing searchable in it
    # The tsquery holds only CJK characters and [a-z0-9] lexemes (search.tsquery), cast as is.
    matched = RawSQL("filings_publiclisting.search @@ %s::tsquery", [query], output_field=BooleanField())
    qs = qs.alias(matched=matched).filter(matched=True)
    for phrase in search.phrases(q):
        anywhere = Q()
        for column in PHRASE_COLUMNS:
            anywhere |= Q(**{f"{column}__contains": phrase})
        qs = qs.filter(anywhere)
    return qs


# The newest listings a search scans in id order before it asks the GIN index. Bigram statistics
# make PostgreSQL expect a handful of matches for any multi-character query (bigrams are
# correlated, the estimate multiplies them), so it would read every match through the index and
# sort them; for a common phrase that is tens of thousands of rows. Scanning the newest rows first
# answers common terms after a few hundred rows; rare terms fall through to the index, which is
# cheap exactly when matches are few.
RECENT_WINDOW = 10_000


def _candidates(algorithm_type: str, province: str, before: int | None) -> QuerySet[PublicListing]:
    candidates = PublicListing.objects.filter(state__in=SEARCHABLE_STATES)
    if algorithm_type:
        candidates = candidates.filter(algorithm_type=algorithm_type)
    if province:
        candidates = candidates.filter(province_code=province)
    if before is not None:
        candidates = candidates.filter(filing_id__lt=before)
    return candidates


def recent_sql(
    q: str, algorithm_type: str, province: str, *, before: int | None = None, after: int | None = None, limit: int
) -> tuple[str, list[Any]]:
    """Matches among the RECENT_WINDOW listings next to a page (below ``before``, or just above
    ``after``, oldest first then), at most ``limit``.

    The candidates are a subquery with a LIMIT, which PostgreSQL never pushes the match into: it walks
    the id index and stops at ``limit`` matches (a common term: a few hundred rows) or at the end of
    the window (a rare one), without the GIN index and without a query for where the window ends.
    """
    # The window is the newest listings whatever the filters: a filter matched by few listings would
    # otherwise make the window walk far back through the id index to collect its candidates.
    candidates = _candidates("", "", before)
    if after is not None:
        inner = candidates.filter(filing_id__gt=after).order_by("filing_id")[:RECENT_WINDOW]
    else:
        inner = candidates.order_by("-filing_id")[:RECENT_WINDOW]
    inner_sql, inner_params = inner.query.sql_with_params()
    conditions, params = ["s.search @@ %s::tsquery"], [search.tsquery(q)]
    for column, value in (("algorithm_type", algorithm_type), ("province_code", province)):
        if value:
            conditions.append(f"s.{column} = %s")
            params.append(value)
    for phrase in search.phrases(q):
        # Phrases are runs of CJK characters (search.phrases): nothing in them is special to LIKE.
        conditions.append("(" + " OR ".join(f"s.{column} LIKE %s" for column in PHRASE_COLUMNS) + ")")
        params += [f"%{phrase}%"] * len(PHRASE_COLUMNS)
    direction = "ASC" if after is not None else "DESC"
    sql = (
        f"SELECT * FROM ({inner_sql}) AS s WHERE {' AND '.join(conditions)}"  # noqa: S608 - built from constants
        f" ORDER BY s.filing_id {direction} LIMIT %s"
    )
    return sql, [*inner_params, *params, limit]


def _recent_matches(
    q: str, algorithm_type: str, province: str, *, before: int | None = None, after: int | None = None, limit: int
) -> list[PublicListing]:
    sql, params = recent_sql(q, algorithm_type, province, before=before, after=after, limit=limit)
    return list(PublicListing.objects.raw(sql, params))


def public_search(
    *,
    q: str = "",
    algorithm_type: str = "",
    province: str = "",
    before: int | None = None,
    size: int | None = None,
) -> SearchPage:
    """Newest first, keyset pages (``before`` = the last filing id seen).

    The total is exact when the matches are few; for a common term it is estimated from how densely
    the first page matched (counting every match of a common character would cost more than the page).
    """
    size = size or PAGE_SIZE
    full = search_queryset(q, algorithm_type, province)
    if before is not None:
        full = full.filter(filing_id__lt=before)
    searching = search.tsquery(q) is not None
    rows: list[PublicListing] = []
    dense = False
    if searching:
        rows = _recent_matches(q, algorithm_type, province, before=before, limit=size + 1)
        dense = len(rows) > size
    if not dense:
        # Few matches among the newest rows: read them through the index and sort them. Ordering by an
        # expression keeps the planner off a backward scan of the whole table in search of them.
        ordering = (F("filing_id") + 0).desc() if searching else "-filing_id"
        rows = list(full.order_by(ordering)[: size + 1])
        dense = not searching and len(rows) > size  # browsing, no search term
    more = len(rows) > size
    next_before = rows[size - 1].filing_id if more else None
    rows = rows[:size]
    _attach_filings(rows)
    previous_after = rows[0].filing_id if before is not None and rows else None
    if not more and before is None:
        return SearchPage(rows, None, len(rows), False)
    if dense:
        estimate = _estimate(rows, size, algorithm_type, province, before)
        if estimate > COUNT_CAP:
            return SearchPage(rows, next_before, estimate, False, approximate=True, previous_after=previous_after)
    total = full.order_by()[: COUNT_CAP + 1].count()
    return SearchPage(rows, next_before, min(total, COUNT_CAP), total > COUNT_CAP, previous_after=previous_after)


def search_page(*, q: str, algorithm_type: str, province: str, before: str, after: str) -> SearchPage:
    """The page a request asks for: ``after`` (the page before) or ``before`` (the next), as given in
    the query string; anything not a number starts from the newest."""
    if after.isdigit():
        return public_search_previous(q=q, algorithm_type=algorithm_type, province=province, after=int(after))
    before_id = int(before) if before.isdigit() else None
    return public_search(q=q, algorithm_type=algorithm_type, province=province, before=before_id)


def public_search_previous(
    *, q: str = "", algorithm_type: str = "", province: str = "", after: int, size: int | None = None
) -> SearchPage:
    """The page before a keyset page: the ``size`` oldest matches newer than ``after``, newest first.

    Like ``public_search``, it first walks the ids just above ``after`` without the GIN index (a
    common term fills the page at once), then asks the index for a rare one.
    """
    size = size or PAGE_SIZE
    rows = _recent_matches(q, algorithm_type, province, after=after, limit=size + 1) if search.tsquery(q) else []
    if len(rows) <= size:
        full = search_queryset(q, algorithm_type, province).filter(filing_id__gt=after)
        # Browsing (no term) walks the primary key; a rare term is read through the index and sorted.
        ordering = (F("filing_id") + 0).asc() if search.tsquery(q) else "filing_id"
        rows = list(full.order_by(ordering)[: size + 1])
    newer = len(rows) > size
    rows = list(reversed(rows[:size]))
    _attach_filings(rows)
    # The total is the first page's (exact, capped or estimated the same way).
    first = public_search(q=q, algorithm_type=algorithm_type, province=province, size=size)
    return SearchPage(
        rows,
        rows[-1].filing_id if rows else None,
        first.total,
        first.total_capped,
        first.approximate,
        previous_after=rows[0].filing_id if newer and rows else None,
    )


def _estimate(rows: list[PublicListing], size: int, algorithm_type: str, province: str, before: int | None) -> int:
    """Matches on the id span of the first page, scaled to the whole id span of the candidates."""
    candidates = _candidates(algorithm_type, province, before)
    lowest = candidates.order_by("filing_id").values_list("filing_id", flat=True).first() or rows[-1].filing_id
    span = max(1, rows[0].filing_id - rows[-1].filing_id + 1)
    whole = max(span, rows[0].filing_id - lowest + 1)
    return int(round(len(rows) * whole / span, -1 if whole / span < 1000 else -2))


def _attach_filings(rows: list[PublicListing]) -> None:
    """The page's filings (for the re-assessment mark) in one query, not joined into the search."""
    filings = Filing.objects.in_bulk([row.filing_id for row in rows])
    for row in rows:
        row.filing = filings[row.filing_id]


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
