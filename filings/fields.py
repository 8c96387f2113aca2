"""The filing form as data: every field's step, type, rules, whether it is public, and whether a
change to it is material. The wizard, the API, validation, the preview and the diff all read it."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.workflow import (
    AlgorithmType,
    Audience,
    ContentCategory,
    DataImportance,
    Intervention,
    Modality,
    PublicOpinionFeature,
    Role,
    ServiceForm,
    ServiceStatus,
)

Data = Mapping[str, Any]

STEPS: tuple[tuple[str, Promise], ...] = (
    ("basic", gettext_lazy("Basic attributes")),
    ("detail", gettext_lazy("Detailed attributes")),
    ("service", gettext_lazy("Products and functions")),
    ("tiering", gettext_lazy("Classification factors")),
    ("disclosure", gettext_lazy("Public disclosure")),
    ("documents", gettext_lazy("Documents and commitment")),
)
STEP_NAMES = tuple(name for name, _label in STEPS)
YES_NO = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No")))


def _is(key: str, value: str) -> Callable[[Data], bool]:
    return lambda data: data.get(key) == value


@dataclass(frozen=True)
class FieldSpec:
    key: str
    step: str
    label: Promise
    kind: str  # text | longtext | choice | multichoice | date | integer | yesno | products
    choices: type[models.TextChoices] | tuple[tuple[str, Promise], ...] | None = None
    max_length: int = 0
    required: bool | Callable[[Data], bool] = True
    material: bool = False
    public: bool = False
    help: Promise | str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def is_required(self, data: Data) -> bool:
        return self.required(data) if callable(self.required) else self.required

    def choice_values(self) -> list[tuple[str, Any]]:
        if self.choices is None:
            return []
        if isinstance(self.choices, tuple):
            return list(self.choices)
        return list(self.choices.choices)


F = FieldSpec
FIELDS: tuple[FieldSpec, ...] = (
    F("name", "basic", gettext_lazy("Algorithm name"), "text", max_length=100, material=True),
    F("algorithm_type", "basic", gettext_lazy("Algorithm type"), "choice", AlgorithmType, material=True),
    F(
        "filtering",
        "basic",
        gettext_lazy("Content filtering"),
        "yesno",
        YES_NO,
        required=_is("algorithm_type", AlgorithmType.RETRIEVAL_FILTERING),
        material=True,
        help=gettext_lazy(
            "For retrieval and filtering: yes if it filters content (category 05), no for retrieval (04)."
        ),
    ),
    F("role", "basic", gettext_lazy("Filing role"), "choice", Role, material=True),
    F(
        "launch_date",
        "basic",
        gettext_lazy("Launch date"),
        "date",
        help=gettext_lazy("The day the service started; the filing is due 10 working days later."),
    ),
    F("application_field", "basic", gettext_lazy("Application field"), "text", max_length=200),
    F("introduction", "detail", gettext_lazy("Introduction"), "longtext", max_length=4000),
    F("scenarios", "detail", gettext_lazy("Usage scenarios"), "longtext", max_length=4000),
    F("input_modalities", "detail", gettext_lazy("Input modalities"), "multichoice", Modality, material=True),
    F("output_modalities", "detail", gettext_lazy("Output modalities"), "multichoice", Modality, material=True),
    F(
        "models_and_datasets",
        "detail",
        gettext_lazy("Models and training datasets"),
        "longtext",
        max_length=8000,
        material=True,
    ),
    F("strategy", "detail", gettext_lazy("Algorithm strategy"), "longtext", max_length=8000, material=True),
    F(
        "risks_and_safeguards",
        "detail",
        gettext_lazy("Risks and safeguards"),
        "longtext",
        max_length=8000,
        material=True,
    ),
    F(
        "products",
        "service",
        gettext_lazy("Products and functions"),
        "products",
        required=_is("role", Role.SERVICE_PROVIDER),
        material=True,
    ),
    F(
        "technical_service_mode",
        "service",
        gettext_lazy("Technical service mode"),
        "longtext",
        max_length=4000,
        required=_is("role", Role.TECHNICAL_SUPPORTER),
        material=True,
        help=gettext_lazy("How the technical service is delivered to the providers who use it, e.g. an API."),
    ),
    F(
        "public_opinion_features",
        "tiering",
        gettext_lazy("Public-opinion features"),
        "multichoice",
        PublicOpinionFeature,
        required=False,
        material=True,
        help=gettext_lazy("Services or features listed in Art. 2 of the 2018 security-assessment provisions."),
    ),
    F(
        "public_opinion",
        "tiering",
        gettext_lazy("Has public-opinion attributes or social-mobilisation capability"),
        "yesno",
        YES_NO,
        material=True,
    ),
    F(
        "public_opinion_note",
        "tiering",
        gettext_lazy("Why the answer differs from the features"),
        "longtext",
        max_length=2000,
        required=lambda data: public_opinion_disputed(data),
    ),
    F("content_category", "tiering", gettext_lazy("Content category"), "choice", ContentCategory, material=True),
    F(
        "monthly_active_users",
        "tiering",
        gettext_lazy("Monthly active users of this service"),
        "integer",
        # Reporting new user figures is a non-material change (fast-tracked); if the figure raises the
        # tier, the filing is then reviewed at the new tier (a tier-up re-assessment).
        material=False,
        help=gettext_lazy("This service's own figure; it drives the tier. The organisation's figure is informational."),
    ),
    F(
        "data_importance",
        "tiering",
        gettext_lazy("Importance of the data processed"),
        "choice",
        DataImportance,
        material=True,
    ),
    F(
        "intervention_level",
        "tiering",
        gettext_lazy("Degree of intervention in user behaviour"),
        "choice",
        Intervention,
        material=True,
    ),
    F(
        "disclosure_principle",
        "disclosure",
        gettext_lazy("Basic principle"),
        "longtext",
        max_length=2000,
        public=True,
        material=True,
    ),
    F(
        "disclosure_mechanism",
        "disclosure",
        gettext_lazy("Operating mechanism"),
        "longtext",
        max_length=2000,
        public=True,
        material=True,
    ),
    F(
        "disclosure_scenarios",
        "disclosure",
        gettext_lazy("Application scenarios"),
        "longtext",
        max_length=2000,
        public=True,
        material=True,
    ),
    F(
        "disclosure_purpose",
        "disclosure",
        gettext_lazy("Purpose"),
        "longtext",
        max_length=2000,
        public=True,
        material=True,
    ),
    F(
        "commitment_confirmed",
        "documents",
        gettext_lazy("I confirm that the information is true and complete and that the signed commitment is attached"),
        "yesno",
        YES_NO,
    ),
)
BY_KEY = {spec.key: spec for spec in FIELDS}
PUBLIC_KEYS = tuple(spec.key for spec in FIELDS if spec.public)

PRODUCT_FIELDS: tuple[FieldSpec, ...] = (
    F("name", "service", gettext_lazy("Product name"), "text", max_length=100, material=True),
    F("service_form", "service", gettext_lazy("Service form"), "choice", ServiceForm, material=True),
    F("url", "service", gettext_lazy("Address"), "text", max_length=300, required=False, material=True),
    F("service_status", "service", gettext_lazy("Service status"), "choice", ServiceStatus),
    F("audience", "service", gettext_lazy("Audience"), "choice", Audience, material=True),
    F(
        "real_name_required",
        "service",
        gettext_lazy("Real-name authentication required"),
        "yesno",
        YES_NO,
        material=True,
    ),
    F("prior_licence", "service", gettext_lazy("Prior licence"), "text", max_length=200, required=False),
    F("access_path", "service", gettext_lazy("Access path to the algorithm feature"), "text", max_length=300),
    F(
        "functions",
        "service",
        gettext_lazy("Functions"),
        "longtext",
        max_length=4000,
        material=True,
        help=gettext_lazy("One function per line: its name, a colon, then what it does."),
    ),
)
PRODUCT_BY_KEY = {spec.key: spec for spec in PRODUCT_FIELDS}

OPINION_FORMS = frozenset({ServiceForm.PUBLIC_ACCOUNT, ServiceForm.MINI_PROGRAM})


def derived_public_opinion(data: Data) -> bool:
    """Whether the 2018 provisions' Art. 2 list says the service has public-opinion attributes."""
    features = data.get("public_opinion_features") or []
    forms = {p.get("service_form") for p in (data.get("products") or []) if isinstance(p, dict)}
    return bool(features) or bool(forms & OPINION_FORMS)


