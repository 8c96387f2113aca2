"""The notification outbox: rows written with the event, e-mailed by a Celery task after commit."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.functional import Promise

from accounts.models import AuditEvent, Notification, User

logger = logging.getLogger(__name__)

CLAIM_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
# Errors worth retrying: the mail server or the network is briefly unavailable.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPConnectError,
    ConnectionError,
    TimeoutError,
)


def _is_transient(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500  # 4xx: try again later; 5xx: permanent
    return isinstance(exc, TRANSIENT_ERRORS)


class DeliveryTemporarilyFailed(Exception):
    """The e-mail could not be sent now; the task retries with backoff."""


def _render(template: str | Promise, params: Mapping[str, Any], language: str) -> str:
    with translation.override(language):
        return str(template) % {k: str(v) for k, v in params.items()}


def notify(
    *,
    recipients: Iterable[User],
    subject: str | Promise,
    body: str | Promise,
    params: Mapping[str, Any] | None = None,
    link: str = "",
    event: AuditEvent | None = None,
    dispatch: bool = True,
) -> list[Notification]:
    """Write one notification per recipient, in the recipient's language, and e-mail it after commit.

    ``subject`` and ``body`` are lazy translatable templates formatted with ``params``. Bulk senders
    (reminder digests) pass ``dispatch=False``: the outbox sweeper sends those in batches.
    """
    params = params or {}
    return notify_each(((user, subject, body, params, link) for user in recipients), dispatch=dispatch, event=event)


Message = tuple[User, str | Promise, str | Promise, Mapping[str, Any], str]


def notify_each(
    items: Iterable[Message], *, dispatch: bool = False, event: AuditEvent | None = None
) -> list[Notification]:
    """One notification per ``(recipient, subject, body, params, link)``, written in one statement.

    For bulk senders (digests, cases opened by a job): by default the outbox sweeper delivers them.
    """
    rows = [
        Notification(
            recipient=user,
            subject=_render(subject, params, user.language)[:200],
            body=_render(body, params, user.language),
            link=link,
            event=event,
        )
        for user, subject, body, params, link in items
        if user.is_active
    ]
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    if dispatch:
        for row in created:
            _dispatch_on_commit(row.pk)
    return created


def notify_email(
    *, to_email: str, subject: str | Promise, body: str | Promise, params: Mapping[str, Any], language: str
) -> Notification:
    """A notification to an address that has no account yet (e.g. an invitation)."""
    row = Notification.objects.create(
        to_email=to_email,
        subject=_render(subject, params, language)[:200],
        body=_render(body, params, language),
    )
    _dispatch_on_commit(row.pk)
    return row


def _dispatch_on_commit(notification_id: int) -> None:
    from accounts.tasks import notification_deliver_task

    # robust: if the broker is down the commit still stands; the sweeper dispatches it later.
    transaction.on_commit(lambda: notification_deliver_task.delay(notification_id), robust=True)


def notification_deliver(*, notification_id: int) -> bool:
    """E-mail one notification at most once per successful send. Returns whether it sent.

    The compare-and-set claim makes a duplicate task or a second worker a no-op. A worker dying
    between sending and marking may resend once after the lease, with the same Message-ID.
    """
    now = timezone.now()
    claimed = (
        Notification.objects.filter(id=notification_id, sent_at__isnull=True, failed_at__isnull=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_LEASE, attempts=F("attempts") + 1)
    )
    if claimed == 0:
        return False
    row = Notification.objects.select_related("recipient").get(id=notification_id)
    address = row.recipient.email if row.recipient else row.to_email
    if not address:
        Notification.objects.filter(id=row.pk).update(sent_at=timezone.now(), claimed_until=None)
        return False
    message = EmailMessage(
        subject=row.subject,
        body=_with_link(row),
        to=[address],
        headers={"Message-ID": row.message_id},
    )
    try:
        message.send()
    except Exception as exc:  # classified below: only transient failures are retried
        transient = _is_transient(exc)
        _release_after_failure(row, exc, permanent=not transient)
        if transient:
            raise DeliveryTemporarilyFailed(str(exc)) from exc
        return False
    Notification.objects.filter(id=row.pk).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    return True


def _with_link(row: Notification) -> str:
    if not row.link:
        return row.body
    return f"{row.body}\n\n{settings.SITE_URL.rstrip('/')}{row.link}"


def _release_after_failure(row: Notification, exc: BaseException, *, permanent: bool) -> None:
    failed = permanent or row.attempts >= MAX_ATTEMPTS
    Notification.objects.filter(id=row.pk).update(
        claimed_until=None,
        last_error=str(exc)[:300],
        failed_at=timezone.now() if failed else None,
    )
    logger.warning("notification %s not sent (attempt %s): %s", row.pk, row.attempts, type(exc).__name__)


def notification_sweep(*, older_than: timedelta = timedelta(minutes=1), limit: int = 5000) -> int:
    """Re-enqueue notifications that were written but never delivered (e.g. the broker was down)."""
    from accounts.tasks import notification_deliver_task

    now = timezone.now()
    ids = list(
        Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True, created_at__lt=now - older_than)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
    for notification_id in ids:
        notification_deliver_task.delay(notification_id)
    return len(ids)


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(id=notification_id)
    return qs.update(read_at=timezone.now())
