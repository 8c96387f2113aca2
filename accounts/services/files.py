"""Uploaded documents: judged by their content (magic bytes, then a parse), never by their name."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from accounts.errors import ValidationFailed
from accounts.models import StoredFile

logger = logging.getLogger(__name__)

# Signature -> (content type, extension). PDF, PNG and JPEG are the formats the filing system accepts.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)

S = TypeVar("S", bound=StoredFile)


@dataclass(frozen=True)
class InspectedFile:
    content: bytes
    content_type: str
    size: int
    sha256: str
    original_name: str


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed({"file": [message]})


def inspect_upload(upload: UploadedFile | None) -> InspectedFile:
    """Read the upload within the size cap, check its type by content and that it parses."""
    if upload is None:
        raise _file_error(_("Choose a file to upload."))
    limit = settings.ATTACHMENT_MAX_BYTES
    digest = hashlib.sha256()
    buffer = io.BytesIO()
    for chunk in upload.chunks():
        buffer.write(chunk)
        digest.update(chunk)
        if buffer.tell() > limit:
            raise _file_error(_("The file is larger than the limit of %(limit)s MB.") % {"limit": _megabytes(limit)})
    content = buffer.getvalue()
    if not content:
        raise _file_error(_("The file is empty."))
    content_type = _sniff(content)
    if content_type is None:
        raise _file_error(_("Only PDF, JPG and PNG files are accepted; this file's content is none of them."))
    _check_parses(content, content_type)
    return InspectedFile(
        content=content,
        content_type=content_type,
        size=len(content),
        sha256=digest.hexdigest(),
        original_name=(upload.name or "document")[-255:],
    )


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g}"


def _sniff(content: bytes) -> str | None:
    for signature, content_type, _ext in SIGNATURES:
        if content.startswith(signature):
            return content_type
    return None


def _check_parses(content: bytes, content_type: str) -> None:
    try:
        if content_type == "application/pdf":
            from pypdf import PdfReader

            if len(PdfReader(io.BytesIO(content)).pages) == 0:
                raise ValueError("no pages")
        else:
            from PIL import Image

            with Image.open(io.BytesIO(content)) as image:
                image.verify()
    except Exception:  # any parser failure means the same thing to the user: a damaged file
        logger.info("rejected an upload that starts like %s but does not parse", content_type)
        raise _file_error(
            _("The file looks like %(type)s but is damaged or incomplete.")
            % {"type": content_type.split("/")[-1].upper()}
        ) from None


def store_file(instance: S, inspected: InspectedFile) -> S:
    """Save the bytes, then the row; if the row cannot be saved, the bytes are removed again.

    Call it last in the service's transaction, and ``discard_file`` if anything after it fails,
    so a rejected or rolled-back upload leaves nothing behind.
    """
    instance.original_name = inspected.original_name
    instance.size = inspected.size
    instance.sha256 = inspected.sha256
    instance.content_type = inspected.content_type
    instance.file.save("upload", ContentFile(inspected.content), save=False)
    try:
        instance.save()
    except Exception:
        discard_file(instance)
        raise
    return instance


def discard_file(instance: StoredFile) -> None:
    if instance.file.name:
        instance.file.storage.delete(instance.file.name)
