"""The public registry (no login): search, one published filing, number verification with a QR code."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import segno
from django.contrib.syndication.views import Feed
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.exports import csv_response, xlsx_response
from accounts.reference import PROVINCE_CODES, PROVINCES, province_name
from accounts.services.ratelimit import rate_limited
from filings import public
from filings.forms import ObjectionForm
from filings.models import BatchEntry, BatchStatus, CancellationNotice, PublicationBatch, PublicListing, PublicSeries
from filings.services.objections import objection_submit
from filings.workflow import AlgorithmType


def province_choices() -> list[tuple[str, str]]:
    return [(code, province_name(code)) for code, _zh, _en in PROVINCES]


@require_GET
@rate_limited("public_search")
def registry_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    algorithm_type = request.GET.get("algorithm_type", "")
    province = request.GET.get("province", "")
    algorithm_type = algorithm_type if algorithm_type in AlgorithmType.values else ""
    province = province if province in PROVINCE_CODES else ""
    page = public.search_page(
        q=q,
        algorithm_type=algorithm_type,
        province=province,
        before=request.GET.get("before", ""),
        after=request.GET.get("after", ""),
    )
    context = {
        "page": page,
        "q": q,
        "algorithm_type": algorithm_type,
        "province": province,
        "types": AlgorithmType.choices,
        "provinces": province_choices(),
    }
    return render(request, "public/registry.html", context)


@require_GET
def public_filing_view(request: HttpRequest, number: str) -> HttpResponse:
    listing = public.public_listing_get(number=number)
    verification = public.verify(listing.filing_number)
    context = {"listing": listing, "verification": verification, "form": ObjectionForm()}
    return render(request, "public/filing.html", context)


@require_POST
@rate_limited("objection")
def objection_view(request: HttpRequest, number: str) -> HttpResponse:
    """An objection to a published filing: it goes to the responsible office's review queue."""
    listing = public.public_listing_get(number=number)
    form = ObjectionForm(request.POST)
    if form.is_valid():
        try:
            objection = objection_submit(
                filing_id=listing.filing_id,
                text=form.cleaned_data["text"],
                contact=form.cleaned_data["contact"],
                name=form.cleaned_data["name"],
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return render(request, "public/objection_received.html", {"listing": listing, "objection": objection})
    verification = public.verify(listing.filing_number)
    context = {"listing": listing, "verification": verification, "form": form}
    return render(request, "public/filing.html", context, status=400)


@require_GET
@rate_limited("public_verify")
def verify_view(request: HttpRequest, number: str = "") -> HttpResponse:
    typed = request.GET.get("number", "")
    if typed and not number:
        return redirect("public:verify_number", number=public.normalize_number(typed))
    if not number:
        return render(request, "public/verify.html", {})
    normalized = public.normalize_number(number)
    if not public.looks_like_a_number(normalized):
        return render(request, "public/verify.html", {"number": number, "malformed": True}, status=400)
    result = public.verify(normalized)
    return render(
        request, "public/verify.html", {"number": normalized, "result": result}, status=200 if result.known else 404
    )


@require_GET
def verify_qr_view(request: HttpRequest, number: str) -> HttpResponse:
    """A QR code (SVG) leading to the number's verification page, for the public filing page."""
    if not public.looks_like_a_number(number):
        raise Http404
    target = request.build_absolute_uri(reverse("public:verify_number", args=[number]))
    buffer = io.BytesIO()
    segno.make(target, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


# --- announcements: published batches and cancellation notices ----------------------------------


def _batch_columns(series: str) -> list[tuple[str, str]]:
    second = ("category", _("Category")) if series == PublicSeries.ALGORITHM else ("role", _("Role"))
    return [
        ("seq", _("No.")),
        ("name", _("Algorithm name")),
        second,
        ("organization", _("Organisation")),
        ("products", _("Products")),
        ("purpose", _("Main purpose")),
        ("filing_number", _("Filing number")),
        ("remarks", _("Remarks")),
    ]


NOTICE_COLUMNS = [
    ("seq", gettext_lazy("No.")),
    ("name", gettext_lazy("Algorithm name")),
    ("role", gettext_lazy("Role")),
    ("organization", gettext_lazy("Organisation")),
    ("products", gettext_lazy("Products")),
    ("purpose", gettext_lazy("Main purpose")),
    ("filing_number", gettext_lazy("Filing number")),
    ("cancelled_month", gettext_lazy("Cancelled in")),
]


def _table(entries: Iterable[Any], columns: list[tuple[str, Any]], *, current_remarks: bool = False) -> list[list[Any]]:
    """The rows as published; a batch's remarks are today's (CAC keeps its lists up to date: a later
    change or cancellation shows in 备注, e.g. 已注销), the other columns stay as they were published."""
    entries = list(entries)
    remarks: dict[int, str] = {}
    if current_remarks:
        listings = PublicListing.objects.filter(filing_id__in=[entry.filing_id for entry in entries])
        remarks = dict(listings.values_list("filing_id", "remarks"))
    rows = []
    for entry in entries:
        values = {
            **entry.row,
            "seq": entry.seq if entry.seq is not None else "",
            "cancelled_month": getattr(entry, "cancelled_month", ""),
        }
        if entry.filing_id in remarks:
            values["remarks"] = remarks[entry.filing_id]
        rows.append([values.get(key, "") for key, _label in columns])
    return rows


@require_GET
def announcements_view(request: HttpRequest) -> HttpResponse:
    batches = PublicationBatch.objects.filter(status=BatchStatus.PUBLISHED).order_by("-published_at", "-id")
    notices = CancellationNotice.objects.filter(status=BatchStatus.PUBLISHED).order_by("-notice_date", "-id")
    counts = dict(
        BatchEntry.objects.filter(batch__status=BatchStatus.PUBLISHED)
        .values_list("batch_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return render(
        request, "public/announcements.html", {"batches": list(batches), "notices": list(notices), "counts": counts}
    )


def _published_batch(batch_id: int) -> PublicationBatch:
    return get_object_or_404(PublicationBatch, id=batch_id, status=BatchStatus.PUBLISHED)


def _published_notice(notice_id: int) -> CancellationNotice:
    return get_object_or_404(CancellationNotice, id=notice_id, status=BatchStatus.PUBLISHED)


@require_GET
def batch_view(request: HttpRequest, batch_id: int, fmt: str = "") -> HttpResponseBase:
    batch = _published_batch(batch_id)
    columns = _batch_columns(batch.series)
    entries = batch.entries.order_by(F("seq").asc(nulls_last=True), "id")
    rows = _table(entries, columns, current_remarks=True)
    return _announce(request, fmt, batch.title, columns, rows, {"batch": batch})


@require_GET
def notice_view(request: HttpRequest, notice_id: int, fmt: str = "") -> HttpResponseBase:
    notice = _published_notice(notice_id)
    entries = notice.entries.order_by(F("seq").asc(nulls_last=True), "id")
    return _announce(request, fmt, notice.title, NOTICE_COLUMNS, _table(entries, NOTICE_COLUMNS), {"notice": notice})


def _announce(
    request: HttpRequest,
    fmt: str,
    title: str,
    columns: list[tuple[str, Any]],
    rows: list[list[Any]],
    extra: dict[str, Any],
) -> HttpResponseBase:
    header = [str(label) for _key, label in columns]
    if fmt == "csv":
        return csv_response(f"{title}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{title}.xlsx", header, rows, sheet="公示")
    if fmt == "json":
        keys = [key for key, _label in columns]
        return JsonResponse({"title": title, "rows": [dict(zip(keys, row, strict=True)) for row in rows]})
    if fmt:
        raise Http404
    return render(request, "public/announcement.html", {"title": title, "header": header, "rows": rows, **extra})


class AnnouncementsFeed(Feed):
    """Atom feed of published batches and cancellation notices, newest first."""

    feed_type = Atom1Feed
    title = gettext_lazy("Algorithm filing announcements")
    subtitle = gettext_lazy("Published batches of filed algorithms and cancellation notices")
    link = "/registry/batches/"

    def items(self) -> list[Any]:
        batches = list(PublicationBatch.objects.filter(status=BatchStatus.PUBLISHED).order_by("-published_at")[:30])
        notices = list(CancellationNotice.objects.filter(status=BatchStatus.PUBLISHED).order_by("-published_at")[:30])
        items: list[Any] = [*batches, *notices]
        return sorted(items, key=lambda item: item.published_at, reverse=True)[:30]

    def item_title(self, item: Any) -> str:
        return str(item.title)

    def item_description(self, item: Any) -> str:
        return str(item.title)

    def item_link(self, item: Any) -> str:
        if isinstance(item, PublicationBatch):
            return reverse("public:batch", args=[item.pk])
        return reverse("public:notice", args=[item.pk])

    def item_pubdate(self, item: Any) -> Any:
        return item.published_at

    def item_updateddate(self, item: Any) -> Any:
        return item.published_at
