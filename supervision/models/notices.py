from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    RECEIPT = "receipt", _("Notice of receipt")
    APPROVAL = "approval", _("Notice of filing")
    CORRECTION = "correction", _("Request for correction")
    REFUSAL = "refusal", _("Notice of refusal")


class Notice(models.Model):
    """A formal notice to a provider. Its text is fixed when issued and never changes (trigger)."""

    kind = models.CharField(_("kind"), max_length=16, choices=NoticeKind.choices)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    filing = models.ForeignKey("filings.Filing", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("accounts.Organization", on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("accounts.RegulatorOffice", on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Both languages are rendered at issue time, so the notice reads the same forever.
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["filing", "-issued_at"], name="notice_filing")]
        triggers = [
            pgtrigger.Protect(name="notice_immutable", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return self.reference
