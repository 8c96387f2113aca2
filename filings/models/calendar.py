from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official holiday schedule (State Council notice) has been entered in full.

    chinesecalendar knows the years up to its release; for a later year, an administrator enters
    the notice's days as ``CalendarOverride`` rows and then marks the year here as complete.
    Until then, dates in that year are computed from weekends only and shown as provisional.
    """

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source_notice = models.CharField(_("source notice"), max_length=300)
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    """One day whose status differs from chinesecalendar or from the weekday rule."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("working day"))
    source_notice = models.CharField(_("source notice"), max_length=300)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date} {'+' if self.is_workday else '-'}"
