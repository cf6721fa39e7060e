from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "cangxanh.inbox"
    verbose_name = _("Messages from the public")
    # Not public content: what strangers send never retires the cached pages, so a
    # flood of spam cannot empty the page cache (delivery.apps).
