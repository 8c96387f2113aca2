from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Review and supervision")

    def ready(self) -> None:
        from supervision.services import routing

        routing.connect()
