"""Publication (公示) for supervisors of the central office: assemble a batch, review it, publish it;
announce cancelled numbers in a notice. Every supervisor may look; only central ones act."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError
from accounts.roles import is_central_supervisor
from accounts.views.access import supervisor_or_404
from filings.models import BatchStatus, CancellationNotice, PublicationBatch, PublicSeries
from filings.services import batches as service

RECENT = 20


@dataclass(frozen=True)
class Draft:
    """What the draft pages of batches and notices differ in: their services, pages and wording."""

    add: Callable[..., int]
    remove: Callable[..., None]
    publish: Callable[..., Any]
    draft_page: str
    published_page: str
    added: Promise  # the message after "add all", with %(n)s


DRAFTS = {
    "batch": Draft(
        add=lambda draft_id, actor: service.batch_add(batch_id=draft_id, actor=actor),
        remove=lambda draft_id, actor, filing_id: service.batch_remove(
            batch_id=draft_id, actor=actor, filing_id=filing_id
        ),
        publish=lambda draft_id, actor: service.batch_publish(batch_id=draft_id, actor=actor),
        draft_page="supervision:batch_draft",
        published_page="public:batch",
        added=gettext_lazy("%(n)s filings added."),
    ),
    "notice": Draft(
        add=lambda draft_id, actor: service.notice_add(notice_id=draft_id, actor=actor),
        remove=lambda draft_id, actor, filing_id: service.notice_remove(
            notice_id=draft_id, actor=actor, filing_id=filing_id
        ),
        publish=lambda draft_id, actor: service.notice_publish(notice_id=draft_id, actor=actor),
        draft_page="supervision:notice_draft",
        published_page="public:notice",
        added=gettext_lazy("%(n)s cancelled numbers added."),
    ),
}


def publication_view(request: HttpRequest) -> HttpResponse:
    user = supervisor_or_404(request)
    drafts = {b.series: b for b in PublicationBatch.objects.filter(status=BatchStatus.DRAFT)}
    lists = [
        {
            "series": series,
            "label": label,
            "draft": drafts.get(series),
            "eligible": service.eligible_filings(series).count(),
        }
        for series, label in PublicSeries.choices
    ]
    context = {
        "lists": lists,
        "recent": PublicationBatch.objects.filter(status=BatchStatus.PUBLISHED).order_by("-published_at", "-id")[
            :RECENT
        ],
        "unannounced": service.cancelled_unannounced(),
        "notices": CancellationNotice.objects.filter(status=BatchStatus.PUBLISHED).order_by("-notice_date")[:RECENT],
        "notice_draft": CancellationNotice.objects.filter(status=BatchStatus.DRAFT).first(),
        "may_act": is_central_supervisor(user),
    }
    return render(request, "supervision/publication.html", context)


def batch_draft_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = supervisor_or_404(request)
    batch = get_object_or_404(PublicationBatch, id=batch_id)
    if batch.status != BatchStatus.DRAFT:
        return redirect("public:batch", batch_id=batch.pk)
    entries = batch.entries.select_related("filing__organization").order_by("filing__approved_at", "filing_id")
    context = {
        "batch": batch,
        "entries": list(entries),
        "eligible": service.eligible_filings(batch.series).count(),
        "may_act": is_central_supervisor(user),
    }
    return render(request, "supervision/batch_draft.html", context)


def _draft_action(request: HttpRequest, kind: str, draft_id: int, action: str) -> HttpResponse:
    """Add what waits, take a row out, or publish the reviewed draft (a batch or a notice)."""
    if action not in ("add_all", "remove", "publish"):
        raise Http404
    draft, user = DRAFTS[kind], supervisor_or_404(request)
    try:
        if action == "add_all":
            messages.success(request, str(draft.added) % {"n": draft.add(draft_id, user)})
        elif action == "remove":
            filing = request.POST.get("filing", "")
            if not filing.isdigit():
                raise Http404
            draft.remove(draft_id, user, int(filing))
        elif request.POST.get("reviewed") != "yes":
            messages.error(request, _("Confirm that you have reviewed every row before publishing."))
        else:
            published = draft.publish(draft_id, user)
            messages.success(request, _("Published: %(title)s") % {"title": published.title})
            return redirect(draft.published_page, published.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect(draft.draft_page, draft_id)


@require_POST
def batch_open_view(request: HttpRequest) -> HttpResponse:
    user = supervisor_or_404(request)
    try:
        batch = service.batch_open(actor=user, series=request.POST.get("series", ""))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:publication")
    return redirect("supervision:batch_draft", batch_id=batch.pk)


@require_POST
def batch_action_view(request: HttpRequest, batch_id: int, action: str) -> HttpResponse:
    return _draft_action(request, "batch", batch_id, action)


@require_POST
def notice_open_view(request: HttpRequest) -> HttpResponse:
    user = supervisor_or_404(request)
    try:
        notice = service.notice_assemble(actor=user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:publication")
    return redirect("supervision:notice_draft", notice_id=notice.pk)


def notice_draft_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = supervisor_or_404(request)
    notice = get_object_or_404(CancellationNotice, id=notice_id)
    if notice.status != BatchStatus.DRAFT:
        return redirect("public:notice", notice_id=notice.pk)
    entries = notice.entries.select_related("filing__organization").order_by("filing__ended_at", "filing_id")
    context = {
        "notice": notice,
        "entries": list(entries),
        "waiting": service.cancelled_unannounced_count(),
        "may_act": is_central_supervisor(user),
    }
    return render(request, "supervision/notice_draft.html", context)


@require_POST
def notice_action_view(request: HttpRequest, notice_id: int, action: str) -> HttpResponse:
    return _draft_action(request, "notice", notice_id, action)
