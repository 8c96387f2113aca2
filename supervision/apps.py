from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Review and supervision")

    def ready(self) -> None:
        from accounts.audit_labels import register_action_labels
        from supervision.services import routing

        routing.connect()
        register_action_labels(
            {
                "review_task.claimed": _("Review task claimed"),
                "review_task.released": _("Review task released"),
                "review_task.decided": _("Review decision recorded"),
                "review_task.closed": _("Review task closed"),
                "review_task.assigned": _("Review task assigned"),
                "review_task.reassigned": _("Review task reassigned"),
                "review_task.voted": _("Consultation vote cast"),
                "tier_policy.created": _("Tier policy version created"),
                "job.started": _("Job started"),
            }
        )
