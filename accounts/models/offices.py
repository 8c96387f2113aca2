from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RegulatorOffice(models.Model):
    """The central office (国家网信办) or one of the 31 provincial offices, keyed by GB/T 2260 code."""

    code = models.CharField(_("division code"), max_length=6, unique=True)
    province_code = models.CharField(_("province code"), max_length=2, unique=True, null=True, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=64)
    name_en = models.CharField(_("name (English)"), max_length=128)
    is_central = models.BooleanField(_("central office"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regulator office")
        verbose_name_plural = _("regulator offices")
        constraints = [
            models.UniqueConstraint(fields=["is_central"], condition=Q(is_central=True), name="office_one_central"),
            models.CheckConstraint(
                condition=Q(is_central=True, province_code__isnull=True)
                | Q(is_central=False, province_code__isnull=False),
                name="office_central_has_no_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh
