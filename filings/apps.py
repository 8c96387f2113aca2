from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Algorithm filings")

    def ready(self) -> None:
        from accounts.audit_labels import register_action_labels

        register_action_labels(
            {
                "filing.created": _("Filing started as a draft"),
                "filing.attachment_added": _("Document uploaded"),
                "filing.submitted": _("Submitted for review"),
                "filing.approved": _("Filed: filing number issued"),
                "filing.returned": _("Returned for correction"),
                "filing.rejected": _("Not filed"),
                "filing.withdrawn": _("Withdrawn"),
                "filing.published": _("Published"),
                "filing.cancelled": _("Cancelled"),
                "filing.change_opened": _("Change opened"),
                "filing.change_submitted": _("Change submitted"),
                "filing.change_withdrawn": _("Change withdrawn"),
                "filing.change_approved": _("Change approved"),
                "filing.change_returned": _("Change returned for correction"),
                "filing.change_rejected": _("Change rejected"),
                "filing.cancellation_requested": _("Cancellation requested"),
                "filing.cancellation_withdrawn": _("Cancellation request withdrawn"),
                "filing.cancellation_approved": _("Cancellation accepted"),
                "filing.cancellation_rejected": _("Cancellation refused"),
            }
        )
