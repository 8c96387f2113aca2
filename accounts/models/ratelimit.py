from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests of one client to one scope in one time window (public search, verification, objections).

    Counted in PostgreSQL with ``INSERT … ON CONFLICT DO UPDATE``: atomic across every web process and
    machine, with no cache server to run. Old windows are deleted by a periodic task.
    """

    key = models.CharField(max_length=200)
    window = models.DateTimeField()
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="rate_counter_window")]
        indexes = [models.Index(fields=["window"], name="rate_counter_age")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.count}"
