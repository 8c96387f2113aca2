"""The public registry (no login): search, one published filing, number verification with a QR code."""

from __future__ import annotations

import io

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from accounts.reference import PROVINCES
from accounts.services.ratelimit import rate_limited
from filings import public
from filings.workflow import AlgorithmType


def province_choices() -> list[tuple[str, str]]:
    chinese = (get_language() or "").startswith("zh")
    return [(code, zh if chinese else en) for code, zh, en in PROVINCES]


@require_GET
@rate_limited("public_search")
def registry_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:100]
    algorithm_type = request.GET.get("algorithm_type", "")
    province = request.GET.get("province", "")
    before = request.GET.get("before", "")
    page = public.public_search(
        q=q,
        algorithm_type=algorithm_type if algorithm_type in AlgorithmType.values else "",
        province=province if province in dict(province_choices()) else "",
        before=int(before) if before.isdigit() else None,
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
    return render(request, "public/filing.html", {"listing": listing, "verification": verification})


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
