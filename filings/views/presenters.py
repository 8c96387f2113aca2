"""Turning a version's data into what pages show: labelled rows, problems with the step that fixes
them, and the wizard's progress."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from filings.fields import (
    FIELDS,
    PRODUCT_FIELDS,
    STEPS,
    FieldSpec,
    item_label,
    missing_and_invalid,
    parse_functions,
    step_of,
)
from filings.workflow import REQUIRED_ATTACHMENTS


def display_value(spec: FieldSpec, value: Any) -> Any:
    if value in (None, "", []):
        return ""
    labels = dict(spec.choice_values())
    if spec.kind == "multichoice" and isinstance(value, list):
        return "、".join(str(labels.get(v, v)) for v in value)
    if spec.kind in ("choice", "yesno"):
        return str(labels.get(value, value))
    return value


def product_rows(products: Any) -> list[list[dict[str, Any]]]:
    """Each product as rows of {label, value}; the functions as a list of "name: description"."""
    rows = []
    for product in products or []:
        if not isinstance(product, dict):
            continue
        fields = []
        for spec in PRODUCT_FIELDS:
            value = product.get(spec.key, "")
            if spec.key == "functions":
                items = [f"{f['name']}：{f['description']}" for f in parse_functions(value)]
                fields.append({"label": spec.label, "entries": items})
            else:
                fields.append({"label": spec.label, "value": display_value(spec, value)})
        rows.append(fields)
    return rows


def display_rows(data: Mapping[str, Any], *, keys: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Sections (one per step) of rows: label, shown value, whether it is public."""
    wanted = set(keys) if keys is not None else None
    sections = []
    for step, label in STEPS:
        rows = []
        for spec in FIELDS:
            if spec.step != step or (wanted is not None and spec.key not in wanted):
                continue
            if spec.kind == "products":
                rows.append(
                    {
                        "key": spec.key,
                        "label": spec.label,
                        "products": product_rows(data.get(spec.key)),
                        "public": False,
                    }
                )
                continue
            if (
                not spec.is_required(data)
                and data.get(spec.key) in (None, "", [])
                and spec.key != "public_opinion_features"
            ):
                continue
            rows.append(
                {
                    "key": spec.key,
                    "label": spec.label,
                    "value": display_value(spec, data.get(spec.key)),
                    "public": spec.public,
                }
            )
        if rows:
            sections.append({"step": step, "label": label, "rows": rows})
    return sections


def describe(problems: Mapping[str, list[str]]) -> list[dict[str, Any]]:
    """Problems as rows with the step that fixes each."""
    return [
        {"key": key, "label": item_label(key), "messages": messages, "step": step_of(key)}
        for key, messages in problems.items()
    ]


def step_status(data: Mapping[str, Any], attachments: Mapping[str, Any], *, current: str) -> list[dict[str, Any]]:
    problems = missing_and_invalid(data)
    steps_with_problems = {step_of(key) for key in problems}
    if any(kind.value not in attachments for kind in REQUIRED_ATTACHMENTS):
        steps_with_problems.add("documents")
    return [
        {
            "name": name,
            "label": label,
            "number": index + 1,
            "current": name == current,
            "complete": name not in steps_with_problems,
            "state": _("complete") if name not in steps_with_problems else _("to do"),
        }
        for index, (name, label) in enumerate(STEPS)
    ]
