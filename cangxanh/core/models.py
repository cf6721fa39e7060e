"""Site identity per language (the portal's name, slogan and the footer the law asks
for), and the links to other state agencies' portals shown in the footer.

Nothing about the city is hard-coded: a deployment for another office edits
these rows in the admin.
"""

from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .languages import choices

# Digits, spaces and the usual separators: the number also becomes a tel: link.
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ().\-]{3,38}[0-9]$",
    _("Enter a phone number: digits, spaces, and + ( ) . - only."),
)
# A state portal links out over HTTPS only: no http://, and never javascript: or data:.
# A code of its own, so that a form does not swap the message for its "Enter a valid URL."
https_validator = URLValidator(
    schemes=["https"],
    message=_("Enter a full address that starts with https://."),
    code="https_only",
)


class SiteIdentity(models.Model):
    """One row per language. Decree 42/2022/NĐ-CP asks every state portal's footer
    for the owner agency, the person responsible, the address, phone and e-mail
    (`cangxanh.core.checks.FOOTER_REQUIRED`); the fields stay optional here, so
    that saving never loses what was typed, and `checks.footer_missing` says
    what is still blank."""

    language = models.CharField(_("language"), max_length=10, choices=choices, unique=True)
    name = models.CharField(_("site name"), max_length=120)
    slogan = models.CharField(_("slogan"), max_length=200, blank=True)
    publisher = models.CharField(
        _("publisher"),
        max_length=200,
        blank=True,
        help_text=_("The agency that owns the portal (its owner agency)."),
    )
    responsible = models.CharField(
        _("person responsible"),
        max_length=120,
        blank=True,
        help_text=_("The person responsible for the portal's content."),
    )
    responsible_position = models.CharField(
        _("position of the person responsible"), max_length=200, blank=True
    )
    licence = models.CharField(
        _("licence"),
        max_length=300,
        blank=True,
        help_text=_("The licence's number, date and issuer, as they should read."),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    copyright = models.CharField(_("copyright"), max_length=300, blank=True)
    footer = models.TextField(
        _("footer text"),
        blank=True,
        help_text=_("Further lines shown under the contact details."),
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


class AgencyLink(models.Model):
    """A link to another state agency's portal; its names are rows, one per language."""

    url = models.URLField(
        _("web address"), max_length=300, unique=True, validators=[https_validator]
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    in_footer = models.BooleanField(_("in the footer"), default=True)
    import_key = models.SlugField(
        max_length=100, unique=True, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("link to a state agency")
        verbose_name_plural = _("links to state agencies")
        ordering = ["position", "id"]
        constraints = [
            # The model's validation says why; this keeps any other writer out too.
            models.CheckConstraint(
                condition=models.Q(url__startswith="https://"),
                name="agencylink_url_https",
                violation_error_message=https_validator.message,
            ),
        ]

    def __str__(self) -> str:
        return self.url


class AgencyLinkName(models.Model):
    link = models.ForeignKey(AgencyLink, on_delete=models.CASCADE, related_name="names")
    language = models.CharField(_("language"), max_length=10, choices=choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("link name")
        verbose_name_plural = _("link names")
        constraints = [
            models.UniqueConstraint(
                fields=["link", "language"], name="agencylinkname_one_per_language"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="agencylinkname_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name
