"""Publication (公示) for supervisors of the central office: assemble a batch, review it, publish it;
announce cancelled numbers in a notice. Every supervisor may look; only central ones act."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError
from accounts.models import User
from accounts.roles import is_central_supervisor
from accounts.views.access import supervisor_or_404
from filings.models import BatchStatus, CancellationNotice, PublicationBatch, PublicSeries
from filings.services import batches as service

RECENT = 20


def _supervisor(request: HttpRequest) -> User:
    return supervisor_or_404(request)


def _central(user: User) -> bool:
    return is_central_supervisor(user)


def publication_view(request: HttpRequest) -> HttpResponse:
    user = _supervisor(request)
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
        "may_act": _central(user),
    }
    return render(request, "supervision/publication.html", context)


def batch_draft_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = _supervisor(request)
    batch = get_object_or_404(PublicationBatch, id=batch_id)
    if batch.status != BatchStatus.DRAFT:
        return redirect("public:batch", batch_id=batch.pk)
    entries = batch.entries.select_related("filing__organization").order_by("filing__approved_at", "filing_id")
    context = {
        "batch": batch,
        "entries": list(entries),
        "eligible": service.eligible_filings(batch.series).count(),
        "may_act": _central(user),
    }
    return render(request, "supervision/batch_draft.html", context)


def _act(request: HttpRequest, action: str, batch_id: int | None = None) -> HttpResponse:
    user = _supervisor(request)
    try:
        if action == "open":
            batch = service.batch_open(actor=user, series=request.POST.get("series", ""))
            return redirect("supervision:batch_draft", batch_id=batch.pk)
        assert batch_id is not None
        if action == "add_all":
            added = service.batch_add(batch_id=batch_id, actor=user)
            messages.success(request, _("%(n)s filings added.") % {"n": added})
        elif action == "remove":
            filing = request.POST.get("filing", "")
            if not filing.isdigit():
                raise Http404
            service.batch_remove(batch_id=batch_id, actor=user, filing_id=int(filing))
        elif action == "publish":
            if request.POST.get("reviewed") != "yes":
                messages.error(request, _("Confirm that you have reviewed every row before publishing."))
            else:
                batch = service.batch_publish(batch_id=batch_id, actor=user)
                messages.success(request, _("Published: %(title)s") % {"title": batch.title})
                return redirect("public:batch", batch_id=batch.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    if batch_id is None:
        return redirect("supervision:publication")
    return redirect("supervision:batch_draft", batch_id=batch_id)


@require_POST
def batch_open_view(request: HttpRequest) -> HttpResponse:
    return _act(request, "open")


@require_POST
def batch_action_view(request: HttpRequest, batch_id: int, action: str) -> HttpResponse:
    if action not in ("add_all", "remove", "publish"):
        raise Http404
    return _act(request, action, batch_id)


@require_POST
def notice_open_view(request: HttpRequest) -> HttpResponse:
    """Open a draft cancellation notice with every waiting number added, or return to the open draft
    (whose rows stay as the supervisor left them: a number taken out waits for the next notice)."""
    user = _supervisor(request)
    draft = CancellationNotice.objects.filter(status=BatchStatus.DRAFT).first()
    if draft is not None:
        return redirect("supervision:notice_draft", notice_id=draft.pk)
    try:
        notice = service.notice_open(actor=user)
        service.notice_add(notice_id=notice.pk, actor=user)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:publication")
    return redirect("supervision:notice_draft", notice_id=notice.pk)


def notice_draft_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _supervisor(request)
    notice = get_object_or_404(CancellationNotice, id=notice_id)
    if notice.status != BatchStatus.DRAFT:
        return redirect("public:notice", notice_id=notice.pk)
    entries = notice.entries.select_related("filing__organization").order_by("filing__ended_at", "filing_id")
    context = {
        "notice": notice,
        "entries": list(entries),
        "waiting": len(service.cancelled_unannounced()),
        "may_act": _central(user),
    }
    return render(request, "supervision/notice_draft.html", context)


@require_POST
def notice_action_view(request: HttpRequest, notice_id: int, action: str) -> HttpResponse:
    if action not in ("add_all", "remove", "publish"):
        raise Http404
    user = _supervisor(request)
    try:
        if action == "add_all":
            added = service.notice_add(notice_id=notice_id, actor=user)
            messages.success(request, _("%(n)s cancelled numbers added.") % {"n": added})
        elif action == "remove":
            filing = request.POST.get("filing", "")
            if not filing.isdigit():
                raise Http404
            service.notice_remove(notice_id=notice_id, actor=user, filing_id=int(filing))
        elif request.POST.get("reviewed") != "yes":
            messages.error(request, _("Confirm that you have reviewed every row before publishing."))
        else:
            notice = service.notice_publish(notice_id=notice_id, actor=user)
            messages.success(request, _("Published: %(title)s") % {"title": notice.title})
            return redirect("public:notice", notice_id=notice.pk)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("supervision:notice_draft", notice_id=notice_id)
