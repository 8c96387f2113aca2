from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import StyledForm
from accounts.services.organization_fields import ORGANIZATION_FIELDS, field_label
from filings.fields import FIELDS
from filings.workflow import AttachmentKind
from supervision.models import Decision, ReviewTask, SubjectType
from supervision.workflow import DECISION_LABELS, allowed_decisions


class DecisionForm(StyledForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning or rejecting; the provider sees them."),
    )

    def __init__(self, *args: Any, task: ReviewTask, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = allowed_decisions(task)
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        labels = {**dict(Decision.choices), **DECISION_LABELS.get(task.subject_type, {})}
        decision.choices = [(value, labels[value]) for value, _label in Decision.choices if value in allowed]
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        self.item_fields: list[str] = []
        items: list[tuple[str, Any]] = []
        if task.subject_type == SubjectType.ORGANIZATION:
            items = [(name, field_label(name)) for name in ORGANIZATION_FIELDS]
        elif task.subject_type in (SubjectType.FILING, SubjectType.CHANGE):
            items = [(spec.key, spec.label) for spec in FIELDS]
            items += [(f"attachments.{value}", label) for value, label in AttachmentKind.choices]
        for name, label in items:
            key = f"item_{name}"
            self.fields[key] = forms.CharField(label=label, required=False, max_length=500)
            self.fields[key].widget.attrs["class"] = "form-control form-control-sm"
            self.item_fields.append(key)

    def item_reasons(self) -> dict[str, str]:
        return {
            key.removeprefix("item_"): self.cleaned_data[key] for key in self.item_fields if self.cleaned_data.get(key)
        }

    def item_bound_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.item_fields]
