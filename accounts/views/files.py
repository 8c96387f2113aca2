from __future__ import annotations

from django.http import FileResponse

from accounts.models import StoredFile


def stored_file_response(stored: StoredFile) -> FileResponse:
    """A download of a private document: never rendered inline, never cached, type not sniffed."""
    response = FileResponse(
        stored.file.open("rb"), as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
