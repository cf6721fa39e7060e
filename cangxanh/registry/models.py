"""The office's registries: partner localities, delegations, international
agreements, foreign NGOs and their aid projects.

Registry officers keep the records in the newsroom. A record's own fields are the
office's working copy; readers never see them directly. What readers see is the
record's *public copy* (`public_data`): a dict of the public fields only, made by
`public_view()` when an approver publishes the record (`registry.history.publish`).
So every public change waits for an approver, like an article's, and personal data
of delegation members cannot reach a public page, the API or the search index:
`public_view()` never reads them, and tests prove it.

Every add, change, publication, withdrawal and delete is a numbered `Revision`
(the whole record with its texts, members and files, who, when, what changed).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from cangxanh.core import languages


def _language_field():
    return models.CharField(_("language"), max_length=10, choices=languages.choices)


class Published(models.Model):
    """What every record shares: the wish to be public, and the approved public copy."""

    public = models.BooleanField(
        _("show to readers"),
        default=False,
        help_text=_("Readers see the record once an approver publishes it."),
    )
    public_data = models.JSONField(_("public copy"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    published_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    # --- what readers may see ------------------------------------------------------

    def public_view(self) -> dict:  # pragma: no cover - every record defines it
        raise NotImplementedError

    @property
    def is_live(self) -> bool:
        return self.public_data is not None


class Texts(models.Model):
    """A record's words in one language (translations are rows, not columns)."""

    language = _language_field()

    class Meta:
        abstract = True


def main_text(record):
    """The record's text in the newsroom's language, else the original's, else any."""
    if not record.pk:
        return None
    rows = {row.language: row for row in record.texts.all()}
    for code in (translation.get_language(), settings.LANGUAGE_CODE, "en"):
        if code in rows:
            return rows[code]
    return next(iter(rows.values()), None)


def texts_of(record, related: str = "texts") -> dict[str, dict]:
    """{language: {field: value}} of a record's text rows (prefetched or not)."""
    out = {}
    for row in getattr(record, related).all():
        out[row.language] = {
            f.name: getattr(row, f.name)
            for f in row._meta.concrete_fields
            if f.name not in {"id", "language"} and not f.is_relation
        }
    return out


# --- Partner localities ------------------------------------------------------------


class Relation(models.TextChoices):
    SISTER = "sister", _("sister city")
    FRIENDSHIP = "friendship", _("friendship and cooperation")
    COOPERATION = "cooperation", _("cooperation")


class Partner(Published):
    slug = models.SlugField(
        _("address name"),
        max_length=80,
        unique=True,
        help_text=_("Latin letters, digits and hyphens, the same in every language: incheon."),
    )
    country = CountryField(_("country"))
    native_name = models.CharField(
        _("name in its own script"), max_length=120, help_text=_("인천광역시, 北九州市")
    )
    relation = models.CharField(_("kind of relation"), max_length=20, choices=Relation.choices)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_by = models.CharField(
        _("established by (document)"),
        max_length=200,
        blank=True,
        help_text=_("The agreement or decision that established the relation."),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )
    area_km2 = models.PositiveIntegerField(_("area (km²)"), null=True, blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population counted in"), null=True, blank=True
    )
    picture = models.ForeignKey(
        "images.Image",
        verbose_name=_("picture"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    illustrative = models.BooleanField(
        _("illustrative profile"),
        default=False,
        help_text=_("Say on the page that the profile is illustrative, not checked."),
    )
    articles = models.ManyToManyField(
        "news.Article",
        verbose_name=_("articles about it"),
        blank=True,
        related_name="partners",
    )

    class Meta:
        verbose_name = _("partner locality")
        verbose_name_plural = _("partner localities")
        ordering = ["country", "slug"]

    def __str__(self) -> str:
        first = main_text(self)
        return first.name if first else self.native_name

    def public_view(self) -> dict:
        return {
            "slug": self.slug,
            "country": self.country.code,
            "native_name": self.native_name,
            "relation": self.relation,
            "established_on": _iso(self.established_on),
            "established_by": self.established_by,
            "latitude": float(self.latitude),
            "longitude": float(self.longitude),
            "area_km2": self.area_km2,
            "population": self.population,
            "population_year": self.population_year,
            "picture": self.picture_id,
            "illustrative": self.illustrative,
            "articles": sorted(article.pk for article in self.articles.all()),  # prefetched or not
            "texts": texts_of(self),
        }


class PartnerText(Texts):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="texts")
    name = models.CharField(_("name"), max_length=120)
    country_region = models.CharField(
        _("region"), max_length=120, blank=True, help_text=_("Province, prefecture or state.")
    )
    summary = models.TextField(_("summary"), blank=True, max_length=600)
    location = models.TextField(_("location"), blank=True, max_length=1500)
    economy = models.TextField(_("economy"), blank=True, max_length=3000)
    landmarks = models.TextField(_("landmarks"), blank=True, max_length=3000)
    cooperation = models.TextField(_("cooperation with the city"), blank=True, max_length=3000)
    established_by = models.CharField(
        _("established by (document)"),
        max_length=200,
        blank=True,
        help_text=_("In this language; empty: the record's own (Vietnamese) is shown."),
    )

    class Meta:
        verbose_name = _("partner's text")
        verbose_name_plural = _("partner's texts")
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "language"], name="partnertext_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


