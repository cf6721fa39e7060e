from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgencyConfig(AppConfig):
    name = "cangxanh.agency"
    verbose_name = _("The agency")
    # Its pages' facts are public content: saving them retires the cached pages.
    public_content = True

    def ready(self) -> None:
        from cangxanh.news import kinds

        from . import views
        from .facts import PageKindFacts, before_step
        from .models import PAGE

        kinds.register(
            kinds.Kind(
                PAGE,
                pgettext_lazy("kind of content", "page"),
                pgettext_lazy("kind of content", "pages"),
                url=views.page_url,
                list_url=views.about_url,
                facts=PageKindFacts(),
                render=views.render_preview,
                before_step=before_step,
            )
        )
        kinds.reserve("about", "contact", "privacy")
