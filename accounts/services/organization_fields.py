"""Validation of an organisation's fields, shared by the web form, the API and change requests."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from accounts.errors import ValidationFailed
from accounts.models import AttachmentKind, EntityType, IdType, Organization
from accounts.validators import (
    validate_division_code,
    validate_id_number,
    validate_mobile,
    validate_uscc,
)

ORGANIZATION_FIELDS: tuple[str, ...] = (
    "name",
    "uscc",
    "entity_type",
    "registered_division_code",
    "address",
    "website",
    "monthly_active_users",
    "legal_rep_name",
    "legal_rep_id_type",
    "legal_rep_id_number",
    "security_officer_name",
    "security_officer_id_type",
    "security_officer_id_number",
    "security_officer_mobile",
    "security_officer_email",
    "claim_number",
)
# Each ID number is checked against the ID type beside it.
ID_NUMBER_FIELDS: dict[str, str] = {
    "legal_rep_id_number": "legal_rep_id_type",
    "security_officer_id_number": "security_officer_id_type",
}
OPTIONAL_FOR_SUBMISSION = frozenset({"website", "claim_number"})
# What an approved organisation may change through a reviewed change request.
CHANGEABLE_FIELDS: tuple[str, ...] = tuple(
    f for f in ORGANIZATION_FIELDS if f not in {"uscc", "entity_type", "registered_division_code", "claim_number"}
)
MAX_LENGTHS = {
    "name": 200,
    "address": 300,
    "website": 300,
    "legal_rep_name": 100,
    "security_officer_name": 100,
}


def field_label(field: str) -> str:
    return str(Organization._meta.get_field(field).verbose_name)


def _clean_text(field: str, value: Any) -> str:
    text = str(value or "").strip()
    limit = MAX_LENGTHS.get(field)
    if limit and len(text) > limit:
        raise ValidationError(
            _("At most %(limit)d characters (this has %(count)d).") % {"limit": limit, "count": len(text)}
        )
    return text


def _clean_choice(choices: list[str]) -> Callable[[str, Any], str]:
    def clean(field: str, value: Any) -> str:
        text = str(value or "").strip()
        if text and text not in choices:
            raise ValidationError(_("“%(value)s” is not one of the available choices.") % {"value": text})
        return text

    return clean


def _clean_optional(validator: Callable[[str], str]) -> Callable[[str, Any], str]:
    def clean(field: str, value: Any) -> str:
        text = str(value or "").strip()
        return validator(text) if text else ""

    return clean


def _clean_url(field: str, value: Any) -> str:
    text = _clean_text(field, value)
    if text:
        URLValidator(schemes=["http", "https"], message=_("Enter a web address starting with http:// or https://."))(
            text
        )
    return text


def _clean_email(field: str, value: Any) -> str:
    text = str(value or "").strip()
    if text:
        EmailValidator(message=_("Enter a valid e-mail address."))(text)
    return text


def _clean_users(field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).replace(",", "").strip())
    except ValueError:
        raise ValidationError(_("Enter a whole number.")) from None
    if number < 0:
        raise ValidationError(_("The number of users cannot be negative."))
    return number


def _clean_claim_number(field: str, value: Any) -> str:
    """A filing number as CAC published it (the entity is looked up by the service)."""
    text = "".join(str(value or "").split())
    if text and not re.fullmatch(r"网信算备\d{21}号", text):
        raise ValidationError(_("Enter the filing number as published: 网信算备, 21 digits and 号."))
    return text


CLEANERS: dict[str, Callable[[str, Any], Any]] = {
    "name": _clean_text,
    "uscc": _clean_optional(validate_uscc),
    "entity_type": _clean_choice(EntityType.values),
    "registered_division_code": _clean_optional(validate_division_code),
    "address": _clean_text,
    "website": _clean_url,
    "monthly_active_users": _clean_users,
    "legal_rep_name": _clean_text,
    "legal_rep_id_type": _clean_choice(IdType.values),
    "security_officer_name": _clean_text,
    "security_officer_id_type": _clean_choice(IdType.values),
    "security_officer_mobile": _clean_optional(validate_mobile),
    "security_officer_email": _clean_email,
    "claim_number": _clean_claim_number,
}


def clean_organization_data(
    data: Mapping[str, Any], *, current: Organization | None = None, allowed: tuple[str, ...] = ORGANIZATION_FIELDS
) -> dict[str, Any]:
    """Validate the fields present in ``data``; absent fields are left as they are.

    Raises ValidationFailed listing every invalid field at once.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, value in data.items():
        if field not in allowed:
            errors[field] = [_("This item cannot be set here.")]
            continue
        try:
            if field in ID_NUMBER_FIELDS:
                cleaned[field] = _clean_id_number(field, value, data, current)
            else:
                cleaned[field] = CLEANERS[field](field, value)
        except ValidationError as exc:
            errors[field] = list(exc.messages)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _clean_id_number(field: str, value: Any, data: Mapping[str, Any], current: Organization | None) -> str:
    text = str(value or "").strip()
    if not text:
        return ""
    type_field = ID_NUMBER_FIELDS[field]
    id_type = data.get(type_field) or (getattr(current, type_field) if current else "") or IdType.RESIDENT_ID
    return validate_id_number(str(id_type), text)


def organization_missing_items(organization: Organization, *, attachment_kinds: set[str]) -> dict[str, list[str]]:
    """Every item that stops this organisation from being submitted, keyed by field."""
    missing: dict[str, list[str]] = {}
    for field in ORGANIZATION_FIELDS:
        value = getattr(organization, field)
        if value in ("", None):
            if field not in OPTIONAL_FOR_SUBMISSION:
                missing[field] = [_("%(item)s is required.") % {"item": field_label(field)}]
            continue
        try:
            clean_organization_data({field: value}, current=organization)
        except ValidationFailed as exc:
            missing.update(exc.errors)
    for kind in AttachmentKind:
        if kind.value not in attachment_kinds:
            missing[f"attachments.{kind.value}"] = [_("Upload the %(document)s.") % {"document": kind.label}]
    return missing


def item_label(key: str) -> str:
    """A human label for an error key: a field, a document, or nothing for general errors."""
    if key in ORGANIZATION_FIELDS:
        return field_label(key)
    if key.startswith("attachments."):
        kind = key.split(".", 1)[1]
        return str(AttachmentKind(kind).label) if kind in AttachmentKind.values else kind
    return ""


def describe_items(errors: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Errors or reasons keyed by item, as rows for a template: label, messages, anchor to fix it."""
    rows = []
    for key, value in errors.items():
        messages = value if isinstance(value, list) else [value]
        anchor = "documents" if key.startswith("attachments.") else f"id_{key}"
        rows.append({"key": key, "label": item_label(key), "messages": messages, "anchor": anchor})
    return rows
