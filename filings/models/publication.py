from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from filings.models.filings import Filing
from filings.workflow import AlgorithmType


class PublicSeries(models.TextChoices):
    """The national lists CAC publishes, in numbered batches."""

    ALGORITHM = "algorithm", _("Domestic algorithm filing list")
    DEEP_SYNTHESIS = "deep_synthesis", _("Domestic deep synthesis filing list")


class PublicState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


class PublicListing(models.Model):
    """What the public registry shows of one published filing: only public columns, nothing else.

    The registry, the verification page and the public API read this table (and the filing's status)
    and never the filing's versions or documents, so no confidential attribute can leak through them.
    Services keep it in step: publication creates it; approved changes, cancellation, revocation and
    re-assessment update it.
    """

    filing = models.OneToOneField(
        Filing, verbose_name=_("filing"), on_delete=models.PROTECT, primary_key=True, related_name="listing"
    )
    series = models.CharField(_("list"), max_length=16, choices=PublicSeries.choices)
    # The filing's public state, kept here so that searches filter without reading the filings table.
    state = models.CharField(_("state"), max_length=16, choices=PublicState.choices, default=PublicState.ACTIVE)
    name = models.CharField(_("algorithm name"), max_length=200)
    category = models.CharField(_("category as published"), max_length=32, blank=True)
    algorithm_type = models.CharField(_("algorithm type"), max_length=32, choices=AlgorithmType.choices, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    organization_name = models.CharField(_("organisation"), max_length=200)
    products = models.TextField(_("products"), blank=True)
    purpose = models.TextField(_("main purpose"), blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, unique=True)
    province_code = models.CharField(_("province code"), max_length=2, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    # The algorithm disclosure (principle, mechanism, scenarios, purpose) as filed; empty when imported.
    disclosure = models.JSONField(_("disclosure"), default=dict, blank=True)
    published_on = models.DateField(_("first published"))
    changed_on = models.DateField(_("last changed"))
    search = models.GeneratedField(
        expression=Func(
            F("name"),
            F("organization_name"),
            F("products"),
            F("purpose"),
            F("filing_number"),
            function="beian_search_tokens",
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("public listing")
        verbose_name_plural = _("public listings")
        indexes = [
            GinIndex(fields=["search"], name="listing_search"),
            models.Index(fields=["algorithm_type", "-filing"], name="listing_type"),
            models.Index(fields=["province_code", "-filing"], name="listing_province"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.filing_number})"


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Being assembled")
    PUBLISHED = "published", _("Published")


class PublicationBatch(models.Model):
    """Batch N of a list (公示): assembled by the central office, reviewed, then published at once."""

    series = models.CharField(_("list"), max_length=16, choices=PublicSeries.choices)
    number = models.PositiveIntegerField(_("batch number"))
    title = models.CharField(_("title"), max_length=200)
    period = models.CharField(_("period"), max_length=7, help_text=_("YYYY-MM"))
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    imported = models.BooleanField(_("imported from a published list"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication batch")
        verbose_name_plural = _("publication batches")
        constraints = [
            models.UniqueConstraint(fields=["series", "number"], name="batch_number_unique"),
            # One batch of a list is assembled at a time.
            models.UniqueConstraint(fields=["series"], condition=Q(status="draft"), name="batch_one_draft"),
        ]

    def __str__(self) -> str:
        return self.title


class BatchEntry(models.Model):
    """One row of a batch as it was (or will be) published: the CAC columns, frozen at publication."""

    batch = models.ForeignKey(PublicationBatch, on_delete=models.CASCADE, related_name="entries")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="batch_entries")
    seq = models.PositiveIntegerField(_("no."), null=True, blank=True)
    row = models.JSONField(_("row as published"), default=dict)

    class Meta:
        verbose_name = _("batch entry")
        verbose_name_plural = _("batch entries")
        constraints = [models.UniqueConstraint(fields=["batch", "filing"], name="batch_entry_once")]
        indexes = [models.Index(fields=["batch", "seq", "id"], name="batch_entry_order")]

    def __str__(self) -> str:
        return f"{self.batch} #{self.seq}"


class CancellationNotice(models.Model):
    """A notice cancelling filing numbers (关于注销……算法备案编号的公告)."""

    title = models.CharField(_("title"), max_length=300)
    notice_date = models.DateField(_("notice date"))
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT)
    imported = models.BooleanField(_("imported from a published list"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("cancellation notice")
        verbose_name_plural = _("cancellation notices")
        constraints = [
            models.UniqueConstraint(fields=["title", "notice_date"], name="cancellation_notice_unique"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="draft"), name="cancellation_notice_one_draft"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CancellationNoticeEntry(models.Model):
    notice = models.ForeignKey(CancellationNotice, on_delete=models.CASCADE, related_name="entries")
    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="cancellation_notice_entries")
    seq = models.PositiveIntegerField(_("no."), null=True, blank=True)
    cancelled_month = models.CharField(_("cancelled in"), max_length=16, blank=True)
    row = models.JSONField(_("row as published"), default=dict)

    class Meta:
        verbose_name = _("cancellation notice entry")
        verbose_name_plural = _("cancellation notice entries")
        constraints = [models.UniqueConstraint(fields=["notice", "filing"], name="cancellation_notice_entry_once")]

    def __str__(self) -> str:
        return f"{self.notice} #{self.seq}"
