from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivateStorage(FileSystemStorage):
    """Storage outside any URL: files are served only by views that check permission.

    The location is read from settings on every use (not once at import), so a deployment or a
    test that changes ``PRIVATE_MEDIA_ROOT`` is honoured.
    """

    @property
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


def private_storage() -> Storage:
    return PrivateStorage()


def _upload_to(instance: models.Model, filename: str) -> str:
    # The stored name is random: the original name is user input and is kept only as metadata.
    return f"{instance._meta.model_name}/{uuid.uuid4().hex}"


class StoredFile(models.Model):
    """An uploaded document, checked by content and kept with its SHA-256."""

    file = models.FileField(_("file"), storage=private_storage, upload_to=_upload_to, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("content type"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        abstract = True
