"""Drafting a filing: creating it, saving steps (even invalid input, on the web), documents."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.errors import ActionForbidden, Conflict, StaleVersion, ValidationFailed
from accounts.models import Organization, User
from accounts.services.files import discard_file, inspect_upload, store_file
from filings.fields import clean_fields
from filings.models import Filing, FilingAttachment, FilingVersion, FilingVersionPurpose
from filings.services.common import FILE_PERMISSION, audit, check_provider, lock_filing, normalize_name, open_version
from filings.workdays import WorkCalendar
from filings.workflow import DRAFT_ATTACHMENT_KINDS, AttachmentKind, FilingKind, VersionStatus

FILING_WORKING_DAYS = 10  # Art. 24 ¶1: within 10 working days of providing the service

# The self-assessment report is a PDF (the filing system's template); other documents may be scans.
PDF_ONLY = frozenset({AttachmentKind.SELF_ASSESSMENT_REPORT})


@dataclass(frozen=True)
class SaveResult:
    filing: Filing
    version: FilingVersion
    errors: dict[str, list[str]]


def sync_summary(filing: Filing, data: Mapping[str, Any]) -> None:
    """Copy the list fields (name, type, role, launch date) from a version's valid values."""
    filing.name = str(data.get("name") or "")[:200]
    filing.name_normalized = normalize_name(filing.name)
    filing.algorithm_type = data.get("algorithm_type") or ""
    filtering = data.get("filtering")
    filing.filtering = {"yes": True, "no": False}.get(str(filtering)) if filing.algorithm_type else None
    filing.role = data.get("role") or ""
    try:
        launch = datetime.date.fromisoformat(str(data.get("launch_date") or ""))
    except ValueError:
        launch = None
    if launch != filing.launch_date or (launch and not filing.filing_due):
        filing.launch_date = launch
        # Shown while drafting: the filing is due 10 working days after the launch.
        due = WorkCalendar.load().add(launch, FILING_WORKING_DAYS) if launch else None
        filing.filing_due = due.value if due else None
        filing.filing_due_provisional = bool(due and due.provisional)
        filing.deadline_provisional = filing.filing_due_provisional or filing.decision_due_provisional


def filing_create(
    *, actor: User, data: Mapping[str, Any], kind: str = FilingKind.ALGORITHM, strict: bool = True
) -> SaveResult:
    """Start a draft for the actor's organisation. ``strict`` refuses invalid values (the API)."""
    if kind not in FilingKind.values:
        raise ValidationFailed({"kind": [_("“%(value)s” is not one of the available choices.") % {"value": kind}]})
    organization = Organization.objects.filter(id=actor.organization_id).first()
    if organization is None or not actor.has_perm(FILE_PERMISSION, organization):
        raise ActionForbidden(_("Only members of a registered organisation may file algorithms."))
    values, errors = clean_fields(data)
    if strict and errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        filing = Filing(
            organization=organization, province_code=organization.province_code, kind=kind, created_by=actor
        )
        sync_summary(filing, {k: v for k, v in values.items() if k not in errors})
        filing.save()
        version = FilingVersion.objects.create(
            filing=filing, number=1, purpose=FilingVersionPurpose.INITIAL, data=values, created_by=actor
        )
        audit(filing, "filing.created", actor, payload={"kind": kind})
    return SaveResult(filing, version, errors)


def filing_save(
    *,
    filing_id: int,
    actor: User,
    data: Mapping[str, Any],
    expected_version: int | None = None,
    strict: bool = True,
) -> SaveResult:
    """Merge the given fields into the editable version.

    On the web (``strict=False``) invalid input is saved as typed and reported, so nothing typed is
    lost; the API refuses it. A stale ``expected_version`` is a conflict and nothing is written.
    """
    values, errors = clean_fields(data)
    if strict and errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        version = open_version(filing)
        if version is None or version.status != VersionStatus.DRAFT:
            raise Conflict(_("This filing has no draft to edit; file a change to amend a filed algorithm."))
        if expected_version is not None and expected_version != filing.version:
            raise StaleVersion(
                _(
                    "This filing was saved elsewhere (another tab or client) since you opened it. "
                    "Reload it; your input here was not saved."
                )
            )
        version.data = {**version.data, **values}
        version.save(update_fields=["data"])
        if version.purpose == FilingVersionPurpose.INITIAL:
            valid = {k: v for k, v in version.data.items() if k not in _invalid_keys(version.data)}
            sync_summary(filing, valid)
        filing.version += 1
        filing.save()
    return SaveResult(filing, version, errors)


def _invalid_keys(data: Mapping[str, Any]) -> set[str]:
    _values, errors = clean_fields(data)
    return {key.split(".", 1)[0] for key in errors}


def filing_attachment_add(*, filing_id: int, actor: User, kind: str, upload: Any) -> FilingAttachment:
    """Store a document of the draft, checked by content; a rejected file leaves nothing behind."""
    if kind not in DRAFT_ATTACHMENT_KINDS:
        raise ValidationFailed({"kind": [_("Choose the kind of document.")]})
    inspected = inspect_upload(upload)
    if kind in PDF_ONLY and inspected.content_type != "application/pdf":
        raise ValidationFailed({"file": [_("The self-assessment report must be a PDF file.")]})
    with transaction.atomic():
        filing = lock_filing(filing_id)
        check_provider(filing, actor)
        version = open_version(filing)
        if version is None or version.status != VersionStatus.DRAFT:
            raise Conflict(_("Documents can be added only to a draft."))
        attachment = store_file(FilingAttachment(filing=filing, kind=kind, uploaded_by=actor), inspected)
        try:
            filing.version += 1
            filing.save()
            audit(filing, "filing.attachment_added", actor, payload={"kind": kind, "sha256": inspected.sha256})
        except Exception:
            discard_file(attachment)
            raise
    return attachment


def current_attachments(filing: Filing) -> dict[str, FilingAttachment]:
    """The latest document of each kind (earlier ones stay, referenced by older versions).

    Re-assessment reports belong to their case and are not part of the filed content.
    """
    latest: QuerySet[FilingAttachment] = (
        FilingAttachment.objects.filter(filing=filing)
        .exclude(kind=AttachmentKind.REASSESSMENT_REPORT)
        .order_by("kind", "-id")
        .distinct("kind")
    )
    return {attachment.kind: attachment for attachment in latest}