def public_opinion_disputed(data: Data) -> bool:
    answer = data.get("public_opinion")
    return answer in {"yes", "no"} and (answer == "yes") != derived_public_opinion(data)


# --- cleaning ------------------------------------------------------------------------------------


def _text(spec: FieldSpec, raw: Any) -> str:
    value = str(raw if raw is not None else "").strip()
    if spec.max_length and len(value) > spec.max_length:
        raise ValidationError(
            _("At most %(limit)d characters (this has %(count)d).") % {"limit": spec.max_length, "count": len(value)}
        )
    return value


def _choice(spec: FieldSpec, raw: Any) -> str:
    value = str(raw or "").strip()
    allowed = [v for v, _label in spec.choice_values()]
    if value and value not in allowed:
        raise ValidationError(_("“%(value)s” is not one of the available choices.") % {"value": value})
    return value


def _multichoice(spec: FieldSpec, raw: Any) -> list[str]:
    values = raw if isinstance(raw, list | tuple) else ([raw] if raw else [])
    allowed = {v for v, _label in spec.choice_values()}
    bad = [str(v) for v in values if v not in allowed]
    if bad:
        raise ValidationError(_("“%(value)s” is not one of the available choices.") % {"value": ", ".join(bad)})
    return sorted(set(values), key=[v for v, _label in spec.choice_values()].index)


