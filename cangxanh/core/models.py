"""Site identity: the portal's name, slogan and footer per language.

Nothing about the city is hard-coded: a deployment for another office edits
these rows in the admin.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .languages import choices


class SiteIdentity(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=choices, unique=True)
    name = models.CharField(_("site name"), max_length=120)
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    publisher = models.CharField(
        _("publisher"), max_length=200, blank=True, help_text=_("The office that runs the portal.")
    )
    footer = models.TextField(
        _("footer text"), blank=True, help_text=_("Address, licence and contact lines.")
    )

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        ordering = ["language"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(name=""), name="siteidentity_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
