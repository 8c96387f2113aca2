"""Filing and version statuses, their transitions, and the vocabularies of the filing form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.workflow import Transition


class FilingKind(models.TextChoices):
    """Open for the generative-AI tracks (model filing 备案, registration 登记) to come."""

    ALGORITHM = "algorithm", _("Algorithm filing")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Filed")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not filed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    REVOKED = "revoked", _("Revoked")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CancellationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Accepted")
    REJECTED = "rejected", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReassessmentStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the provider")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Accepted")
    REJECTED = "rejected", _("Refused")
    # The filing ended (cancelled or revoked) before the re-assessment concluded.
    CLOSED = "closed", _("Closed")


class ReassessmentReason(models.TextChoices):
    PERIODIC = "periodic", _("Periodic re-assessment")
    TIER_UP = "tier_up", _("Higher tier")
    REFUSED = "refused", _("The previous re-assessment was refused")


F = FilingStatus
FILING_TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(sources=(F.DRAFT, F.RETURNED), target=F.SUBMITTED),
    "start_review": Transition(sources=(F.SUBMITTED,), target=F.IN_REVIEW),
    "approve": Transition(sources=(F.SUBMITTED, F.IN_REVIEW), target=F.APPROVED),
    "return_for_correction": Transition(sources=(F.SUBMITTED, F.IN_REVIEW), target=F.RETURNED),
    # A filing whose correction is overdue can be refused without waiting for the provider.
    "reject": Transition(sources=(F.SUBMITTED, F.IN_REVIEW, F.RETURNED), target=F.REJECTED),
    "withdraw": Transition(sources=(F.DRAFT, F.SUBMITTED, F.IN_REVIEW, F.RETURNED), target=F.WITHDRAWN),
    "publish": Transition(sources=(F.APPROVED,), target=F.PUBLISHED),
    "cancel": Transition(sources=(F.APPROVED, F.PUBLISHED), target=F.CANCELLED),
    "revoke": Transition(sources=(F.APPROVED, F.PUBLISHED), target=F.REVOKED),
}
# A filing whose number stands: changes and cancellation are filed against it.
FILED_STATUSES = frozenset({F.APPROVED, F.PUBLISHED})
# At most one version of a filing is open: the provider's draft, or what awaits a decision. A returned
# version stays as it was submitted; the correction is a new draft copied from it.
OPEN_VERSION_STATUSES = frozenset({VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.IN_REVIEW})
OPEN_CANCELLATION_STATUSES = frozenset({CancellationStatus.SUBMITTED, CancellationStatus.IN_REVIEW})
OPEN_REASSESSMENT_STATUSES = frozenset(
    {ReassessmentStatus.OPEN, ReassessmentStatus.SUBMITTED, ReassessmentStatus.IN_REVIEW, ReassessmentStatus.RETURNED}
)
# The provider has to act: upload the updated self-assessment (again, after a return).
AWAITING_PROVIDER_REASSESSMENT = frozenset({ReassessmentStatus.OPEN, ReassessmentStatus.RETURNED})


class AlgorithmType(models.TextChoices):
    """The five types of Art. 2 of the Algorithmic Recommendation Provisions."""

    GENERATION_SYNTHESIS = "generation_synthesis", _("Generation and synthesis")
    PERSONALIZED_PUSH = "personalized_push", _("Personalised push")
    SORTING_SELECTION = "sorting_selection", _("Sorting and selection")
    RETRIEVAL_FILTERING = "retrieval_filtering", _("Retrieval and filtering")
    SCHEDULING_DECISION = "scheduling_decision", _("Scheduling and decision-making")


class Role(models.TextChoices):
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    TECHNICAL_SUPPORTER = "technical_supporter", _("Technical supporter")


class Modality(models.TextChoices):
    TEXT = "text", _("Text")
    IMAGE = "image", _("Image")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")
    STRUCTURED_DATA = "structured_data", _("Structured data")
    BEHAVIOUR = "behaviour", _("User behaviour data")
    OTHER = "other", _("Other")


class ServiceForm(models.TextChoices):
    WEBSITE = "website", _("Website")
    APP = "app", _("App")
    MINI_PROGRAM = "mini_program", _("Mini-program")
    PUBLIC_ACCOUNT = "public_account", _("Public account")
    API = "api", _("API")
    DESKTOP = "desktop", _("Desktop application")
    PLUGIN = "plugin", _("Plug-in")


class ServiceStatus(models.TextChoices):
    ONLINE = "online", _("In service")
    TESTING = "testing", _("In testing")
    OFFLINE = "offline", _("Taken offline")


class Audience(models.TextChoices):
    PUBLIC = "public", _("The public")
    ORGANIZATIONS = "organizations", _("Organisations")
    BOTH = "both", _("The public and organisations")


class PublicOpinionFeature(models.TextChoices):
    """Art. 2 of the 2018 provisions on services with public-opinion attributes or mobilisation capability."""

    FORUM = "forum", _("Forum")
    BLOG = "blog", _("Blog")
    MICROBLOG = "microblog", _("Microblog")
    CHAT_ROOM = "chat_room", _("Chat room")
    GROUP_CHAT = "group_chat", _("Group chat")
    PUBLIC_ACCOUNT = "public_account", _("Public account")
    SHORT_VIDEO = "short_video", _("Short video")
    LIVE_STREAMING = "live_streaming", _("Live streaming")
    INFORMATION_SHARING = "information_sharing", _("Information sharing")
    MINI_PROGRAM = "mini_program", _("Mini-program")
    MOBILISATION = "mobilisation", _("Other channel of opinion or mobilisation")


class ContentCategory(models.TextChoices):
    NEWS = "news", _("News and information")
    SOCIAL = "social", _("Social networking")
    AUDIO_VIDEO = "audio_video", _("Audio and video")
    SEARCH = "search", _("Search")
    ECOMMERCE = "ecommerce", _("E-commerce")
    LIFE_SERVICES = "life_services", _("Local and life services")
    FINANCE = "finance", _("Finance")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    GAMES = "games", _("Games and entertainment")
    TOOLS = "tools", _("Tools and productivity")
    OTHER = "other", _("Other")


class DataImportance(models.TextChoices):
    """Data Security Law classes."""

    GENERAL = "general", _("General data")
    IMPORTANT = "important", _("Important data")
    CORE = "core", _("Core data")


class Intervention(models.TextChoices):
    LOW = "low", _("Low: ranks or suggests, the user decides")
    MEDIUM = "medium", _("Medium: selects what the user sees by default")
    HIGH = "high", _("High: decides for the user or steers behaviour")


class AttachmentKind(models.TextChoices):
    SELF_ASSESSMENT_REPORT = "self_assessment_report", _("Algorithm security self-assessment report")
    COMMITMENT = "commitment", _("Signed commitment")
    OTHER = "other", _("Other supporting document")
    # An updated self-assessment answering a re-assessment case: it belongs to the case, not to the
    # filed content, so it never replaces the filed report (see ``current_attachments``).
    REASSESSMENT_REPORT = "reassessment_report", _("Re-assessment self-assessment report")


# What a provider uploads to a draft.
DRAFT_ATTACHMENT_KINDS = (AttachmentKind.SELF_ASSESSMENT_REPORT, AttachmentKind.COMMITMENT, AttachmentKind.OTHER)
REQUIRED_ATTACHMENTS = (AttachmentKind.SELF_ASSESSMENT_REPORT, AttachmentKind.COMMITMENT)
