from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "cangxanh.consultations"
    verbose_name = _("Consultations")
    # Not `public_content`: a comment is saved here the moment a stranger sends it,
    # and a flood of them must not retire every cached page (delivery.apps). What
    # readers see changes through the workflow (the texts, and the dates with them:
    # `ConsultationKindFacts.apply` runs inside a publication), through moderation
    # (`moderation` bumps the content version itself) and when a consultation opens
    # or closes (`delivery.version` counts those moments as scheduled changes).

    def ready(self) -> None:
        from . import kind

        kind.register()
