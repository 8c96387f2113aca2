import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Notification
from accounts.services.notifications import (
    MAX_ATTEMPTS,
    DeliveryTemporarilyFailed,
    notification_deliver,
    notification_sweep,
    notify,
)
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("reference_data")


def _one(user, **kwargs):
    (row,) = notify(recipients=[user], subject="主题 %(n)s", body="正文", params={"n": 1}, **kwargs)
    return row


def test_a_notification_is_emailed_once_with_a_stable_message_id():
    user = make_user()
    row = _one(user)
    assert notification_deliver(notification_id=row.pk) is True
    assert notification_deliver(notification_id=row.pk) is False  # the same task delivered twice
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == row.message_id
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


def test_messages_are_rendered_in_the_recipients_language():
    from django.utils.translation import gettext_lazy

    zh, en = make_user(language="zh-hans"), make_user(language="en")
    rows = notify(recipients=[zh, en], subject=gettext_lazy("Approved: %(name)s"), body="", params={"name": "X"})
    assert [r.subject for r in rows] == ["审核通过：X", "Approved: X"]


def test_a_transient_failure_releases_the_claim_for_a_retry(monkeypatch):
    user = make_user()
    row = _one(user)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(DeliveryTemporarilyFailed):
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert (row.sent_at, row.claimed_until, row.failed_at) == (None, None, None)
    assert row.last_error == "gone"


def test_a_permanent_failure_stops_at_once_and_is_visible(monkeypatch):
    user = make_user()
    row = _one(user)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPDataError(554, b"rejected")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    assert notification_deliver(notification_id=row.pk) is False
    row.refresh_from_db()
    assert row.failed_at is not None and row.sent_at is None


def test_retries_stop_after_the_bound(monkeypatch):
    user = make_user()
    row = _one(user)
    Notification.objects.filter(id=row.pk).update(attempts=MAX_ATTEMPTS - 1)

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with pytest.raises(DeliveryTemporarilyFailed):
        notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.failed_at is not None


def test_a_claimed_notification_is_left_to_its_worker():
    user = make_user()
    row = _one(user)
    Notification.objects.filter(id=row.pk).update(claimed_until=timezone.now() + timedelta(minutes=5))
    assert notification_deliver(notification_id=row.pk) is False
    assert mail.outbox == []


def test_the_sweeper_re_enqueues_what_was_never_dispatched(monkeypatch):
    user = make_user()
    row = _one(user)
    Notification.objects.filter(id=row.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    sent = []
    monkeypatch.setattr("accounts.tasks.notification_deliver_task.delay", lambda pk: sent.append(pk))
    assert notification_sweep() == 1
    assert sent == [row.pk]


def test_a_broker_outage_at_commit_does_not_fail_the_submission(monkeypatch, django_capture_on_commit_callbacks):
    from accounts.services.organizations import organization_submit
    from tests.factories import add_documents, make_draft

    user = make_user()
    org = make_draft(user)
    add_documents(org, user)

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr("accounts.tasks.notification_deliver_task.delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        organization_submit(organization_id=org.pk, actor=user)
    org.refresh_from_db()
    assert org.status == "submitted"
    assert Notification.objects.filter(recipient=user, sent_at__isnull=True).exists()


def test_the_in_app_list_and_the_unread_count(reference_data):
    from tests.conftest import web_as

    user, other = make_user(), make_user()
    _one(user)
    _one(user)
    _one(other)
    client = web_as(user)
    page = client.get("/notifications/").content.decode()
    assert 'id="unread-count">2<' in page and page.count("list-group-item-warning") == 2
    client.post("/notifications/read/")
    page = client.get("/notifications/").content.decode()
    assert 'id="unread-count"' not in page
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_bulk_notifications_wait_for_the_sweeper(django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipients=[user], subject="摘要", body="x", dispatch=False)
    assert callbacks == []
    assert Notification.objects.filter(recipient=user, sent_at__isnull=True).count() == 1
