"""Import the lists CAC has already published (`manage.py import_published_lists`).

A regulator adopting Beian starts with its history: the algorithm list (19 batches), the deep-synthesis
list (18 batches) and the cancellation notices become published filings, batches and notices. The
import is idempotent (filings by number, organisations by entity ID, batches by number, notices by
title and date), never "corrects" what was published, and reports every irregularity it met.
"""

from __future__ import annotations

import csv
import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from filings import numbers
from filings.models import FilingStatus, PublicSeries
from filings.workdays import BEIJING
from filings.workflow import AlgorithmType, Role

DATA_DIR = Path(settings.BASE_DIR) / "filings" / "data" / "cac"
ALGORITHM_CSV = "cac-algorithm-filings.csv"
DEEP_SYNTHESIS_CSV = "cac-deep-synthesis-filings.csv"
CANCELLATIONS_CSV = "cac-cancellations.csv"

# 算法类别 → (algorithm type, content filtering)
CATEGORIES: dict[str, tuple[str, bool | None]] = {
    "个性化推送类": (AlgorithmType.PERSONALIZED_PUSH, None),
    "排序精选类": (AlgorithmType.SORTING_SELECTION, None),
    "检索过滤类": (AlgorithmType.RETRIEVAL_FILTERING, None),  # told apart by the number's category code
    "信息检索类": (AlgorithmType.RETRIEVAL_FILTERING, False),
    "内容过滤类": (AlgorithmType.RETRIEVAL_FILTERING, True),
    "调度决策类": (AlgorithmType.SCHEDULING_DECISION, None),
    "生成合成类": (AlgorithmType.GENERATION_SYNTHESIS, None),
}
ROLES = {"服务提供者": Role.SERVICE_PROVIDER, "服务技术支持者": Role.TECHNICAL_SUPPORTER}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(text: str) -> int:
    """一 … 九十九, as in 第十八批."""
    if "十" not in text:
        return CHINESE_DIGITS[text]
    tens, _sep, units = text.partition("十")
    return (CHINESE_DIGITS[tens] if tens else 1) * 10 + (CHINESE_DIGITS[units] if units else 0)


def month_start(period: str) -> datetime.date:
    year, month = period.split("-")
    return datetime.date(int(year), int(month), 1)


@dataclass
class Record:
    """One filing number, merged from every row that mentions it."""

    number: str
    name: str = ""
    organization: str = ""
    algorithm_type: str = ""
    filtering: bool | None = None
    role: str = ""
    category: str = ""
    products: str = ""
    purpose: str = ""
    remarks: list[str] = field(default_factory=list)
    series: str = ""
    first_period: str = ""
    last_period: str = ""
    cancelled_on: datetime.date | None = None
    half_width_brackets: bool = False
    entries: list[tuple[str, int, int | None, dict[str, str]]] = field(default_factory=list)  # series, batch, seq, row
    notice_entries: list[tuple[tuple[str, str], int, str, dict[str, str]]] = field(default_factory=list)


@dataclass
class Catalogue:
    records: dict[str, Record] = field(default_factory=dict)
    batches: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)  # (series, n) -> (title, period)
    notices: dict[tuple[str, str], datetime.date] = field(default_factory=dict)  # (title, date) -> date
    problems: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def note(self, kind: str, message: str) -> None:
        self.counts[kind] += 1
        self.problems.append(message)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _record(catalogue: Catalogue, number: str) -> Record:
    if number not in catalogue.records:
        catalogue.records[number] = Record(number=number)
        digits = numbers.parse(number)
        if digits is None:
            catalogue.note(
                "malformed_number",
                f"{number}: not of the form 网信算备 + 21 digits + 号; without the entity ID inside it the"
                " organisation cannot be recognised (not imported)",
            )
        elif not numbers.check_digit_ok(number):
            catalogue.note("check_digit", f"{number}: the check digit does not match (imported and flagged)")
    return catalogue.records[number]


def _merge_row(record: Record, row: dict[str, str], series: str, period: str) -> None:
    """Later batches win for the columns that change (name, organisation, products): they are current."""
    if not record.first_period or period < record.first_period:
        record.first_period = period
        record.series = series  # the list it was first published in
    if period >= record.last_period:
        record.last_period = period
        record.name = row["name"] or record.name
        record.organization = row["organization"] or record.organization
        record.products = row.get("products", "") if row.get("products", "") not in ("", "--") else record.products
        record.purpose = row.get("purpose", "") or record.purpose
    if "(" in row.get("products", ""):
        record.half_width_brackets = True  # kept as published; search ignores brackets anyway
    remark = row.get("remarks", "")
    if remark and remark not in record.remarks:
        record.remarks.append(remark)


def read_algorithm_list(catalogue: Catalogue, path: Path) -> None:
    rows = _read(path)
    periods = sorted({row["batch_period"] for row in rows})
    for row in rows:
        period = row["batch_period"]
        batch = periods.index(period) + 1
        catalogue.batches[(PublicSeries.ALGORITHM, batch)] = (row["batch_name"], period)
        record = _record(catalogue, row["filing_number"])
        _merge_row(record, row, PublicSeries.ALGORITHM, period)
        category = row["category"]
        if category in CATEGORIES:
            kind, filtering = CATEGORIES[category]
            if kind == AlgorithmType.RETRIEVAL_FILTERING and filtering is None:
                filtering = (numbers.parse(record.number) or "")[13:15] == "05"
            record.algorithm_type, record.filtering, record.category = kind, filtering, category
        else:
            catalogue.note("category", f"{record.number}: unknown category {category!r} (imported without a type)")
        record.role = record.role or Role.SERVICE_PROVIDER
        record.entries.append((PublicSeries.ALGORITHM, batch, int(row["seq"]) if row["seq"] else None, row))


