"""A page's own facts (news.kinds.KindFacts): where it stands in the agency's tree,
which fixed page it is, its layout, a leader's person, a phone and an e-mail.

editorial.facts keeps them under the key "extra" of the article's facts, so on a
published page they wait for an approver like the pictures do; `apply` is the
only writer of `PageFacts`.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cangxanh.news.kinds import KindFacts
from cangxanh.news.models import Article, Person

from .models import PAGE, Key, Layout, PageFacts

FIELDS = ("parent", "position", "key", "layout", "person", "phone", "email")
DEFAULTS = {
    "parent": None,
    "position": 0,
    "key": None,
    "layout": Layout.TEXT.value,
    "person": None,
    "phone": "",
    "email": "",
}
PHONE = re.compile(r"[0-9+() .\-]{3,40}")
MAX_POSITION = 32767


def facts_of(row: PageFacts | None) -> dict:
    """A `PageFacts` row (or none) as the JSON the facts are kept in."""
    if row is None:
        return dict(DEFAULTS)
    return {
        "parent": row.parent_id,
        "position": row.position,
        "key": row.key,
        "layout": row.layout,
        "person": row.person_id,
        "phone": row.phone,
        "email": row.email,
    }


def _int_or_none(value, message: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise ValidationError(message) from error


class PageKindFacts(KindFacts):
    def live(self, article) -> dict:
        return facts_of(PageFacts.objects.filter(article_id=article.pk).first())

    def normalised(self, extra: dict) -> dict:
        result = dict(DEFAULTS)
        result["parent"] = _int_or_none(extra.get("parent"), _("Choose the parent page again."))
        if (
            result["parent"] is not None
            and not Article.objects.filter(pk=result["parent"], kind=PAGE).exists()
        ):
            raise ValidationError(_("The parent must be another page of the agency."))
        position = _int_or_none(extra.get("position"), _("The position is a whole number."))
        if position is not None and not 0 <= position <= MAX_POSITION:
            raise ValidationError(_("The position is a whole number from 0 to 32767."))
        result["position"] = position or 0
        key = extra.get("key") or None
        if key is not None and key not in Key.values:
            raise ValidationError(_("That fixed page does not exist."))
        result["key"] = key
        layout = extra.get("layout") or Layout.TEXT.value
        if layout not in Layout.values:
            raise ValidationError(_("That layout does not exist."))
        result["layout"] = layout
        result["person"] = _int_or_none(extra.get("person"), _("Choose the person again."))
        if result["person"] is not None and not Person.objects.filter(pk=result["person"]).exists():
            raise ValidationError(_("That person does not exist."))
        phone = " ".join(str(extra.get("phone") or "").split())
        if phone and not PHONE.fullmatch(phone):
            raise ValidationError(_("Enter a phone number: digits, spaces, and + ( ) . - only."))
        result["phone"] = phone
        email = str(extra.get("email") or "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise ValidationError(_("Enter a valid e-mail address.")) from error
        result["email"] = email
        return result

    @staticmethod
    def check_place(article, extra: dict) -> None:
        """What `normalised` cannot know without the page: it is not its own ancestor, and
        its fixed place is free (raise ValidationError)."""
        PageKindFacts.check_parent(article, extra)
        key = extra.get("key")
        if key is not None:
            holder = PageFacts.objects.filter(key=key).exclude(article_id=article.pk).first()
            if holder is not None:
                raise ValidationError(
                    _("Another page is already the page “%(key)s”: take it from that page first.")
                    % {"key": Key(key).label}
                )

    @staticmethod
    def check_parent(article, extra: dict) -> None:
        """The page is not its own ancestor, through the parents readers see now."""
        seen = {article.pk}
        parent = extra.get("parent")
        while parent is not None:
            if parent in seen:
                raise ValidationError(_("A page cannot stand under itself or under its own child."))
            seen.add(parent)
            parent = (
                PageFacts.objects.filter(article_id=parent).values_list("parent", flat=True).first()
            )

    def apply(self, article, extra: dict) -> None:
        values = {name: extra.get(name, DEFAULTS[name]) for name in FIELDS}
        if values["key"] is not None:
            # Approved here: this page takes the fixed place (a page given it while this
            # one waited loses it; normally the form refuses a place already taken).
            PageFacts.objects.filter(key=values["key"]).exclude(article_id=article.pk).update(
                key=None
            )
        PageFacts.objects.update_or_create(
            article_id=article.pk,
            defaults={
                "parent_id": values["parent"],
                "position": values["position"],
                "key": values["key"],
                "layout": values["layout"],
                "person_id": values["person"],
                "phone": values["phone"],
                "email": values["email"],
            },
        )

    def changes(self, before: dict, after: dict) -> list[tuple[str, str, str]]:
        lang = get_language() or "vi"
        labels = {
            "parent": _("parent page"),
            "position": _("position"),
            "key": _("fixed page"),
            "layout": _("layout"),
            "person": _("person"),
            "phone": _("phone"),
            "email": _("e-mail"),
        }

        def shown(name: str, value) -> str:
            if value in (None, ""):
                return "—"
            if name == "parent":
                page = Article.objects.prefetch_related("translations").filter(pk=value).first()
                if page is None:
                    return "—"
                named = next((t for t in page.translations.all() if t.language == lang), None)
                return named.title if named else str(page)
            if name == "key":
                return str(Key(value).label) if value in Key.values else str(value)
            if name == "layout":
                return str(Layout(value).label) if value in Layout.values else str(value)
            if name == "person":
                found = Person.objects.filter(pk=value).first()
                return found.name if found else "—"
            return str(value)

        before = DEFAULTS | (before or {})
        after = DEFAULTS | (after or {})
        return [
            (labels[name], shown(name, before[name]), shown(name, after[name]))
            for name in FIELDS
            if before[name] != after[name]
        ]


def before_step(current, action: str, pending) -> None:
    """The workflow's check before a step (news.kinds `before_step`): a page's waiting
    facts are checked again as they are published. They were checked when saved, but
    against the tree of that moment: another page's move approved since may make them a
    loop of parents, and the parent page or the person they name may have been deleted
    while they waited (ValidationError, which the workflow shows; nothing changes)."""
    if action != "publish" or pending is None or not pending.facts:
        return  # editorial.models.Action.PUBLISH, by name: the newsroom is above this app
    extra = PageKindFacts().normalised(pending.facts.get("extra") or {})
    PageKindFacts.check_parent(current.article, extra)
