"""An article's facts — section, author, source and its link, the pictures in order —
and the one way they change.

Facts are the same in every language, so changing them on a public article changes
what readers see in all of them. While any translation of an article is published
(public or scheduled), new facts therefore wait in the original's new version
(`PendingVersion.facts`) and reach readers only when an approver publishes that
version (`workflow`), with an audit event and a revision like any text. An article
that nobody can see yet is changed in place.

An article can be public in another language while its original is not (the original
was unpublished after its translations went out). Its facts then have no new version
to wait in: they cannot be changed until the original is published again or the
other languages are unpublished, and the error says so.

Other kinds of content (news.kinds) have facts of their own besides these (a
document's number, an event's time): the kind's `facts` hooks give them under
the key "extra", and they wait and are published with the common ones.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cangxanh.images.models import Image
from cangxanh.news import kinds
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    Section,
    Source,
    Status,
)

from . import revisions
from .models import PendingVersion
from .roles import can_edit_facts

FIELDS = ("section", "author", "source", "source_url")


class FactsError(ValueError):
    """Facts that cannot be saved now; the message says why and what to do."""


def live(article: Article) -> dict:
    """The facts readers see now."""
    found = {
        "section": article.section_id,
        "author": article.author_id,
        "source": article.source_id,
        "source_url": article.source_url,
        "images": list(
            ArticleImage.objects.filter(article=article)
            .order_by("position", "id")
            .values_list("image_id", flat=True)
        ),
    }
    own = _own_facts(article.kind)
    if own is not None:
        found["extra"] = own.live(article)
    return found


def _own_facts(code: str):
    """The facts of the article's kind beside the common ones (news.kinds.KindFacts)."""
    kind = kinds.get(code)
    return kind.facts if kind is not None else None


def pending(article: Article) -> dict | None:
    """The facts waiting in the original's new version, if any."""
    return (
        PendingVersion.objects.filter(
            translation__article=article, translation__language=article.original_language
        )
        .values_list("facts", flat=True)
        .first()
    )


def working(article: Article) -> dict:
    """What editors work on: the waiting facts when there are some, else the live ones."""
    return pending(article) or live(article)


def is_guarded(article: Article) -> bool:
    """Do readers see (or will they, at a scheduled time) this article in some language?"""
    return ArticleTranslation.objects.filter(article=article, status=Status.PUBLISHED).exists()


def normalised(facts: dict, kind: str = kinds.NEWS) -> dict:
    """The facts with their references checked: unknown ids are refused, not dropped."""
    result = {
        "section": facts.get("section"),
        "author": facts.get("author") or None,
        "source": facts.get("source") or None,
        "source_url": (facts.get("source_url") or "").strip(),
        "images": list(dict.fromkeys(int(i) for i in facts.get("images") or [])),
    }
    needs_section = kind == kinds.NEWS or getattr(kinds.get(kind), "needs_section", False)
    if result["section"] is None and not needs_section:
        pass  # a kind that lives outside the sections
    elif not Section.objects.filter(pk=result["section"]).exists():
        raise FactsError(_("Choose a section."))
    if result["author"] and not Person.objects.filter(pk=result["author"]).exists():
        raise FactsError(_("That author does not exist."))
    if result["source"] and not Source.objects.filter(pk=result["source"]).exists():
        raise FactsError(_("That source does not exist."))
    if result["source_url"] and not result["source"]:
        raise FactsError(_("Name the source of the original article before giving its address."))
    known = set(Image.objects.filter(pk__in=result["images"]).values_list("pk", flat=True))
    if missing := [str(i) for i in result["images"] if i not in known]:
        raise FactsError(
            _("These pictures are not in the library: %(ids)s.") % {"ids": ", ".join(missing)}
        )
    own = _own_facts(kind)
    if own is not None:
        try:
            result["extra"] = own.normalised(facts.get("extra") or {})
        except ValidationError as error:
            raise FactsError(" ".join(error.messages)) from error
    return result


