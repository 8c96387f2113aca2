from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """An append-only record of one business event (who, when, what, from which state to which).

    A database trigger refuses UPDATE and DELETE, so the history cannot be edited by the
    application or by a stray query. Rows are written only by ``accounts.services.audit``, whose
    canonical serialisation is what a later hash chain will cover: ``id`` is the chain order.
    """

    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.PROTECT, null=True, blank=True
    )
    actor_username = models.CharField(_("actor username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64)
    subject_type = models.CharField(_("subject type"), max_length=32)
    subject_id = models.BigIntegerField(_("subject ID"))
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "id"], name="audit_subject"),
            models.Index(fields=["organization", "id"], name="audit_organization"),
        ]
        triggers = [
            pgtrigger.Protect(name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"