def read_deep_synthesis_list(catalogue: Catalogue, path: Path) -> None:
    for row in _read(path):
        match = re.fullmatch(r"第(.+)批", row["batch_number"])
        if match is None:
            catalogue.note("batch", f"{row['filing_number']}: batch {row['batch_number']!r} is not 第N批 (row skipped)")
            continue
        batch = chinese_number(match.group(1))
        period = row["batch_period"]
        catalogue.batches[(PublicSeries.DEEP_SYNTHESIS, batch)] = (row["batch_name"], period)
        record = _record(catalogue, row["filing_number"])
        if any(entry[0] == PublicSeries.ALGORITHM for entry in record.entries):
            catalogue.counts["both_series"] += 1
        _merge_row(record, row, PublicSeries.DEEP_SYNTHESIS, period)
        record.algorithm_type = record.algorithm_type or AlgorithmType.GENERATION_SYNTHESIS
        record.category = record.category or "生成合成类"
        record.role = _role(catalogue, record.number, row["role"]) or record.role
        if not row["seq"]:
            catalogue.counts["no_seq"] += 1
        record.entries.append((PublicSeries.DEEP_SYNTHESIS, batch, int(row["seq"]) if row["seq"] else None, row))


def _role(catalogue: Catalogue, number: str, text: str) -> str:
    if text in ROLES:
        return ROLES[text]
    for published, role in ROLES.items():
        if text and published.startswith(text):
            catalogue.note("role", f"{number}: role {text!r} read as {published!r} (truncated as published)")
            return role
    if text in CATEGORIES:
        catalogue.note("role", f"{number}: the role column holds the category {text!r} (an algorithm-list entry)")
    elif text:
        catalogue.note("role", f"{number}: unknown role {text!r} (left empty)")
    return ""


def read_cancellations(catalogue: Catalogue, path: Path) -> None:
    order: Counter[tuple[str, str]] = Counter()
    for row in _read(path):
        key = (row["notice_title"], row["notice_date"])
        notice_date = datetime.date.fromisoformat(row["notice_date"])
        catalogue.notices[key] = notice_date
        order[key] += 1
        record = _record(catalogue, row["filing_number"])
        if not record.entries:
            catalogue.counts["cancelled_only"] += 1
            record.name = record.name or row["name"]
            record.organization = record.organization or row["organization"]
            record.products = record.products or row["products"]
            record.series = record.series or PublicSeries.DEEP_SYNTHESIS
            record.algorithm_type = record.algorithm_type or CATEGORIES.get(row["role"], ("generation_synthesis",))[0]
            record.category = record.category or (row["role"] if row["role"] in CATEGORIES else "生成合成类")
        role = _role(catalogue, record.number, row["role"])
        record.role = record.role or role or Role.SERVICE_PROVIDER
        record.cancelled_on = notice_date
        record.notice_entries.append((key, order[key], row["cancelled_month"], row))


def read_all(directory: Path = DATA_DIR) -> Catalogue:
    catalogue = Catalogue()
    read_algorithm_list(catalogue, directory / ALGORITHM_CSV)
    read_deep_synthesis_list(catalogue, directory / DEEP_SYNTHESIS_CSV)
    read_cancellations(catalogue, directory / CANCELLATIONS_CSV)
    _organisations(catalogue)
    return catalogue


def _organisations(catalogue: Catalogue) -> None:
    """Entity IDs (digits 7–13) identify organisations; names change over time (the remarks say so)."""
    names: dict[str, set[str]] = defaultdict(set)
    for record in catalogue.records.values():
        digits = numbers.parse(record.number)
        if digits:
            names[digits[6:13]].add(record.organization)
    renamed = {entity: seen for entity, seen in names.items() if len(seen) > 1}
    catalogue.counts["half_width_brackets"] = sum(r.half_width_brackets for r in catalogue.records.values())
    catalogue.counts["organisations"] = len(names)
    catalogue.counts["renamed_organisations"] = len(renamed)


def status_of(record: Record) -> str:
    cancelled = record.cancelled_on is not None or any("已注销" in remark for remark in record.remarks)
    return FilingStatus.CANCELLED if cancelled else FilingStatus.PUBLISHED


def published_at(period: str) -> datetime.datetime:
    return datetime.datetime.combine(month_start(period), datetime.time(9), tzinfo=BEIJING)


def summary(catalogue: Catalogue) -> dict[str, Any]:
    statuses = Counter(status_of(record) for record in catalogue.records.values())
    return {
        "numbers": len(catalogue.records),
        "published": statuses[FilingStatus.PUBLISHED],
        "cancelled": statuses[FilingStatus.CANCELLED],
        "batches": len(catalogue.batches),
        "notices": len(catalogue.notices),
        **dict(catalogue.counts),
    }
