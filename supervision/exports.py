"""Exports of the lists (filings, review tasks, organisations) to CSV and XLSX: only what the user may see.

Small exports stream straight to the browser. Larger ones run as a job (a file written in chunks, with
a progress bar) and are downloaded by the user who asked, once ready. Every export is audited.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from accounts.exports import BOM, safe_cell
from accounts.models import Organization, User
from accounts.selectors import OrganizationFilters, organization_list_visible, user_scope
from accounts.services.audit import audit_record
from filings.models import Filing
from filings.selectors import FilingFilters, filing_list_visible
from supervision.filters import queue_filters
from supervision.models import ReviewTask
from supervision.selectors import task_queue

SYNC_LIMIT = 10_000  # more rows than this become a background job with a progress bar
CHUNK = 2_000


@dataclass(frozen=True)
class ExportSpec:
    header: tuple[Any, ...]
    rows: Callable[[User, QueryDict], QuerySet[Any]]
    row: Callable[[Any], list[Any]]


def _filings(user: User, params: QueryDict) -> QuerySet[Filing]:
    return FilingFilters.from_query(params).apply(filing_list_visible(user=user)).order_by("-id")


def _filing_row(f: Filing) -> list[Any]:
    return [
        f.pk,
        f.name,
        f.get_algorithm_type_display() if f.algorithm_type else "",
        f.organization.name,
        f.province_code,
        f.tier or "",
        f.get_status_display(),
        f.filing_number or "",
        timezone.localtime(f.submitted_at).date().isoformat() if f.submitted_at else "",
        f.decision_due.isoformat() if f.decision_due else "",
    ]


def _tasks(user: User, params: QueryDict) -> QuerySet[ReviewTask]:
    _tab, filters = queue_filters(params)
    return task_queue(user=user, filters=filters)


def _task_row(t: ReviewTask) -> list[Any]:
    return [
        t.pk,
        t.get_subject_type_display(),
        t.filing.name if t.filing else t.organization.name,
        t.office.code,
        t.get_stage_display(),
        t.tier or "",
        t.get_status_display(),
        t.assignee.get_username() if t.assignee else "",
        t.due.isoformat(),
        t.decision_due.isoformat(),
    ]


def _organizations(user: User, params: QueryDict) -> QuerySet[Organization]:
    if not user_scope(user).is_regulator:
        raise Http404  # providers see their own organisation on its page; there is no list for them
    return OrganizationFilters.from_query(params).apply(organization_list_visible(user=user)).order_by("-id")


def _organization_row(o: Organization) -> list[Any]:
    return [
        o.pk,
        o.name,
        o.entity_id or "",
        o.uscc,
        o.office.code if o.office else "",
        o.get_status_display(),
        _("yes") if o.imported else _("no"),
        timezone.localtime(o.approved_at).date().isoformat() if o.approved_at else "",
    ]


EXPORTS: dict[str, ExportSpec] = {
    "filings": ExportSpec(
        header=(
            _("ID"),
            _("Algorithm name"),
            _("Algorithm type"),
            _("Organisation"),
            _("Province"),
            _("Tier"),
            _("Status"),
            _("Filing number"),
            _("Submitted"),
            _("Decision due"),
        ),
        rows=_filings,
        row=_filing_row,
    ),
    "tasks": ExportSpec(
        header=(
            _("ID"),
            _("Subject"),
            _("Name"),
            _("Office"),
            _("Stage"),
            _("Tier"),
            _("Status"),
            _("Assignee"),
            _("Stage due"),
            _("Decision due"),
        ),
        rows=_tasks,
        row=_task_row,
    ),
    "organizations": ExportSpec(
        header=(
            _("ID"),
            _("Organisation"),
            _("Entity ID"),
            _("Unified social credit code"),
            _("Office"),
            _("Status"),
            _("Imported from CAC's lists"),
            _("Approved"),
        ),
        rows=_organizations,
        row=_organization_row,
    ),
}


def export_queryset(name: str, user: User, params: QueryDict) -> QuerySet[Any]:
    return EXPORTS[name].rows(user, params)


def iter_rows(name: str, qs: QuerySet[Any]) -> Iterator[list[Any]]:
    spec = EXPORTS[name]
    for item in qs.iterator(chunk_size=CHUNK):
        yield spec.row(item)


def audit_export(user: User, name: str, fmt: str, params: QueryDict, rows: int) -> None:
    audit_record(
        action="export.downloaded",
        subject_type="export",
        subject_id=0,
        actor=user,
        payload={"list": name, "format": fmt, "filters": params.urlencode()[:500], "rows": rows},
    )


def export_path(job_id: int, fmt: str) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "exports" / f"job-{job_id}.{fmt}"


def export_job(params: dict[str, Any], progress: Any) -> dict[str, Any]:
    """The job behind a large export: writes the file in chunks, reporting progress."""
    user = User.objects.get(id=params["user_id"])
    query = QueryDict(params["query"])
    name, fmt = params["list"], params["format"]
    qs = export_queryset(name, user, query)
    total = qs.count()
    progress(done=0, total=total)
    path = export_path(params["job_id"], fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    with override(params.get("language") or settings.LANGUAGE_CODE):
        header = [str(h) for h in EXPORTS[name].header]
        written = _write(path, fmt, header, iter_rows(name, qs), progress)
    audit_export(user, name, fmt, query, written)
    return {"rows": written, "file": path.name, "finished": timezone.now().isoformat()}


def _write(path: Path, fmt: str, header: list[str], rows: Iterator[list[Any]], progress: Any) -> int:
    count = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(BOM)
            writer = csv.writer(handle)
            writer.writerow([safe_cell(h) for h in header])
            for row in rows:
                writer.writerow([safe_cell(cell) for cell in row])
                count += 1
                if count % CHUNK == 0:
                    progress(done=count)
        return count
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(str(path), options)
    sheet = workbook.add_worksheet("export")
    for column, title in enumerate(header):
        sheet.write_string(0, column, title)
    for row in rows:
        count += 1
        for column, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(count, column, value)
            else:
                sheet.write_string(count, column, "" if value is None else str(value))
        if count % CHUNK == 0:
            progress(done=count)
    workbook.close()
    return count