def _date(spec: FieldSpec, raw: Any) -> str:
    value = str(raw or "").strip()
    if not value:
        return ""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD.")) from None
    if day.year < 2000 or day.year > 2100:
        raise ValidationError(_("Enter a date between 2000 and 2100."))
    return day.isoformat()


def _integer(spec: FieldSpec, raw: Any) -> int | str:
    if raw in (None, ""):
        return ""
    try:
        number = int(str(raw).replace(",", "").replace("，", "").strip())
    except ValueError:
        raise ValidationError(_("Enter a whole number.")) from None
    if number < 0:
        raise ValidationError(_("The number cannot be negative."))
    return number


def _yesno(spec: FieldSpec, raw: Any) -> str:
    if raw is True:
        return "yes"
    if raw is False:
        return "no"
    return _choice(spec, raw)


def _url(value: str) -> None:
    if value and re.match(r"^[a-z]+://", value, re.IGNORECASE):
        URLValidator(message=_("Enter a valid web address."))(value)


def parse_functions(text: str) -> list[dict[str, str]]:
    """``名称：介绍`` per line (a full-width or ASCII colon) into {name, description} rows."""
    rows = []
    for line in str(text or "").splitlines():
        if not line.strip():
            continue
        parts = re.split(r"[:：]", line, maxsplit=1)
        rows.append({"name": parts[0].strip(), "description": parts[1].strip() if len(parts) > 1 else ""})
    return rows


def _product(raw: Any) -> dict[str, Any]:
    source = raw if isinstance(raw, dict) else {}
    product: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in PRODUCT_FIELDS:
        value = source.get(spec.key, "")
        if spec.key == "functions" and isinstance(value, list):
            value = "\n".join(f"{f.get('name', '')}：{f.get('description', '')}" for f in value if isinstance(f, dict))
        try:
            product[spec.key] = CLEANERS[spec.kind](spec, value)
            if spec.key == "url":
                _url(product["url"])
        except ValidationError as exc:
            product[spec.key] = value
            errors[spec.key] = list(exc.messages)
    if errors:
        raise _ProductInvalid(product, errors)
    return product


