"""Write what ``filings.importer`` read: organisations, filings, listings, batches and notices.

Idempotent: everything is keyed (organisations by entity ID, filings by number, batches by list and
number, notices by title and date, entries by batch and filing), new rows are bulk-inserted and
existing imported rows are updated only where a value differs, so a second run writes nothing. A
number already filed through Beian itself is never touched (reported instead).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import Organization, RegulatorOffice, User
from accounts.services.audit import audit_record_many
from filings import numbers
from filings.importer import Catalogue, Record, month_start, published_at, status_of
from filings.models import (
    BatchEntry,
    BatchStatus,
    CancellationNotice,
    CancellationNoticeEntry,
    Filing,
    FilingStatus,
    FilingVersion,
    FilingVersionPurpose,
    PublicationBatch,
    PublicListing,
    PublicState,
    VersionStatus,
)
from filings.services.common import SUBJECT, normalize_name
from filings.versions import content_hash
from filings.workdays import BEIJING

IMPORT_USERNAME = "cac-import"
FILING_FIELDS = ("organization_id", "province_code", "status", "name", "algorithm_type", "filtering", "role")
LISTING_FIELDS = (
    "series",
    "state",
    "name",
    "category",
    "algorithm_type",
    "role",
    "organization_name",
    "products",
    "purpose",
    "province_code",
    "remarks",
    "published_on",
    "changed_on",
)


@dataclass
class ImportResult:
    written: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    @property
    def total_written(self) -> int:
        return sum(self.written.values())


def import_user() -> User:
    user, _created = User.objects.get_or_create(
        username=IMPORT_USERNAME, defaults={"is_active": False, "email": "", "language": "zh-hans"}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_catalogue(catalogue: Catalogue) -> ImportResult:
    result = ImportResult(problems=list(catalogue.problems))
    actor = import_user()
    with transaction.atomic():
        organizations = _organizations(catalogue, actor, result)
        filings = _filings(catalogue, organizations, actor, result)
        _listings(catalogue, filings, result)
        _batches(catalogue, filings, actor, result)
        _notices(catalogue, filings, actor, result)
    return result


def _entity(record: Record) -> tuple[str, str] | None:
    digits = numbers.parse(record.number)
    return (digits[6:13], digits[:6]) if digits else None


def _organizations(catalogue: Catalogue, actor: User, result: ImportResult) -> dict[str, Organization]:
    latest: dict[str, tuple[str, str, str]] = {}  # entity -> (period, name, division)
    for record in catalogue.records.values():
        entity = _entity(record)
        if entity and (entity[0] not in latest or record.last_period >= latest[entity[0]][0]):
            latest[entity[0]] = (record.last_period, record.organization, entity[1])
    existing = {org.entity_id: org for org in Organization.objects.filter(entity_id__in=latest)}
    offices = {office.province_code: office for office in RegulatorOffice.objects.exclude(province_code=None)}
    missing_provinces = sorted({division[:2] for _p, _n, division in latest.values()} - set(offices))
    for code in missing_provinces:
        result.problems.append(f"division codes starting {code}: no provincial office (visible to the central office)")
    new = [
        Organization(
            name=name[:200],
            entity_id=entity,
            registered_division_code=division,
            province_code=division[:2],
            office=offices.get(division[:2]),
            status="approved",
            imported=True,
            entity_type="other",
            created_by=actor,
        )
        for entity, (_period, name, division) in latest.items()
        if entity not in existing
    ]
    Organization.objects.bulk_create(new, batch_size=1000)
    result.written["organisations created"] += len(new)
    renamed = [org for org in existing.values() if org.imported and org.name != latest[str(org.entity_id)][1]]
    written = 0
    for org in renamed:
        org.name = latest[str(org.entity_id)][1]
        # Only while still imported: a provider's approved claim may have taken the entity over meanwhile.
        written += Organization.objects.filter(pk=org.pk, imported=True).update(name=org.name)
    result.written["organisations renamed"] += written
    return {**existing, **{str(org.entity_id): org for org in new}}


def _filing_values(record: Record, organization: Organization) -> dict[str, Any]:
    return {
        "organization_id": organization.pk,
        "province_code": organization.province_code,
        "status": status_of(record),
        "name": record.name[:200],
        "algorithm_type": record.algorithm_type,
        "filtering": record.filtering,
        "role": record.role,
    }


def _filings(
    catalogue: Catalogue, organizations: dict[str, Organization], actor: User, result: ImportResult
) -> dict[str, Filing]:
    existing = {f.filing_number: f for f in Filing.objects.filter(filing_number__in=catalogue.records)}
    new: list[Filing] = []
    changed: list[Filing] = []
    for number, record in catalogue.records.items():
        entity = _entity(record)
        if entity is None:
            continue
        values = _filing_values(record, organizations[entity[0]])
        filing = existing.get(number)
        if filing is not None and not filing.imported:
            result.problems.append(f"{number}: already filed in Beian itself; the published row was not imported")
        elif filing is not None:
            if filing.status != FilingStatus.PUBLISHED or values["status"] == FilingStatus.PUBLISHED:
                # A published list never brings a filing back, nor overrides what happened here since.
                values["status"] = filing.status
            if any(getattr(filing, key) != value for key, value in values.items()):
                Filing.objects.filter(pk=filing.pk).update(**values, name_normalized=normalize_name(values["name"]))
                changed.append(filing)
        else:
            new.append(_new_filing(record, values, actor))
    Filing.objects.bulk_create(new, batch_size=1000)
    FilingVersion.objects.bulk_create([_version(f, actor) for f in new], batch_size=1000)
    audit_record_many(
        action="filing.imported",
        subject_type=SUBJECT,
        rows=[(f.pk, f.organization_id, {"number": f.filing_number}) for f in new],
        actor=actor,
    )
    result.written["filings created"] += len(new)
    result.written["filings updated"] += len(changed)
    return {**existing, **{str(f.filing_number): f for f in new}}


def _new_filing(record: Record, values: dict[str, Any], actor: User) -> Filing:
    approved = published_at(record.first_period) if record.first_period else timezone.now()
    ended = (
        datetime.datetime.combine(record.cancelled_on, datetime.time(9), tzinfo=approved.tzinfo)
        if record.cancelled_on
        else None
    )
    return Filing(
        **values,
        name_normalized=normalize_name(values["name"]),
        filing_number=record.number,
        imported=True,
        kind="algorithm",
        created_by=actor,
        submitted_at=approved,
        approved_at=approved,
        ended_at=ended if values["status"] == FilingStatus.CANCELLED else None,
    )


def _version(filing: Filing, actor: User) -> FilingVersion:
    data = {"name": filing.name, "algorithm_type": filing.algorithm_type, "role": filing.role}
    return FilingVersion(
        filing=filing,
        number=1,
        purpose=FilingVersionPurpose.INITIAL,
        status=VersionStatus.APPROVED,
        data=data,
        frozen=True,
        content_hash=content_hash(data, {}),
        created_by=actor,
        submitted_at=filing.submitted_at,
        decided_at=filing.approved_at,
    )


def _listing_values(record: Record) -> dict[str, Any]:
    changed = month_start(record.last_period) if record.last_period else None
    if record.cancelled_on and (changed is None or record.cancelled_on > changed):
        changed = record.cancelled_on
    published = month_start(record.first_period) if record.first_period else changed
    return {
        "series": record.series,
        "state": PublicState.CANCELLED if status_of(record) == FilingStatus.CANCELLED else PublicState.ACTIVE,
        "name": record.name[:200],
        "category": record.category,
        "algorithm_type": record.algorithm_type,
        "role": record.role,
        "organization_name": record.organization[:200],
        "products": record.products,
        "purpose": record.purpose,
        "province_code": record.number[4:6],
        "remarks": "；".join(record.remarks),
        "published_on": published,
        "changed_on": changed,
    }


def _listings(catalogue: Catalogue, filings: dict[str, Filing], result: ImportResult) -> None:
    existing = {listing.filing_number: listing for listing in PublicListing.objects.filter(filing_number__in=filings)}
    new: list[PublicListing] = []
    changed: list[PublicListing] = []
    for number, record in catalogue.records.items():
        filing = filings.get(number)
        if filing is None or not filing.imported:
            continue
        values = _listing_values(record)
        listing = existing.get(number)
        if listing is None:
            new.append(PublicListing(filing=filing, filing_number=number, **values))
        elif listing.changed_on <= values["changed_on"] and any(
            getattr(listing, key) != value for key, value in values.items()
        ):
            # Only as new as the lists: a change made here since (a later date) stands.
            for key, value in values.items():
                setattr(listing, key, value)
            changed.append(listing)
    PublicListing.objects.bulk_create(new, batch_size=1000)
    PublicListing.objects.bulk_update(changed, list(LISTING_FIELDS), batch_size=1000)
    result.written["listings created"] += len(new)
    result.written["listings updated"] += len(changed)


def _batches(catalogue: Catalogue, filings: dict[str, Filing], actor: User, result: ImportResult) -> None:
    batches = {(b.series, b.number): b for b in PublicationBatch.objects.all()}
    for (series, batch_number), (title, period) in sorted(catalogue.batches.items()):
        existing = batches.get((series, batch_number))
        if existing is not None and not existing.imported:
            result.problems.append(f"{title}: batch {batch_number} of this list was already published here; skipped")
            del batches[(series, batch_number)]
            continue
        if existing is None:
            batches[(series, batch_number)] = PublicationBatch.objects.create(
                series=series,
                number=batch_number,
                title=title,
                period=period,
                status=BatchStatus.PUBLISHED,
                imported=True,
                created_by=actor,
                published_at=published_at(period),
            )
            result.written["batches created"] += 1
    present = set(BatchEntry.objects.values_list("batch_id", "filing_id"))
    entries = []
    for number, record in catalogue.records.items():
        filing = filings.get(number)
        if filing is None or not filing.imported:
            continue
        for series, batch_number, seq, row in record.entries:
            batch = batches.get((series, batch_number))
            if batch is None:
                continue
            if (batch.pk, filing.pk) not in present:
                present.add((batch.pk, filing.pk))
                entries.append(BatchEntry(batch=batch, filing=filing, seq=seq, row=row))
    BatchEntry.objects.bulk_create(entries, batch_size=1000)
    result.written["batch entries created"] += len(entries)


def _notices(catalogue: Catalogue, filings: dict[str, Filing], actor: User, result: ImportResult) -> None:
    notices = {(n.title, n.notice_date.isoformat()): n for n in CancellationNotice.objects.all()}
    for (title, day), notice_date in sorted(catalogue.notices.items(), key=lambda item: item[1]):
        if (title, day) not in notices:
            notices[(title, day)] = CancellationNotice.objects.create(
                title=title,
                notice_date=notice_date,
                status=BatchStatus.PUBLISHED,
                imported=True,
                created_by=actor,
                published_at=datetime.datetime.combine(notice_date, datetime.time(9), tzinfo=BEIJING),
            )
            result.written["notices created"] += 1
    present = set(CancellationNoticeEntry.objects.values_list("notice_id", "filing_id"))
    entries = []
    for number, record in catalogue.records.items():
        filing = filings.get(number)
        if filing is None or not filing.imported:
            continue
        for key, seq, month, row in record.notice_entries:
            notice = notices[key]
            if (notice.pk, filing.pk) not in present:
                present.add((notice.pk, filing.pk))
                entries.append(
                    CancellationNoticeEntry(notice=notice, filing=filing, seq=seq, cancelled_month=month, row=row)
                )
    CancellationNoticeEntry.objects.bulk_create(entries, batch_size=1000)
    result.written["notice entries created"] += len(entries)
