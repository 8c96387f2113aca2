"""Publication in batches (公示) and cancellation notices, assembled and published by the central office.

A batch of a list is a draft while it is assembled (one draft per list): approved, unpublished filings
of that list are added or removed, the supervisor reviews the rows, then publishes the whole batch at
once: each filing becomes ``published``, gets its listing, and the batch keeps each row as published
(序号 in order). Cancellation notices work the same way for cancelled filings.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.errors import ActionForbidden, Conflict, ValidationFailed
from accounts.models import User
from accounts.roles import is_central_supervisor
from accounts.services.audit import audit_record
from accounts.services.organizations import lock_organization
from filings.models import (
    BatchEntry,
    BatchStatus,
    CancellationNotice,
    CancellationNoticeEntry,
    Filing,
    FilingStatus,
    PublicationBatch,
    PublicListing,
    PublicSeries,
)
from filings.services.common import audit, tell_members
from filings.services.listing import listing_publish
from filings.workflow import AlgorithmType

TITLES = {
    PublicSeries.ALGORITHM: "境内互联网信息服务算法备案清单（{year}年{month}月）",
    PublicSeries.DEEP_SYNTHESIS: "境内深度合成服务算法备案清单（{year}年{month}月）",
}


def check_publisher(actor: User) -> None:
    if not is_central_supervisor(actor):
        raise ActionForbidden(_("Only supervisors of the central office publish filings."))


def batch_open(*, actor: User, series: str) -> PublicationBatch:
    """Start assembling the next batch of a list (or return the one being assembled)."""
    check_publisher(actor)
    if series not in PublicSeries.values:
        raise ValidationFailed({"series": [_("Choose a list.")]})
    draft = PublicationBatch.objects.filter(series=series, status=BatchStatus.DRAFT).first()
    if draft is not None:
        return draft
    today = timezone.localdate()
    try:
        with transaction.atomic():
            number = (PublicationBatch.objects.filter(series=series).aggregate(n=Max("number"))["n"] or 0) + 1
            batch = PublicationBatch.objects.create(
                series=series,
                number=number,
                title=TITLES[PublicSeries(series)].format(year=today.year, month=today.month),
                period=f"{today.year}-{today.month:02d}",
                created_by=actor,
            )
            audit_record(
                action="batch.opened",
                subject_type="batch",
                subject_id=batch.pk,
                actor=actor,
                payload={"number": number},
            )
    except IntegrityError:  # another supervisor opened it at the same moment
        return PublicationBatch.objects.get(series=series, status=BatchStatus.DRAFT)
    return batch


def _draft(batch_id: int) -> PublicationBatch:
    batch = PublicationBatch.objects.select_for_update().filter(id=batch_id).first()
    if batch is None:
        raise Conflict(_("This batch no longer exists."))
    if batch.status != BatchStatus.DRAFT:
        raise Conflict(_("This batch has been published; it can no longer change."))
    return batch


def eligible_filings(series: str) -> QuerySet[Filing]:
    """Approved, unpublished filings of a list that no draft batch holds yet, oldest approval first.

    The list follows the type (``listing.series_of``): generation and synthesis go to the
    deep-synthesis list, everything else to the algorithm list.
    """
    held = BatchEntry.objects.filter(batch__status=BatchStatus.DRAFT).values("filing_id")
    approved = Filing.objects.filter(status=FilingStatus.APPROVED).exclude(id__in=held)
    synthesis = Q(algorithm_type=AlgorithmType.GENERATION_SYNTHESIS)
    approved = approved.filter(synthesis) if series == PublicSeries.DEEP_SYNTHESIS else approved.exclude(synthesis)
    return approved.select_related("organization").order_by("approved_at", "id")


def batch_add(*, batch_id: int, actor: User, filing_ids: Iterable[int] | None = None) -> int:
    """Add filings to a draft batch (all eligible ones when ``filing_ids`` is None). Returns how many."""
    check_publisher(actor)
    with transaction.atomic():
        batch = _draft(batch_id)
        candidates = eligible_filings(batch.series)
        if filing_ids is not None:
            wanted = set(filing_ids)
            candidates = candidates.filter(id__in=wanted)
            if len(candidates) != len(wanted):
                raise ValidationFailed(
                    {"filings": [_("Only approved, unpublished filings of this list can be added.")]}
                )
        entries = [
            BatchEntry(batch=batch, filing_id=filing_id) for filing_id in candidates.values_list("id", flat=True)
        ]
        BatchEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    return len(entries)


def batch_remove(*, batch_id: int, actor: User, filing_id: int) -> None:
    check_publisher(actor)
    with transaction.atomic():
        batch = _draft(batch_id)
        BatchEntry.objects.filter(batch=batch, filing_id=filing_id).delete()


def batch_publish(*, batch_id: int, actor: User) -> PublicationBatch:
    """Publish every filing of the draft at once, in the order of their approval (序号 1, 2, …)."""
    check_publisher(actor)
    with transaction.atomic():
        batch = _draft(batch_id)
        entries = list(batch.entries.select_related("filing").order_by("filing__approved_at", "filing_id"))
        if not entries:
            raise ValidationFailed({"entries": [_("Add at least one filing before publishing the batch.")]})
        # Organisations first, in id order, as every service locks (no deadlock with a provider acting).
        for organization_id in sorted({entry.filing.organization_id for entry in entries}):
            lock_organization(organization_id)
        locked = {
            f.pk: f for f in Filing.objects.select_for_update(no_key=True).filter(id__in=[e.filing_id for e in entries])
        }
        seq = 0
        for entry in entries:
            filing = locked[entry.filing_id]
            if filing.status != FilingStatus.APPROVED:  # withdrawn, revoked or cancelled meanwhile
                entry.delete()
                continue
            seq += 1
            _publish_one(batch, entry, filing, seq, actor)
        batch.status, batch.published_at = BatchStatus.PUBLISHED, timezone.now()
        batch.save(update_fields=["status", "published_at"])
        audit_record(
            action="batch.published", subject_type="batch", subject_id=batch.pk, actor=actor, payload={"rows": seq}
        )
    return batch


def _publish_one(batch: PublicationBatch, entry: BatchEntry, filing: Filing, seq: int, actor: User) -> None:
    filing.publish()
    filing.version += 1
    filing.save()
    listing = listing_publish(filing=filing)
    entry.seq, entry.row = seq, row_of(listing)
    entry.save(update_fields=["seq", "row"])
    event = audit(filing, "filing.published", actor, FilingStatus.APPROVED, payload={"batch": batch.pk, "seq": seq})
    tell_members(
        filing,
        event,
        gettext_lazy("Published: %(name)s"),
        gettext_lazy("%(name)s (%(number)s) was published in %(batch)s."),
        batch=batch.title,
    )


def row_of(listing: PublicListing) -> dict[str, str]:
    """A row as CAC publishes it (the columns of the lists)."""
    return {
        "name": listing.name,
        "category": listing.category,
        "role": {"service_provider": "服务提供者", "technical_supporter": "服务技术支持者"}.get(listing.role, ""),
        "organization": listing.organization_name,
        "products": listing.products,
        "purpose": listing.purpose,
        "filing_number": listing.filing_number,
        "remarks": listing.remarks,
    }


# --- cancellation notices -------------------------------------------------------------------------


def notice_open(*, actor: User) -> CancellationNotice:
    check_publisher(actor)
    draft = CancellationNotice.objects.filter(status=BatchStatus.DRAFT).first()
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            notice = CancellationNotice.objects.create(
                title="关于注销算法备案编号的公告", notice_date=timezone.localdate(), created_by=actor
            )
    except IntegrityError:
        return CancellationNotice.objects.get(status=BatchStatus.DRAFT)
    return notice


def _unannounced() -> QuerySet[Filing]:
    announced = CancellationNoticeEntry.objects.values("filing_id")
    return Filing.objects.filter(status=FilingStatus.CANCELLED, listing__isnull=False).exclude(id__in=announced)


def cancelled_unannounced() -> list[Filing]:
    """Published filings cancelled since, in no notice yet (a draft's rows count as taken)."""
    return list(_unannounced().select_related("listing").order_by("ended_at", "id"))


def cancelled_unannounced_count() -> int:
    return _unannounced().count()


def notice_assemble(*, actor: User) -> CancellationNotice:
    """The draft notice to review: the open one as the supervisor left it (a number taken out waits
    for the next notice), or a new one holding every cancelled number still unannounced."""
    check_publisher(actor)
    draft = CancellationNotice.objects.filter(status=BatchStatus.DRAFT).first()
    if draft is not None:
        return draft
    notice = notice_open(actor=actor)
    notice_add(notice_id=notice.pk, actor=actor)
    return notice


def _notice_draft(notice_id: int) -> CancellationNotice:
    notice = CancellationNotice.objects.select_for_update().filter(id=notice_id).first()
    if notice is None:
        raise ValidationFailed({"notice": [_("No such notice.")]})
    if notice.status != BatchStatus.DRAFT:
        raise Conflict(_("This notice has been published; it can no longer change."))
    return notice


def notice_add(*, notice_id: int, actor: User) -> int:
    """Add every cancelled, unannounced published filing to the draft notice. Returns how many."""
    check_publisher(actor)
    with transaction.atomic():
        notice = _notice_draft(notice_id)
        entries = [CancellationNoticeEntry(notice=notice, filing=filing) for filing in cancelled_unannounced()]
        CancellationNoticeEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=1000)
    return len(entries)