def apply(article: Article, facts: dict) -> None:
    """Make `facts` what readers see (callers hold the transaction and the rights)."""
    article.section_id = facts["section"]
    article.author_id = facts["author"]
    article.source_id = facts["source"]
    article.source_url = facts["source_url"]
    article.save(update_fields=["section", "author", "source", "source_url", "updated_at"])
    own = _own_facts(article.kind)
    if own is not None and "extra" in facts:
        own.apply(article, facts["extra"])
    wanted = facts["images"]
    ArticleImage.objects.filter(article=article).exclude(image_id__in=wanted).delete()
    rows = {row.image_id: row for row in ArticleImage.objects.filter(article=article)}
    for position, image_id in enumerate(wanted):
        row = rows.get(image_id)
        if row is None:
            ArticleImage.objects.create(article=article, image_id=image_id, position=position)
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])


def article_save_facts(*, article: Article, facts: dict, user) -> bool:
    """Save new facts where they belong. True when they wait for approval, False when
    they were changed in place (nobody can see the article yet) or not at all."""
    if not can_edit_facts(user, article):
        raise PermissionDenied(_("Only an editor of the original can change the article's facts."))
    facts = normalised(facts, article.kind)
    with transaction.atomic():
        # The stored row: the caller's instance may hold a form's unsaved values.
        article = Article.objects.select_for_update().get(pk=article.pk)
        original = (
            ArticleTranslation.objects.select_for_update()
            .filter(article=article, language=article.original_language)
            .first()
        )
        current = live(article)
        if not is_guarded(article):
            if facts != current:
                apply(article, facts)
                if original is not None:
                    revisions.record(original, user, facts=facts)
            return False
        if original is None or original.status != Status.PUBLISHED:
            raise FactsError(
                _(
                    "Readers see this article in other languages while its original is not "
                    "published: publish the original again, or unpublish the other "
                    "languages, before changing its facts."
                )
            )
        waiting = PendingVersion.objects.filter(translation=original).first()
        text = {f: getattr(original, f) for f in revisions.FIELDS}
        if facts == current:
            if waiting is None or waiting.facts is None:
                return False
            waiting.facts = None
            if all(getattr(waiting, f) == text[f] for f in revisions.FIELDS):
                waiting.delete()  # nothing is new any more
            else:
                waiting.save(update_fields=["facts", "updated_at"])
            revisions.record(original, user, text=_text_of(waiting), facts=current)
            return False
        if waiting is None:
            waiting = PendingVersion(translation=original, **text)
        waiting.facts = facts
        waiting.author = user if user.is_authenticated else None
        waiting.save()
        revisions.record(original, user, text=_text_of(waiting), facts=facts)
        return True


def _text_of(version) -> dict:
    return {f: getattr(version, f) for f in revisions.FIELDS}


def changes(before: dict, after: dict, kind: str = kinds.NEWS) -> list[tuple[str, str, str]]:
    """What differs, for people: (what, before, after), in the reader's language."""
    from django.utils.translation import get_language

    lang = get_language() or "vi"
    rows = []

    def section_name(pk):
        section = Section.objects.prefetch_related("translations").filter(pk=pk).first()
        if section is None:
            return "—"
        named = section.translation(lang) or section.translation("vi")
        return named.name if named else section.key

    def name(model, pk):
        found = model.objects.filter(pk=pk).first() if pk else None
        return str(found) if found else "—"

    if before["section"] != after["section"]:
        rows.append((_("section"), section_name(before["section"]), section_name(after["section"])))
    if before["author"] != after["author"]:
        rows.append((_("author"), name(Person, before["author"]), name(Person, after["author"])))
    if before["source"] != after["source"]:
        rows.append((_("source"), name(Source, before["source"]), name(Source, after["source"])))
    if before["source_url"] != after["source_url"]:
        rows.append(
            (_("original article URL"), before["source_url"] or "—", after["source_url"] or "—")
        )
    if before["images"] != after["images"]:
        names = {
            i.pk: str(i) for i in Image.objects.filter(pk__in=before["images"] + after["images"])
        }
        rows.append(
            (
                _("pictures"),
                ", ".join(names.get(i, "?") for i in before["images"]) or "—",
                ", ".join(names.get(i, "?") for i in after["images"]) or "—",
            )
        )
    if before.get("extra") != after.get("extra"):
        own = _own_facts(kind)
        if own is not None:
            rows += own.changes(before.get("extra") or {}, after.get("extra") or {})
    return rows
