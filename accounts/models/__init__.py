from accounts.models.audit import AuditEvent
from accounts.models.files import StoredFile, private_storage
from accounts.models.idempotency import IdempotencyKey
from accounts.models.notifications import Notification
from accounts.models.offices import RegulatorOffice
from accounts.models.organizations import (
    AttachmentKind,
    EntityType,
    IdType,
    Invitation,
    Organization,
    OrganizationAttachment,
    OrganizationChange,
)
from accounts.models.permissions import OrganizationGroupObjectPermission, OrganizationUserObjectPermission
from accounts.models.ratelimit import RateCounter
from accounts.models.users import User
from accounts.workflow import ChangeStatus, OrganizationStatus

__all__ = [
    "AttachmentKind",
    "AuditEvent",
    "ChangeStatus",
    "EntityType",
    "IdType",
    "IdempotencyKey",
    "Invitation",
    "Notification",
    "Organization",
    "OrganizationAttachment",
    "OrganizationChange",
    "OrganizationGroupObjectPermission",
    "OrganizationStatus",
    "OrganizationUserObjectPermission",
    "RateCounter",
    "RegulatorOffice",
    "StoredFile",
    "User",
    "private_storage",
]