# --- Delegations --------------------------------------------------------------------


class Direction(models.TextChoices):
    INCOMING = "in", _("incoming (received)")
    OUTGOING = "out", _("outgoing (sent)")


class Level(models.TextChoices):
    STATE = "state", _("state or government leaders")
    MINISTRY = "ministry", _("ministry or central agency")
    PROVINCE = "province", _("provincial or city leaders")
    DEPARTMENT = "department", _("department or district")
    DIPLOMATIC = "diplomatic", _("diplomatic mission")
    BUSINESS = "business", _("businesses and associations")
    OTHER = "other", pgettext_lazy("delegation level", "other")


class Purpose(models.TextChoices):
    COOPERATION = "cooperation", _("cooperation and friendship")
    INVESTMENT = "investment", _("investment and trade")
    CONFERENCE = "conference", _("conference or forum")
    CULTURE = "culture", _("culture, sport and tourism")
    EDUCATION = "education", _("education and training")
    STUDY = "study", _("study tour")
    OTHER = "other", pgettext_lazy("delegation purpose", "other")


class Funding(models.TextChoices):
    STATE = "state", _("state budget")
    HOST = "host", _("paid by the host")
    PARTNER = "partner", _("paid by the partner")
    SPONSOR = "sponsor", _("sponsor or project")
    OWN = "own", _("own funds of the members")


