"""A correction not made in time comes back to the reviewer who asked for it (an idempotent sweep)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.services.organizations import lock_organization
from filings.models import Filing
from filings.workflow import FilingStatus
from supervision.models import ACTIVE_STATUSES, Decision, ReviewTask, SubjectType
from supervision.services.assignment import assign
from supervision.services.routing import open_task


def correction_overdue_sweep(*, limit: int = 500) -> int:
    """Open a "correction overdue" task, held by the reviewer who returned it, for each such filing."""
    today = timezone.localdate()
    candidates = list(
        Filing.objects.filter(status=FilingStatus.RETURNED, correction_due__lt=today)
        .values_list("id", "organization_id")
        .order_by("correction_due")[:limit]
    )
    opened = 0
    for filing_id, organization_id in candidates:
        with transaction.atomic():
            lock_organization(organization_id)
            filing = Filing.objects.select_for_update(of=("self",)).select_related("organization").get(id=filing_id)
            active = ReviewTask.objects.filter(
                subject_type=SubjectType.FILING, subject_id=filing.pk, status__in=ACTIVE_STATUSES
            )
            if filing.status != FilingStatus.RETURNED or active.exists():
                continue  # corrected meanwhile, or already handed back: a rerun does nothing
            returned = (
                ReviewTask.objects.filter(
                    subject_type=SubjectType.FILING, subject_id=filing.pk, decision=Decision.RETURN
                )
                .order_by("-decided_at")
                .select_related("decided_by")
                .first()
            )
            task = open_task(
                subject_type=SubjectType.FILING,
                subject_id=filing.pk,
                organization=filing.organization,
                filing=filing,
            )
            task.correction_overdue = True
            task.save(update_fields=["correction_overdue"])
            if returned is not None and returned.decided_by is not None and task.assignee_id is None:
                # Back to the reviewer who asked for the correction, in a new round of its own.
                assign(task, returned.decided_by)
            opened += 1
    return opened
