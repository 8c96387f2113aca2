from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("Algorithm filings")

    def ready(self) -> None:
        from accounts.audit_labels import register_action_labels
        from filings.services import claims, listing

        listing.connect()
        claims.connect()

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
                "filing.correction_overdue_reject": _("Refused after the correction deadline passed"),
                "filing.correction_overdue_return_for_correction": _("New correction period given"),
                "filing.regulator_revoke": _("Revoked by the regulator"),
                "filing.regulator_cancel": _("Cancelled by the regulator"),
                "filing.tier_overridden": _("Tier set by a reviewer"),
                "filing.tier_override_lifted": _("Reviewer's tier lifted"),
                "filing.retiered": _("Tier changed by a new policy version"),
                "filing.service_end_reported": _("End of service reported"),
                "filing.reassessment_opened": _("Re-assessment requested"),
                "filing.reassessment_submitted": _("Re-assessment submitted"),
                "filing.reassessment_approved": _("Re-assessment accepted"),
                "filing.reassessment_returned": _("Re-assessment returned for correction"),
                "filing.reassessment_rejected": _("Re-assessment refused"),
                "filing.reassessment_overdue": _("Re-assessment overdue"),
                "filing.imported": _("Imported from a list CAC had published"),
                "batch.opened": _("Publication batch opened"),
                "batch.published": _("Publication batch published"),
                "notice.published": _("Cancellation notice published"),
                "filing.objection_received": _("Objection received from the public"),
                "filing.objection_upheld": _("Objection upheld"),
                "filing.objection_dismissed": _("Objection dismissed"),
                "export.downloaded": _("Data exported"),
            }
        )
