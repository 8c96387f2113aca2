"""Long jobs for supervisors: the recent runs, starting one, and a progress bar that polls (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.roles import is_central_supervisor
from accounts.views.access import supervisor_or_404
from supervision.models import ACTIVE_JOB_STATUSES, Job, JobKind
from supervision.services.jobs import job_start

RECENT = 50


def _supervisor(request: HttpRequest) -> User:
    return supervisor_or_404(request)


def _central(user: User) -> bool:
    return is_central_supervisor(user)


def job_list_view(request: HttpRequest) -> HttpResponse:
    user = _supervisor(request)
    jobs = list(Job.objects.select_related("created_by").order_by("-id")[:RECENT])
    context = {"jobs": jobs, "kinds": JobKind.choices, "may_start": _central(user)}
    return render(request, "supervision/jobs.html", context)


def job_detail_view(request: HttpRequest, job_id: int) -> HttpResponse:
    """Supervisors see every job; anyone sees the export jobs they asked for."""
    job = get_object_or_404(Job.objects.select_related("created_by"), id=job_id)
    if not (request.user.is_authenticated and job.created_by_id == request.user.pk):
        _supervisor(request)
    template = "supervision/_job_progress.html" if request.headers.get("HX-Request") else "supervision/job.html"
    return render(request, template, {"job": job, "active": job.status in ACTIVE_JOB_STATUSES})


@require_POST
def job_start_view(request: HttpRequest) -> HttpResponse:
    user = _supervisor(request)
    kind = request.POST.get("kind", "")
    if not _central(user):
        raise PermissionDenied(_("Only supervisors of the central office start jobs."))
    if kind not in JobKind.values:
        messages.error(request, _("Choose a job to start."))
        return redirect("supervision:jobs")
    job = job_start(kind=kind, actor=user)
    return redirect("supervision:job", job_id=job.pk)
