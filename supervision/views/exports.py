"""Export a list the user is looking at (filings, review tasks) to CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language

from accounts.exports import csv_response, xlsx_response
from accounts.models import User
from supervision import exports
from supervision.models import Job, JobKind, JobStatus
from supervision.services.jobs import job_start


@login_required
def export_view(request: HttpRequest, name: str, fmt: str) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    if name not in exports.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    qs = exports.export_queryset(name, user, request.GET)  # scoped to what the user may see
    count = qs[: exports.SYNC_LIMIT + 1].count()
    if count > exports.SYNC_LIMIT:
        params = {"list": name, "format": fmt, "query": request.GET.urlencode(), "user_id": user.pk}
        job = job_start(kind=JobKind.EXPORT, params={**params, "language": get_language()}, actor=user)
        return redirect("supervision:job", job_id=job.pk)
    exports.audit_export(user, name, fmt, request.GET, count)
    rows = exports.iter_rows(name, qs)  # streamed, in chunks: the count above already says how many
    header = [str(h) for h in exports.EXPORTS[name].header]
    filename = f"{name}-{user.get_username()}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, rows)
    return xlsx_response(filename, header, rows, sheet=name)


@login_required
def export_download_view(request: HttpRequest, job_id: int) -> FileResponse:
    """The file of a finished export job, for the user who asked for it only."""
    job = get_object_or_404(Job, id=job_id, kind=JobKind.EXPORT, created_by=request.user, status=JobStatus.SUCCEEDED)
    path = exports.export_path(job.pk, job.params["format"])
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=f"{job.params['list']}-{job.pk}.{job.params['format']}"
    )
