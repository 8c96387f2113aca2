"""Read what the exports wrote, as a spreadsheet program would: CSV (UTF-8 with BOM) and XLSX cells."""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree  # the suite reads only files it has just exported

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a BOM: Excel would misread Chinese"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The first sheet's cells as text (inline or shared strings, numbers as written)."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    shared: list[str] = []
    if "xl/sharedStrings.xml" in archive.namelist():
        root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))  # noqa: S314
        shared = ["".join(t.text or "" for t in si.iterfind(".//m:t", NS)) for si in root.iterfind("m:si", NS)]
    sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314
    rows = []
    for row in sheet.iterfind(".//m:sheetData/m:row", NS):
        cells: list[str] = []
        for cell in row.iterfind("m:c", NS):
            column = _column(cell.get("r", ""))
            cells.extend([""] * (column - len(cells)))  # blank cells are not written
            kind = cell.get("t")
            if kind == "inlineStr":
                cells.append("".join(t.text or "" for t in cell.iterfind(".//m:t", NS)))
            elif kind == "s":
                cells.append(shared[int(cell.findtext("m:v", "0", NS))])
            else:
                value = cell.findtext("m:v", "", NS)
                cells.append(value[:-2] if value.endswith(".0") else value)
        rows.append(cells)
    return rows


def _column(reference: str) -> int:
    """0-based column of a cell reference such as "C7"."""
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return index - 1
