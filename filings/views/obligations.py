"""What a provider owes on a filed algorithm besides changes: re-assessments and the end of service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.errors import ApplicationError, ValidationFailed
from accounts.views.access import provider_required
from filings.forms import ReassessmentForm, ServiceEndForm
from filings.selectors import filing_get_visible
from filings.services.changes import filing_service_end_report
from filings.services.reassessments import reassessment_submit
from filings.views.pages import _date, _user
from filings.workflow import AWAITING_PROVIDER_REASSESSMENT, OPEN_REASSESSMENT_STATUSES


@provider_required
def filing_reassessment_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    """The open re-assessment case with its upload form, and the earlier cases."""
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    cases = list(filing.reassessments.select_related("report").order_by("-id"))
    case = next((c for c in cases if c.status in OPEN_REASSESSMENT_STATUSES), None)
    form = ReassessmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and case is not None and form.is_valid():
        try:
            reassessment_submit(
                reassessment_id=case.pk,
                actor=_user(request),
                report=form.cleaned_data["report"],
                statement=form.cleaned_data["statement"],
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The re-assessment was submitted for review."))
            return redirect("filings:detail", filing_id=filing.pk)
    context = {
        "filing": filing,
        "case": case,
        "awaiting": case is not None and case.status in AWAITING_PROVIDER_REASSESSMENT,
        "cases": cases,
        "form": form,
    }
    return render(request, "filings/reassessment.html", context, status=400 if form.errors else 200)


@provider_required
def filing_service_end_view(request: HttpRequest, filing_id: int) -> HttpResponse:
    filing = filing_get_visible(user=request.user, filing_id=filing_id)
    initial = {"end_date": filing.service_end_date.isoformat()} if filing.service_end_date else None
    form = ServiceEndForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            filing_service_end_report(
                filing_id=filing.pk, actor=_user(request), end_date=_date(form.cleaned_data["end_date"])
            )
        except ValidationFailed as exc:
            form.apply_service_errors(exc)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("filings:detail", filing_id=filing.pk)
    return render(
        request, "filings/service_end.html", {"filing": filing, "form": form}, status=400 if form.errors else 200
    )