class _ProductInvalid(Exception):
    def __init__(self, product: dict[str, Any], errors: dict[str, list[str]]) -> None:
        super().__init__("invalid product")
        self.product = product
        self.errors = errors


CLEANERS: dict[str, Callable[[FieldSpec, Any], Any]] = {
    "text": _text,
    "longtext": _text,
    "choice": _choice,
    "multichoice": _multichoice,
    "date": _date,
    "integer": _integer,
    "yesno": _yesno,
}


def clean_fields(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Clean the given fields. Returns (values, errors); an invalid value is kept as typed."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, value in raw.items():
        spec = BY_KEY.get(key)
        if spec is None:
            errors[key] = [_("This item cannot be set here.")]
            continue
        if spec.kind == "products":
            values[key], product_errors = _clean_products(value)
            errors.update(product_errors)
            continue
        try:
            values[key] = CLEANERS[spec.kind](spec, value)
        except ValidationError as exc:
            values[key] = value
            errors[key] = list(exc.messages)
    return values, errors


def _clean_products(raw: Any) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    if not isinstance(raw, list):
        return [], {"products": [_("Products must be a list.")]}
    products, errors = [], {}
    for index, item in enumerate(raw):
        try:
            products.append(_product(item))
        except _ProductInvalid as exc:
            products.append(exc.product)
            for key, messages in exc.errors.items():
                errors[f"products.{index}.{key}"] = messages
    return products, errors


def missing_and_invalid(data: Data, *, steps: tuple[str, ...] = STEP_NAMES) -> dict[str, list[str]]:
    """Every problem of ``data`` in ``steps``: invalid values and required items left empty."""
    problems: dict[str, list[str]] = {}
    present = {key: value for key, value in data.items() if key in BY_KEY}
    _values, errors = clean_fields(present)
    for spec in FIELDS:
        if spec.step not in steps:
            continue
        if spec.key in errors:
            problems[spec.key] = errors[spec.key]
            continue
        value = data.get(spec.key)
        if spec.is_required(data) and value in (None, "", [], {}):
            problems[spec.key] = [_("%(item)s is required.") % {"item": spec.label}]
    if "service" in steps:
        problems.update({k: v for k, v in errors.items() if k.startswith("products.")})
        problems.update(_product_requirements(data))
    if "documents" in steps and data.get("commitment_confirmed") not in (None, "", "yes"):
        problems["commitment_confirmed"] = [_("The commitment must be confirmed to submit.")]
    return problems


def _product_requirements(data: Data) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if data.get("role") != Role.SERVICE_PROVIDER:
        return problems
    for index, product in enumerate(data.get("products") or []):
        if not isinstance(product, dict):
            continue
        for spec in PRODUCT_FIELDS:
            key = f"products.{index}.{spec.key}"
            if spec.is_required(product) and product.get(spec.key) in (None, "", []) and key not in problems:
                problems[key] = [_("%(item)s is required.") % {"item": spec.label}]
        functions = parse_functions(product.get("functions", ""))
        if product.get("functions") and any(not f["name"] or not f["description"] for f in functions):
            problems[f"products.{index}.functions"] = [_("Each line needs a function name, a colon and a description.")]
    return problems


def item_label(key: str) -> str:
    """A label for an error key: ``products.0.url`` -> ``Product 1: Address``."""
    if key in BY_KEY:
        return str(BY_KEY[key].label)
    match = re.fullmatch(r"products\.(\d+)\.(\w+)", key)
    if match and match.group(2) in PRODUCT_BY_KEY:
        return _("Product %(n)s: %(field)s") % {
            "n": int(match.group(1)) + 1,
            "field": PRODUCT_BY_KEY[match.group(2)].label,
        }
    if key.startswith("attachments."):
        from filings.workflow import AttachmentKind

        kind = key.split(".", 1)[1]
        return str(AttachmentKind(kind).label) if kind in AttachmentKind.values else kind
    return ""


def step_of(key: str) -> str:
    if key in BY_KEY:
        return BY_KEY[key].step
    if key.startswith("products."):
        return "service"
    if key.startswith("attachments."):
        return "documents"
    return "basic"
