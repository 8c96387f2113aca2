"""Comparing and fingerprinting versions: the field-level diff and the content hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from filings.fields import BY_KEY, FIELDS, PRODUCT_BY_KEY, PRODUCT_FIELDS


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """One entry per comparable field: ``products.0.service_form`` for the products' fields."""
    flat: dict[str, Any] = {}
    for spec in FIELDS:
        value = data.get(spec.key)
        if spec.kind == "products":
            for index, product in enumerate(value or []):
                if not isinstance(product, dict):
                    continue
                for product_spec in PRODUCT_FIELDS:
                    flat[f"products.{index}.{product_spec.key}"] = product.get(product_spec.key, "")
        elif isinstance(value, list):
            flat[spec.key] = list(value)
        else:
            flat[spec.key] = "" if value is None else value
    return flat


def is_material(key: str) -> bool:
    if key in BY_KEY:
        return BY_KEY[key].material
    sub = key.rsplit(".", 1)[-1]
    spec = PRODUCT_BY_KEY.get(sub)
    return spec.material if spec else True


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Changed fields in form order, each marked material or not by the field policy."""
    old, new = flatten(before), flatten(after)
    # flatten() follows the form's order; fields only in the older version (removed products) go last.
    keys = list(new) + [k for k in old if k not in new]
    changes = []
    for key in keys:
        if old.get(key) != new.get(key):
            changes.append({"field": key, "before": old.get(key), "after": new.get(key), "material": is_material(key)})
    return changes


def content_hash(data: Mapping[str, Any], attachments: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the content and of the documents' own SHA-256."""
    documents = {kind: meta.get("sha256") for kind, meta in sorted(attachments.items())}
    canonical = json.dumps(
        {"data": data, "documents": documents}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()
