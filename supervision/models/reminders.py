from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One reminder or escalation, recorded once: ``key`` makes a rerun, a retry or a second worker
    insert nothing. Reminders of one run are sent to each recipient as one digest (``notification``)."""

    key = models.CharField(max_length=160, unique=True)
    rule = models.CharField(_("rule"), max_length=32)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subject_type = models.CharField(_("subject type"), max_length=32)
    subject_id = models.BigIntegerField(_("subject ID"))
    due = models.DateField(_("due"))
    # Working days before the deadline; 0 when it has passed (an overdue notice or an escalation).
    offset = models.SmallIntegerField(_("working days before"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    notification = models.ForeignKey(
        "accounts.Notification", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [models.Index(fields=["recipient", "-id"], name="reminder_recipient")]

    def __str__(self) -> str:
        return self.key
