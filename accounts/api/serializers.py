"""API shapes. Input serializers check types only; services check meaning."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from accounts.models import (
    AttachmentKind,
    EntityType,
    IdType,
    Invitation,
    Organization,
    OrganizationAttachment,
    OrganizationChange,
    OrganizationStatus,
)
from accounts.services.changes import masked_change_values
from accounts.validators import mask_id_number

# Model field -> API field (dotted for the nested person objects of the contract).
API_FIELD_NAMES: dict[str, str] = {
    "legal_rep_name": "legal_representative.name",
    "legal_rep_id_type": "legal_representative.id_type",
    "legal_rep_id_number": "legal_representative.id_number",
    "security_officer_name": "security_officer.name",
    "security_officer_id_type": "security_officer.id_type",
    "security_officer_id_number": "security_officer.id_number",
    "security_officer_mobile": "security_officer.mobile",
    "security_officer_email": "security_officer.email",
}
_NESTED = {"legal_representative": "legal_rep_", "security_officer": "security_officer_"}


def api_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {API_FIELD_NAMES.get(field, field): messages for field, messages in errors.items()}


class TokenInputSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenOutputSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()


class OfficeRefSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    name = serializers.CharField()


class OrganizationRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=OrganizationStatus.choices)


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    organization = OrganizationRefSerializer(allow_null=True)
    office = OfficeRefSerializer(allow_null=True)
    email_verified = serializers.BooleanField()
    language = serializers.CharField()


class LegalRepresentativeInput(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    id_type = serializers.ChoiceField(choices=IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=32)


class SecurityOfficerInput(LegalRepresentativeInput):
    mobile = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.CharField(required=False, allow_blank=True, max_length=254)


class OrganizationInputSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    uscc = serializers.CharField(required=False, allow_blank=True, max_length=32)
    entity_type = serializers.ChoiceField(choices=EntityType.choices, required=False, allow_blank=True)
    registered_division_code = serializers.CharField(required=False, allow_blank=True, max_length=12)
    address = serializers.CharField(required=False, allow_blank=True, max_length=300)
    website = serializers.CharField(required=False, allow_blank=True, max_length=300)
    monthly_active_users = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    legal_representative = LegalRepresentativeInput(required=False)
    security_officer = SecurityOfficerInput(required=False)
    claim_number = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        help_text="A filing number CAC published for this entity before the system existed: the registration, "
        "once approved, takes over that entity, its entity ID and its filings.",
    )
    version = serializers.IntegerField(required=False, help_text="The version as read, for the optimistic check.")

    def to_model_data(self) -> dict[str, Any]:
        """Flatten the nested persons into model field names; omitted fields stay omitted."""
        data = dict(self.validated_data)
        data.pop("version", None)
        for nested, prefix in _NESTED.items():
            for key, value in (data.pop(nested, None) or {}).items():
                data[f"{prefix}{key}"] = value
        return data


class AttachmentSerializer(serializers.ModelSerializer[OrganizationAttachment]):
    filename = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = OrganizationAttachment
        fields = ["id", "kind", "filename", "size", "sha256", "content_type", "created_at", "download_url"]

    def get_download_url(self, obj: OrganizationAttachment) -> str:
        return reverse("accounts:attachment_download", args=[obj.organization_id, obj.pk])


class AttachmentInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AttachmentKind.choices)
    file = serializers.FileField()


def _person(org: Organization, prefix: str, *, contact: bool) -> dict[str, Any]:
    person = {
        "name": getattr(org, f"{prefix}name"),
        "id_type": getattr(org, f"{prefix}id_type"),
        "id_number": mask_id_number(getattr(org, f"{prefix}id_number")),
    }
    if contact:
        person["mobile"] = getattr(org, f"{prefix}mobile")
        person["email"] = getattr(org, f"{prefix}email")
    return person


def organization_payload(org: Organization, attachments: dict[str, OrganizationAttachment]) -> dict[str, Any]:
    """An organisation as the API shows it: ID numbers are always masked."""
    office = org.office
    return {
        "id": org.pk,
        "name": org.name,
        "uscc": org.uscc,
        "entity_type": org.entity_type,
        "registered_division_code": org.registered_division_code,
        "province_code": org.province_code,
        "office": {"code": office.code, "name": office.name} if office else None,
        "address": org.address,
        "website": org.website,
        "monthly_active_users": org.monthly_active_users,
        "legal_representative": _person(org, "legal_rep_", contact=False),
        "security_officer": _person(org, "security_officer_", contact=True),
        "status": org.status,
        "entity_id": org.entity_id,
        "claim_number": org.claim_number,
        "version": org.version,
        "return_reasons": org.return_reasons,
        "return_item_reasons": {API_FIELD_NAMES.get(k, k): v for k, v in org.return_item_reasons.items()},
        "attachments": list(attachments.values()),
        "created_at": org.created_at,
        "submitted_at": org.submitted_at,
        "approved_at": org.approved_at,
    }


class PersonOutput(serializers.Serializer[Any]):
    name = serializers.CharField()
    id_type = serializers.CharField()
    id_number = serializers.CharField(help_text="Masked, e.g. 1101**********1234.")


class ContactOutput(PersonOutput):
    mobile = serializers.CharField()
    email = serializers.CharField()


class OrganizationOutputSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    uscc = serializers.CharField()
    entity_type = serializers.CharField()
    registered_division_code = serializers.CharField()
    province_code = serializers.CharField(help_text="2-digit code of the province whose office reviews it.")
    office = OfficeRefSerializer(allow_null=True)
    address = serializers.CharField()
    website = serializers.CharField()
    monthly_active_users = serializers.IntegerField(allow_null=True)
    legal_representative = PersonOutput()
    security_officer = ContactOutput()
    status = serializers.ChoiceField(choices=OrganizationStatus.choices)
    entity_id = serializers.CharField(allow_null=True, help_text="7 digits, assigned on approval.")
    claim_number = serializers.CharField(help_text="The published filing number this registration claims, if any.")
    version = serializers.IntegerField()
    return_reasons = serializers.CharField()
    return_item_reasons = serializers.DictField(child=serializers.CharField())
    attachments = AttachmentSerializer(many=True)
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


class OrganizationChangeInputSerializer(OrganizationInputSerializer):
    summary = serializers.CharField(allow_blank=True, max_length=4000)
    change_date = serializers.DateField()

    def to_model_data(self) -> dict[str, Any]:
        data = super().to_model_data()
        data.pop("summary", None)
        data.pop("change_date", None)
        return data


class OrganizationChangeOutputSerializer(serializers.ModelSerializer[OrganizationChange]):
    proposed = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField()

    class Meta:
        model = OrganizationChange
        fields = [
            "id",
            "status",
            "summary",
            "change_date",
            "proposed",
            "previous",
            "version",
            "submitted_at",
            "decided_at",
            "reasons",
        ]

    def get_proposed(self, obj: OrganizationChange) -> dict[str, Any]:
        return {API_FIELD_NAMES.get(k, k): v for k, v in masked_change_values(obj.proposed).items()}

    def get_previous(self, obj: OrganizationChange) -> dict[str, Any]:
        return {API_FIELD_NAMES.get(k, k): v for k, v in masked_change_values(obj.previous).items()}


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "expires_at"]
