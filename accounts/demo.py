"""Small, valid documents for demo data and tests (a one-page PDF, a PNG)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def sample_pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def sample_png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (139, 26, 26)).save(buffer, format="PNG")
    return buffer.getvalue()


def sample_upload(name: str = "licence.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    data = sample_pdf_bytes() if content is None else content
    content_type = "image/png" if data.startswith(b"\x89PNG") else "application/pdf"
    return SimpleUploadedFile(name, data, content_type=content_type)
