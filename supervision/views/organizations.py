"""The regulators' list of organisations: scoped to the office's province (or the country), filtered
in SQL, newest first with keyset pages; the supervision overview's numbers lead here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Organization, RegulatorOffice
from accounts.selectors import OrganizationFilters, organization_list_visible, user_scope
from accounts.workflow import OrganizationStatus
from filings.models import Filing

PAGE_SIZE = 50


@login_required
def organization_list_view(request: HttpRequest) -> HttpResponse:
    if not user_scope(request.user).is_regulator:
        raise Http404
    filters = OrganizationFilters.from_query(request.GET)
    qs = filters.apply(organization_list_visible(user=request.user)).order_by("-id")
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows: list[Organization] = list(qs[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    # The page's filing counts in one grouped query (the index on filings' organisation serves it).
    counts = dict(
        Filing.objects.filter(organization__in=rows).values_list("organization").annotate(n=Count("*")).order_by()
    )
    context = {
        "organizations": rows,
        "filing_counts": counts,
        "next_before": rows[-1].pk if more else None,
        "filters": filters,
        "filter_query": filters.query(),
        "filter_words": filters.describe(),
        "statuses": OrganizationStatus.choices,
        "offices": RegulatorOffice.objects.filter(is_central=False).order_by("code"),
    }
    return render(request, "supervision/organizations.html", context)