class Delegation(Published):
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    countries = CountryField(_("countries"), multiple=True)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner locality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegations",
    )
    organisation = models.CharField(
        _("inviting or hosting organisation"),
        max_length=250,
        help_text=_("Who invited the city's delegation, or whom the city's host received."),
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    leader = models.CharField(
        _("head of delegation"), max_length=200, help_text=_("Position and name, as published.")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    field = models.CharField(_("field"), max_length=120, blank=True)
    members_count = models.PositiveSmallIntegerField(_("number of members"))
    funding = models.CharField(_("funding source"), max_length=20, choices=Funding.choices)
    unit = models.CharField(
        _("unit in charge"), max_length=200, blank=True, help_text=_("Internal: never public.")
    )
    decision_number = models.CharField(_("permission decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("permission decision date"), null=True, blank=True)
    report = models.TextField(_("report after the trip"), blank=True, help_text=_("Internal."))
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("related article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delegations",
    )

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="delegation_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        first = main_text(self)
        return first.title if first else f"{self.start:%Y-%m-%d} {self.organisation}"

    def public_view(self) -> dict:
        # Never the members, the unit, the decision, the report or the attachments.
        return {
            "direction": self.direction,
            "start": _iso(self.start),
            "end": _iso(self.end),
            "countries": [c.code for c in self.countries],
            "partner": self.partner_id,
            "organisation": self.organisation,
            "level": self.level,
            "leader": self.leader,
            "purpose": self.purpose,
            "field": self.field,
            "members_count": self.members_count,
            "funding": self.funding,
            "article": self.article_id,
            "texts": texts_of(self),
        }


class DelegationText(Texts):
    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=1500)
    # In this language; empty: the record's own (Vietnamese) words are shown.
    organisation = models.CharField(
        _("inviting or hosting organisation"), max_length=250, blank=True
    )
    leader = models.CharField(_("head of delegation"), max_length=200, blank=True)
    field = models.CharField(_("field"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("delegation's text")
        verbose_name_plural = _("delegation's texts")
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "language"], name="delegationtext_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class Member(models.Model):
    """A member of a delegation: personal data, internal only (Decree 13/2023)."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("full name"), max_length=120)
    position = models.CharField(_("position"), max_length=200, blank=True)
    passport_number = models.CharField(_("passport number"), max_length=30, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)

    class Meta:
        verbose_name = _("member (internal)")
        verbose_name_plural = _("members (internal)")

    def __str__(self) -> str:
        return self.full_name


def _attachment_path(instance, filename: str) -> str:
    return f"registry/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """A file kept with a delegation (invitation, programme, report): internal only."""

    delegation = models.ForeignKey(Delegation, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)

    class Meta:
        verbose_name = _("attachment (internal)")
        verbose_name_plural = _("attachments (internal)")

    def __str__(self) -> str:
        return self.title


# --- International agreements ---------------------------------------------------------


class AgreementKind(models.TextChoices):
    AGREEMENT = "agreement", _("international agreement")
    MOU = "mou", _("memorandum of understanding")
    SISTER = "sister", _("sister-city agreement")
    PLAN = "plan", _("cooperation plan")
    OTHER = "other", pgettext_lazy("agreement kind", "other")


class AgreementStatus(models.TextChoices):
    NEGOTIATING = "negotiating", _("being negotiated")
    IN_FORCE = "in_force", _("in force")
    EXPIRED = "expired", _("expired")
    TERMINATED = "terminated", _("terminated")


class Agreement(Published):
    number = models.CharField(_("number"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    parties = models.CharField(_("parties"), max_length=400)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at = models.CharField(_("signed at (place)"), max_length=200, blank=True)
    signatories = models.CharField(_("signatories"), max_length=400, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"), null=True, blank=True, help_text=_("Empty: no fixed term.")
    )
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus.choices)
    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner locality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    text_file = models.FileField(
        _("text (PDF)"), upload_to=_attachment_path, max_length=300, blank=True
    )
    reported_on = models.DateField(
        _("reported to the Ministry on"),
        null=True,
        blank=True,
        help_text=_("Law on International Agreements 2020: the report to the Ministry."),
    )

    class Meta:
        verbose_name = _("international agreement")
        verbose_name_plural = _("international agreements")
        ordering = ["-signed_on", "-pk"]

    def __str__(self) -> str:
        first = main_text(self)
        return first.title if first else self.number or self.parties

    def public_view(self) -> dict:
        return {
            "number": self.number,
            "kind": self.kind,
            "parties": self.parties,
            "signed_on": _iso(self.signed_on),
            "signed_at": self.signed_at,
            "signatories": self.signatories,
            "term_years": self.term_years,
            "expires_on": _iso(self.expires_on),
            "status": self.status,
            "partner": self.partner_id,
            "texts": texts_of(self),
        }


class AgreementText(Texts):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)
    # In this language; empty: the record's own (Vietnamese) words are shown.
    parties = models.CharField(_("parties"), max_length=400, blank=True)
    signatories = models.CharField(_("signatories"), max_length=400, blank=True)
    signed_at = models.CharField(_("signed at (place)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agreement's text")
        verbose_name_plural = _("agreement's texts")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "language"], name="agreementtext_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


# --- Foreign NGOs and their aid -------------------------------------------------------


class RegistrationKind(models.TextChoices):
    OPERATION = "operation", _("registration of operation")
    PROJECT_OFFICE = "project_office", _("project office")
    REPRESENTATIVE = "representative", _("representative office")


class Organisation(Published):
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    name_vi = models.CharField(_("name in Vietnamese"), max_length=250, blank=True)
    country = CountryField(_("country"))
    registration = models.CharField(
        _("registration kind"), max_length=20, choices=RegistrationKind.choices
    )
    registration_number = models.CharField(_("registration number"), max_length=60, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registration_expires = models.DateField(_("registration expires"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)

    class Meta:
        verbose_name = _("foreign NGO")
        verbose_name_plural = _("foreign NGOs")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def public_view(self) -> dict:
        return {
            "name": self.name,
            "short_name": self.short_name,
            "name_vi": self.name_vi,
            "country": self.country.code,
            "registration": self.registration,
            "registration_number": self.registration_number,
            "registered_on": _iso(self.registered_on),
            "registration_expires": _iso(self.registration_expires),
            "website": self.website,
        }


class Sector(models.TextChoices):
    HEALTH = "health", _("health")
    EDUCATION = "education", _("education")
    ENVIRONMENT = "environment", _("environment and climate")
    AGRICULTURE = "agriculture", _("agriculture and livelihoods")
    DISABILITY = "disability", _("people with disabilities")
    CHILDREN = "children", _("children and women")
    DISASTER = "disaster", _("disaster relief")
    OTHER = "other", pgettext_lazy("aid sector", "other")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("approved, not started")
    RUNNING = "running", _("running")
    FINISHED = "finished", _("finished")
    STOPPED = "stopped", _("stopped")


class AidProject(Published):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("NGO"), on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(_("project code"), max_length=40, blank=True)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    district = models.CharField(_("district"), max_length=120, blank=True)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="USD",
        help_text=_("ISO 4217: USD, EUR, KRW, JPY."),
        validators=[
            RegexValidator(
                r"^[A-Z]{3}\Z", _("Three capital letters (ISO 4217): USD, EUR, KRW, JPY.")
            )
        ],
    )
    committed = models.DecimalField(_("amount committed"), max_digits=16, decimal_places=2)
    disbursed = models.DecimalField(
        _("amount disbursed"), max_digits=16, decimal_places=2, default=Decimal(0)
    )
    usd_rate = models.DecimalField(
        _("exchange rate to USD"),
        max_digits=14,
        decimal_places=8,
        default=Decimal(1),
        help_text=_("How many US dollars one unit of the currency was worth when committed."),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices)
    approval_decision = models.CharField(_("approval decision"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("aid project")
        verbose_name_plural = _("aid projects")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="aidproject_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        first = main_text(self)
        return first.title if first else self.code or str(self.organisation)

    @property
    def committed_usd(self) -> Decimal:
        return (self.committed * self.usd_rate).quantize(Decimal("0.01"))

    @property
    def disbursed_usd(self) -> Decimal:
        return (self.disbursed * self.usd_rate).quantize(Decimal("0.01"))

    def public_view(self) -> dict:
        return {
            "organisation": self.organisation_id,
            "code": self.code,
            "sector": self.sector,
            "district": self.district,
            "currency": self.currency,
            "committed": str(self.committed),
            "disbursed": str(self.disbursed),
            "usd_rate": str(self.usd_rate),
            "committed_usd": str(self.committed_usd),
            "disbursed_usd": str(self.disbursed_usd),
            "start": _iso(self.start),
            "end": _iso(self.end),
            "status": self.status,
            "texts": texts_of(self),
        }


class AidProjectText(Texts):
    project = models.ForeignKey(AidProject, on_delete=models.CASCADE, related_name="texts")
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("project's text")
        verbose_name_plural = _("project's texts")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "language"], name="aidprojecttext_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


# --- History -----------------------------------------------------------------------


class Action(models.TextChoices):
    ADD = "add", _("added")
    CHANGE = "change", _("changed")
    PUBLISH = "publish", _("published")
    WITHDRAW = "withdraw", _("withdrawn from readers")
    DELETE = "delete", _("deleted")


class Revision(models.Model):
    """One step in a record's life: the whole record as it was after it (texts, members
    and files included — internal, for the newsroom), who did it and what changed."""

    model = models.CharField(_("registry"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField(_("revision"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    label = models.CharField(_("record"), max_length=300)
    data = models.JSONField(_("record as saved"))
    changed = models.JSONField(_("fields changed"), default=list)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registry revision")
        verbose_name_plural = _("registry revisions")
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "object_id", "number"], name="revision_numbered_per_record"
            ),
        ]
        indexes = [models.Index(fields=["model", "object_id"], name="revision_record")]
        permissions = [("publish_record", "Can publish registry records")]

    def __str__(self) -> str:
        return f"{self.label} #{self.number} {self.action}"


def _iso(value) -> str | None:
    return value.isoformat() if value else None
