"""HTML forms. They collect input; the services validate meaning, and their errors are shown here."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.errors import ValidationFailed
from accounts.models import AttachmentKind, EntityType, IdType, Invitation, Organization
from accounts.services.organization_fields import CHANGEABLE_FIELDS, ID_NUMBER_FIELDS
from accounts.validators import mask_id_number


class BootstrapMixin:
    """Bootstrap classes on every widget, and ``is-invalid`` on fields with errors."""

    def _style(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            # ``_errors`` rather than ``errors``: styling must never trigger validation early.
            errors = getattr(self, "_errors", None)
            if errors and name in errors:
                css += " is-invalid"
            widget.attrs["class"] = css

    def apply_service_errors(self, exc: ValidationFailed) -> None:
        """Show a service's errors on the matching fields, the rest above the form."""
        for field, messages in exc.errors.items():
            target = field if field in self.fields else None  # type: ignore[attr-defined]
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]
        self._style()


class StyledForm(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def full_clean(self) -> None:
        super().full_clean()
        self._style()


class LoginForm(BootstrapMixin, AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()


class SignupForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False)


def _choices(choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


class OrganizationForm(StyledForm):
    """Every field is optional here: a draft may be incomplete; submission lists what is missing."""

    name = forms.CharField(label=_("Entity name"), max_length=200, required=False)
    uscc = forms.CharField(label=_("Unified social credit code"), max_length=32, required=False)
    entity_type = forms.ChoiceField(label=_("Entity type"), choices=_choices(EntityType.choices), required=False)
    registered_division_code = forms.CharField(
        label=_("Registered division code"),
        max_length=12,
        required=False,
        help_text=_("6-digit GB/T 2260 code of the district where the entity is registered, e.g. 110108."),
    )
    address = forms.CharField(label=_("Detailed address"), max_length=300, required=False)
    website = forms.CharField(label=_("Website"), max_length=300, required=False)
    monthly_active_users = forms.CharField(label=_("Monthly active users"), required=False)
    legal_rep_name = forms.CharField(label=_("Legal representative"), max_length=100, required=False)
    legal_rep_id_type = forms.ChoiceField(label=_("ID type"), choices=_choices(IdType.choices), required=False)
    legal_rep_id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    security_officer_name = forms.CharField(label=_("Algorithm security officer"), max_length=100, required=False)
    security_officer_id_type = forms.ChoiceField(label=_("ID type"), choices=_choices(IdType.choices), required=False)
    security_officer_id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    security_officer_mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    security_officer_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    claim_number = forms.CharField(
        label=_("Filing number already published for this entity (optional)"),
        max_length=40,
        required=False,
        help_text=_(
            "If CAC published algorithm filings of this entity before this system, give one of their numbers: "
            "once approved, the registration takes over that entity, its entity ID and its filings."
        ),
    )

    def __init__(self, *args: Any, organization: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        for field in ID_NUMBER_FIELDS:
            stored = getattr(organization, field, "") if organization else ""
            if stored:
                # The stored number is never sent back to the browser; blank keeps it.
                self.fields[field].widget.attrs["placeholder"] = mask_id_number(stored)
                self.fields[field].help_text = _("Leave blank to keep the stored number.")

    @classmethod
    def initial_for(cls, organization: Organization) -> dict[str, Any]:
        return {
            name: getattr(organization, name) if getattr(organization, name) is not None else ""
            for name in cls.base_fields
            if name not in ID_NUMBER_FIELDS
        }

    def service_data(self, *, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
        """The submitted values for the service; blank ID numbers are left out (kept)."""
        data = {}
        for name in fields or tuple(self.fields):
            value = self.cleaned_data.get(name)
            if name in ID_NUMBER_FIELDS and not value and self.organization is not None:
                continue
            data[name] = value
        return data


class OrganizationChangeForm(OrganizationForm):
    summary = forms.CharField(label=_("Summary of the change"), widget=forms.Textarea(attrs={"rows": 3}))
    change_date = forms.DateField(label=_("Date of the change"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("uscc", "entity_type", "registered_division_code", "claim_number"):
            del self.fields[name]

    def service_data(self, *, fields: tuple[str, ...] | None = None) -> dict[str, Any]:
        return super().service_data(fields=CHANGEABLE_FIELDS)


class AttachmentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Document"), choices=AttachmentKind.choices)
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, JPG or PNG, stamped with the company seal.")
    )


class InvitationForm(StyledForm):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Invitation.Role.choices)


class InvitationSignupForm(StyledForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False)


class LanguageForm(forms.Form):
    language = forms.CharField()
    next = forms.CharField(required=False)
