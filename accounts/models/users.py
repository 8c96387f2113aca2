from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person: a provider's member (``organization``) or regulator staff (``office``), never both."""

    office = models.ForeignKey(
        "accounts.RegulatorOffice",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="user_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(office__isnull=True) | Q(organization__isnull=True),
                name="user_staff_or_provider",
            ),
        ]

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None
