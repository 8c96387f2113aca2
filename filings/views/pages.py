"""Filing pages outside the wizard: the list, one filing, changes, cancellation, versions, documents."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.errors import ApplicationError, ValidationFailed
from accounts.models import AuditEvent, User
from accounts.views.access import provider_required
from accounts.views.files import stored_file_response
from filings.fields import item_label
from filings.forms import CancellationForm, ChangeOpenForm
from filings.models import Filing, FilingVersion
from filings.selectors import (
    FilingFilters,
    current_attachments,
    filing_attachment_get_visible,
    filing_get_visible,
    filing_list_visible,
    filing_version_get,
)
from filings.services.changes import filing_cancel_request, filing_change_open
from filings.services.common import open_version
from filings.services.submission import filing_withdraw
from filings.versions import diff
from filings.views.presenters import describe, display_rows
from filings.workflow import FILED_STATUSES, OPEN_CANCELLATION_STATUSES, OPEN_REASSESSMENT_STATUSES

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@login_required
def filing_list_view(request: HttpRequest) -> HttpResponse:
    """The filings the user may see, newest first, with deadlines and the next step (keyset pages)."""
    filters = FilingFilters.from_query(request.GET)
    qs = filters.apply(filing_list_visible(user=request.user)).order_by("-id")
    overdue_only = filters.reassessment == "overdue"
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    filings = list(qs[: PAGE_SIZE + 1])
    more = len(filings) > PAGE_SIZE
    filings = filings[:PAGE_SIZE]
    context = {
        "filings": filings,
        "next_before": filings[-1].pk if more else None,
        "overdue_only": overdue_only,
        "filters": filters,
        "filter_query": filters.query(),
        "filter_words": filters.describe(),  # a list reached from the dashboard says what it shows
    }
    return render(request, "filings/list.html", context)


def _pending(filing: Filing) -> dict[str, Any]:
    version = open_version(filing)
    cancellation = filing.cancellations.filter(status__in=OPEN_CANCELLATION_STATUSES).first()
    reassessment = filing.reassessments.filter(status__in=OPEN_REASSESSMENT_STATUSES).first()
    return {"open_version": version, "open_cancellation": cancellation, "open_reassessment": reassessment}


@login_required
def filing_detail_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    user = _user(request)
    filing = filing_get_visible(user=user, filing_id=filing_id)
    versions = list(filing.versions.order_by("-number"))
    shown = next((v for v in versions if v.status == "approved"), versions[0])
    is_member = user.organization_id == filing.organization_id
    context = {
        "filing": filing,
        "versions": versions,
        "shown": shown,
        "sections": display_rows(shown.data),
        "attachments": current_attachments(filing),
        "history": AuditEvent.objects.filter(subject_type="filing", subject_id=filing.pk).order_by("-id")[:50],
        "cancellations": filing.cancellations.order_by("-id"),
        "is_member": is_member,
        "return_items": describe({k: [v] for k, v in filing.return_item_reasons.items()}),
        "filed": filing.status in FILED_STATUSES,
        **_pending(filing),
    }
    return render(request, "filings/detail.html", context)


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


@provider_required
def filing_change_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    form = ChangeOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            filing_change_open(
                filing_id=filing.pk,
                actor=_user(request),
                change_date=_date(form.cleaned_data["change_date"]),
                summary=form.cleaned_data["summary"],
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("filings:step", filing_id=filing.pk, step="basic")
    return render(request, "filings/change.html", {"filing": filing, "form": form}, status=400 if form.errors else 200)


@provider_required
def filing_cancel_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    initial = {"termination_date": filing.service_end_date.isoformat()} if filing.service_end_date else None
    form = CancellationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            filing_cancel_request(
                filing_id=filing.pk,
                actor=_user(request),
                termination_date=_date(form.cleaned_data["termination_date"]),
                arrangements=form.cleaned_data["arrangements"],
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("filings:detail", filing_id=filing.pk)
    return render(request, "filings/cancel.html", {"filing": filing, "form": form}, status=400 if form.errors else 200)


@provider_required
@require_POST
def filing_withdraw_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    try:
        filing_withdraw(filing_id=filing.pk, actor=_user(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("filings:detail", filing_id=filing.pk)


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


@login_required
def filing_diff_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    versions: list[FilingVersion] = list(filing.versions.order_by("number"))
    latest = versions[-1].number
    to_number = _number(request.GET.get("to"), latest)
    from_number = _number(request.GET.get("from"), max(1, to_number - 1))
    before, after = filing_version_get(filing, from_number), filing_version_get(filing, to_number)
    changes = [{**change, "label": item_label(change["field"])} for change in diff(before.data, after.data)]
    context = {"filing": filing, "versions": versions, "before": before, "after": after, "changes": changes}
    return render(request, "filings/diff.html", context)


@login_required
def filing_document_view(request: HttpRequest, filing_id: int, attachment_id: int) -> FileResponse:
    attachment = filing_attachment_get_visible(user=request.user, filing_id=filing_id, attachment_id=attachment_id)
    return stored_file_response(attachment)
