"""Wizard forms, built from the field policy. They accept anything typed (the draft keeps it);
the service validates and its errors are shown beside the fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import StyledForm
from filings.fields import BY_KEY, FIELDS, PRODUCT_FIELDS, FieldSpec

LONG_TEXT_ROWS = 4


def _form_field(spec: FieldSpec) -> forms.Field:
    common: dict[str, Any] = {"label": spec.label, "required": False, "help_text": spec.help}
    if spec.kind == "multichoice":
        return forms.MultipleChoiceField(choices=spec.choice_values(), widget=forms.CheckboxSelectMultiple, **common)
    if spec.kind in ("choice", "yesno"):
        # A free CharField behind a select: a value that is no longer a choice is kept and reported.
        field = forms.CharField(widget=forms.Select(choices=[("", "—"), *spec.choice_values()]), **common)
        return field
    if spec.kind == "longtext":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": LONG_TEXT_ROWS}), strip=False, **common)
    if spec.kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(**common)


class StepForm(StyledForm):
    """One step's fields; ``fields_for`` builds the class for a step."""

    step = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"
            spec = BY_KEY.get(name)
            if spec is not None and spec.public:
                field.widget.attrs["data-public"] = "true"

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields if name in BY_KEY}


_STEP_FORMS: dict[str, type[StepForm]] = {}


def step_form_class(step: str) -> type[StepForm]:
    if step not in _STEP_FORMS:
        attrs: dict[str, Any] = {
            spec.key: _form_field(spec) for spec in FIELDS if spec.step == step and spec.kind != "products"
        }
        attrs["step"] = step
        _STEP_FORMS[step] = type(f"{step.title()}StepForm", (StepForm,), attrs)
    return _STEP_FORMS[step]


class ProductForm(StyledForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in PRODUCT_FIELDS:
            self.fields[spec.key] = _form_field(spec)
        self.fields["DELETE"] = forms.BooleanField(label=_("Remove this product"), required=False)
        self._style()

    def is_empty(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(spec.key) for spec in PRODUCT_FIELDS)


ProductFormSet = forms.formset_factory(ProductForm, extra=0, can_delete=False)


def products_from(formset: forms.BaseFormSet[ProductForm]) -> list[dict[str, Any]]:
    """The products typed, in order, without removed and blank ones."""
    products = []
    for form in formset.forms:
        if not form.is_valid() or form.cleaned_data.get("DELETE") or form.is_empty():
            continue
        products.append({spec.key: form.cleaned_data.get(spec.key) or "" for spec in PRODUCT_FIELDS})
    return products


class ChangeOpenForm(StyledForm):
    change_date = forms.CharField(label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label=_("Summary of the change"), widget=forms.Textarea(attrs={"rows": 3}))


class CancellationForm(StyledForm):
    termination_date = forms.CharField(
        label=_("Date the service ended"), widget=forms.DateInput(attrs={"type": "date"})
    )
    arrangements = forms.CharField(
        label=_("Arrangements made"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done for users and their data when the service ended."),
    )


class ServiceEndForm(StyledForm):
    end_date = forms.CharField(label=_("Date the service ends"), widget=forms.DateInput(attrs={"type": "date"}))


class ReassessmentForm(StyledForm):
    report = forms.FileField(label=_("Updated self-assessment report"), required=False, help_text=_("A PDF file."))
    statement = forms.CharField(
        label=_("What changed since the last assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObjectionForm(StyledForm):
    text = forms.CharField(
        label=_("Your objection"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 4000}),
        help_text=_("What is wrong or untrue in this filing, and how you know."),
    )
    contact = forms.CharField(
        label=_("E-mail or telephone"), required=False, max_length=200, help_text=_("So that the office can reply.")
    )
    name = forms.CharField(label=_("Your name (optional)"), required=False, max_length=100)


class FilingDocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from filings.workflow import DRAFT_ATTACHMENT_KINDS

        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k.value, k.label) for k in DRAFT_ATTACHMENT_KINDS]