def notice_remove(*, notice_id: int, actor: User, filing_id: int) -> None:
    """Leave a number out of this notice (it waits for the next one)."""
    check_publisher(actor)
    with transaction.atomic():
        notice = _notice_draft(notice_id)
        CancellationNoticeEntry.objects.filter(notice=notice, filing_id=filing_id).delete()


def notice_publish(*, notice_id: int, actor: User) -> CancellationNotice:
    """Publish the draft notice's reviewed rows at once, in the order the filings were cancelled."""
    check_publisher(actor)
    with transaction.atomic():
        notice = _notice_draft(notice_id)
        entries = list(notice.entries.select_related("filing__listing").order_by("filing__ended_at", "filing_id"))
        if not entries:
            raise ValidationFailed({"entries": [_("Add at least one cancelled number before publishing the notice.")]})
        notice.title = f"关于注销“{entries[0].filing.name}”等{len(entries)}个算法备案编号的公告"
        notice.notice_date = timezone.localdate()
        for seq, entry in enumerate(entries, start=1):
            filing = entry.filing
            ended = timezone.localtime(filing.ended_at) if filing.ended_at else timezone.localtime()
            entry.seq, entry.cancelled_month = seq, f"{ended.year}年{ended.month}月"
            entry.row = row_of(filing.listing)
            entry.save(update_fields=["seq", "cancelled_month", "row"])
        notice.status, notice.published_at = BatchStatus.PUBLISHED, timezone.now()
        notice.save()
        audit_record(
            action="notice.published",
            subject_type="notice",
            subject_id=notice.pk,
            actor=actor,
            payload={"rows": len(entries)},
        )
    return notice
