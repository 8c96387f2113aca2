from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    RETIER = "retier", _("Re-classify filings under the tier policy in force")
    REASSESSMENT = "reassessment", _("Open due re-assessments")
    EXPORT = "export", _("Export a list")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


ACTIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class Job(models.Model):
    """A long set-based job (re-tiering, bulk re-assessment) with the progress administrators watch.

    A worker claims it with a lease; a worker that dies leaves the lease to expire and the job sweeper
    hands it to another. The work is chunked and idempotent, so a resumed job redoes nothing.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    done = models.PositiveIntegerField(_("done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        constraints = [
            # One active job of each kind: a second request (or beat tick) joins the running one.
            # Exports are per user and request: any number may run.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status__in=["queued", "running"]) & ~Q(kind="export"),
                name="job_one_active_per_kind",
            ),
        ]
        indexes = [models.Index(fields=["-id"], name="job_recent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))
