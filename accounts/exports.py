"""CSV and XLSX responses for lists: streamed, safe to open in a spreadsheet, Chinese intact.

- CSV is UTF-8 with a byte-order mark, so Excel opens Chinese text correctly, and is streamed row by
  row (a large export never sits in memory).
- A cell that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
  return) is written with a leading apostrophe in CSV, and always as a string in XLSX.
- XLSX is written by xlsxwriter in constant-memory mode to a temporary file, then streamed.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def _disposition(filename: str) -> str:
    # RFC 6266: an ASCII fallback and the UTF-8 name (Chinese file names).
    ascii_name = filename.encode("ascii", "ignore").decode() or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1"
) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it once sent
    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    for column, title in enumerate(header):
        worksheet.write_string(0, column, str(title), bold)
    for line, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                worksheet.write_number(line, column, value)
            else:
                worksheet.write_string(line, column, "" if value is None else str(value))
    workbook.close()
    handle.seek(0)
    response = FileResponse(handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = _disposition(filename)
    return response
