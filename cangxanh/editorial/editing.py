"""Saving a translation's text: where the words go, and what is remembered about them.

A translation readers can see, or one scheduled to appear, keeps its text while it
is being edited: the edits go to its `PendingVersion`, which only an approver's
"publish" copies onto the translation (`workflow.perform`). Any other translation
is edited in place. Every save keeps a revision.

A translation also remembers which revision of the original it was made from
(`translated_from`): when the original has a newer revision with other words, the
translation is outdated until its translator marks it brought up to date.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from cangxanh.images.models import ImageText
from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, Status, make_slug
from cangxanh.news.sanitize import sanitize_html

from . import facts, picture_versions, revisions
from .models import Action, ImageTextChange, PendingVersion, Revision, WorkflowEvent
from .roles import can_edit

TEXT_FIELDS = revisions.FIELDS


def pending_of(translation: ArticleTranslation) -> PendingVersion | None:
    try:
        return translation.pending_version
    except PendingVersion.DoesNotExist:
        return None


def working_text(translation: ArticleTranslation):
    """What editors work on: the new version when there is one, else the translation itself."""
    return pending_of(translation) or translation


def _normalised(text: dict, language: str) -> dict:
    title = (text.get("title") or "").strip()
    return {
        "title": title,
        "slug": (text.get("slug") or "").strip() or make_slug(title, language),
        "lead": (text.get("lead") or "").strip(),
        "body": sanitize_html(text.get("body") or ""),
    }


def _kind_normalised(translation: ArticleTranslation, text: dict) -> dict:
    """`text` as the article's kind keeps it (news.kinds `normalise_text`), given the
    words saved before: the new version's if there is one, else the row's."""
    kind = kinds.get(translation.article.kind)
    if kind is None or kind.normalise_text is None:
        return text
    previous = None
    if translation.pk is not None:
        stored = (
            ArticleTranslation.objects.select_related("pending_version")
            .filter(pk=translation.pk)
            .first()
        )
        if stored is not None:
            previous = {f: getattr(working_text(stored), f) for f in TEXT_FIELDS}
    return kind.normalise_text(text, previous)


def translation_save_text(
    *, translation: ArticleTranslation, text: dict, user, note: str = ""
) -> Revision | None:
    """Save new words for `translation` where they belong; returns the revision it kept."""
    if not can_edit(user, translation):
        raise PermissionDenied(_("You cannot work on this language of this article."))
    text = _kind_normalised(translation, _normalised(text, translation.language))
    if not text["title"]:
        raise ValueError("a translation needs a title")
    with transaction.atomic():
        if translation.pk is None:
            for field, value in text.items():
                setattr(translation, field, value)
            translation.status = Status.DRAFT
            translation.translated_from = original_latest_revision(translation)
            translation.save()
            return revisions.record(translation, user, note=note)

        current = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        if current.status != Status.PUBLISHED:
            for field, value in text.items():
                setattr(current, field, value)
                setattr(translation, field, value)
            current.save(update_fields=[*TEXT_FIELDS, "updated_at"])
            return revisions.record(current, user, note=note)

        live = {f: getattr(current, f) for f in TEXT_FIELDS}
        pending = PendingVersion.objects.filter(translation=current).first()
        if text == live:
            # Edited back to what readers see: no new text any more, and no new
            # version at all unless it carries new facts or picture texts.
            if pending is not None and not carries_more(pending):
                pending.delete()
            elif pending is not None:
                for field, value in text.items():
                    setattr(pending, field, value)
                pending.save()
        else:
            pending = pending or PendingVersion(translation=current)
            for field, value in text.items():
                setattr(pending, field, value)
            pending.author = user if user.is_authenticated else None
            pending.save()
        # Forget the cached relation so the caller reads the new state.
        if ArticleTranslation.pending_version.related.is_cached(translation):
            ArticleTranslation.pending_version.related.delete_cached_value(translation)
        return revisions.record(current, user, note=note, text=text)


def carries_more(pending: PendingVersion) -> bool:
    """Does a new version hold anything besides its text (which may equal the live one)?"""
    return (
        pending.facts is not None
        or ImageTextChange.objects.filter(translation_id=pending.translation_id).exists()
    )


def image_texts_working(translation: ArticleTranslation | None, images, language: str) -> dict:
    """{image id: (alt, caption)} as the translator works on them: waiting changes first."""
    texts = {}
    for image in images:
        row = image.text(language)
        texts[image.pk] = (row.alt, row.caption) if row else ("", "")
    if translation is not None and translation.pk:
        for held in ImageTextChange.objects.filter(translation=translation):
            if held.image_id in texts:
                texts[held.image_id] = (held.alt, held.caption)
    return texts


def translation_save_image_texts(
    *, translation: ArticleTranslation, texts: dict[int, tuple[str | None, str | None]], user
) -> int:
    """Save pictures' alt texts and captions in the translation's language.

    `texts` maps an image id to (alt, caption); None keeps what is there. A picture
    readers see in this language keeps its texts until an approver publishes this
    translation: the change waits with it (`ImageTextChange`), in its new version when
    it is published. Any other picture's texts change at once. Returns how many changed.
    """
    if not can_edit(user, translation):
        raise PermissionDenied(_("You cannot work on this language of this article."))
    language = translation.language
    shown = picture_versions.shown_in(list(texts), language)
    live = {
        row.image_id: row for row in ImageText.objects.filter(image__in=texts, language=language)
    }
    held = {
        row.image_id: row
        for row in ImageTextChange.objects.filter(translation=translation, image__in=texts)
    }
    saved = 0
    with transaction.atomic():
        for image_id, (alt, caption) in texts.items():
            row, waiting = live.get(image_id), held.get(image_id)
            current = waiting or row  # what the translator sees now
            before = (current.alt, current.caption) if current else ("", "")
            wanted = (alt or before[0], before[1] if caption is None else caption)
            if not wanted[0] or wanted == before:
                continue
            saved += 1
            if image_id not in shown:
                ImageText.objects.update_or_create(
                    image_id=image_id,
                    language=language,
                    defaults={"alt": wanted[0], "caption": wanted[1]},
                )
                continue
            if row is not None and wanted == (row.alt, row.caption):
                if waiting is not None:
                    waiting.delete()  # back to what readers see
                continue
            ImageTextChange.objects.update_or_create(
                translation=translation,
                image_id=image_id,
                defaults={
                    "alt": wanted[0],
                    "caption": wanted[1],
                    "author": user if user.is_authenticated else None,
                },
            )
        if translation.status == Status.PUBLISHED:
            _new_version_for_held_texts(translation)
    return saved


def _new_version_for_held_texts(translation: ArticleTranslation) -> None:
    """A published translation's waiting picture texts travel in a new version."""
    pending = PendingVersion.objects.filter(translation=translation).first()
    if pending is None and ImageTextChange.objects.filter(translation=translation).exists():
        PendingVersion.objects.create(
            translation=translation, **{f: getattr(translation, f) for f in TEXT_FIELDS}
        )
    elif (
        pending is not None
        and not carries_more(pending)
        and all(getattr(pending, f) == getattr(translation, f) for f in TEXT_FIELDS)
    ):
        pending.delete()
    if ArticleTranslation.pending_version.related.is_cached(translation):
        ArticleTranslation.pending_version.related.delete_cached_value(translation)


def image_texts_apply(translation: ArticleTranslation) -> None:
    """Publishing `translation` publishes the picture texts that waited with it."""
    for held in ImageTextChange.objects.filter(translation=translation):
        ImageText.objects.update_or_create(
            image_id=held.image_id,
            language=translation.language,
            defaults={"alt": held.alt, "caption": held.caption},
        )
        held.delete()


def translation_restore(*, revision: Revision, user) -> Revision:
    """Make `revision`'s text the working text again (a new version if the translation is
    live); an original's revision brings back the article's facts it kept, too."""
    translation = revision.translation
    kept = translation_save_text(
        translation=translation,
        text={f: getattr(revision, f) for f in TEXT_FIELDS},
        user=user,
        note=f"#{revision.number}",
    )
    is_original = translation.language == translation.article.original_language
    if revision.facts is not None and is_original:
        # Raises FactsError (and the caller's transaction drops the text too) when a
        # section, person or picture it names is gone.
        facts.article_save_facts(article=translation.article, facts=revision.facts, user=user)
        kept = revisions.latest(translation) or kept
    return kept or revision


def original_of(translation: ArticleTranslation) -> ArticleTranslation | None:
    article = translation.article
    if translation.language == article.original_language:
        return None
    return ArticleTranslation.objects.filter(
        article=article, language=article.original_language
    ).first()


def original_latest_revision(translation: ArticleTranslation) -> Revision | None:
    """The original's text translations follow: its latest approved revision, or, while it
    was never approved, its latest one (translators may work ahead of the approval)."""
    original = original_of(translation)
    if original is None:
        return None
    approved = revisions.latest_approved(original)
    if approved is not None:
        return approved
    if original.status == Status.PUBLISHED:
        # Published before approvals were kept: its approved text is the row's.
        return (
            original.revisions.filter(title=original.title, lead=original.lead, body=original.body)
            .order_by("-number")
            .first()
        )
    return revisions.latest(original)


@dataclass(frozen=True)
class Freshness:
    """How a translation stands against its original."""

    outdated: bool
    basis: Revision | None  # the original's revision it was translated from
    current: Revision | None  # the original's latest revision


def freshness(translation: ArticleTranslation) -> Freshness:
    current = original_latest_revision(translation)
    basis = translation.translated_from
    return Freshness(is_outdated(basis, current), basis, current)


def is_outdated(basis: Revision | None, current: Revision | None) -> bool:
    """Outdated when the original has a later revision whose words differ from the basis."""
    if basis is None or current is None or current.number <= basis.number:
        return False
    return any(getattr(basis, f) != getattr(current, f) for f in ("title", "lead", "body"))


def translation_mark_current(*, translation: ArticleTranslation, user) -> WorkflowEvent:
    """The translator says the translation now renders the original's latest revision."""
    if not can_edit(user, translation):
        raise PermissionDenied(_("You cannot work on this language of this article."))
    with transaction.atomic():
        current = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        latest = original_latest_revision(current)
        if latest is None:
            raise ValueError("an original needs no bringing up to date")
        current.translated_from = latest
        current.save(update_fields=["translated_from", "updated_at"])
        translation.translated_from = latest
        return WorkflowEvent.objects.create(
            translation=current,
            actor=user,
            action=Action.MARK_CURRENT,
            from_status=current.status,
            to_status=current.status,
            comment=_("Brought up to date with revision #%(number)s of the original.")
            % {"number": latest.number},
        )


def with_original_latest(queryset):
    """Each translation with the original's revision translations follow: its latest
    approved one, or its latest while it was never approved (`editing.original_latest_revision`)."""
    of_original = Revision.objects.filter(
        translation__article=OuterRef("article_id"),
        translation__language=OuterRef("article__original_language"),
    ).order_by("-number")
    approved = of_original.filter(approved=True)
    return queryset.annotate(
        original_latest_id=Coalesce(
            Subquery(approved.values("id")[:1]), Subquery(of_original.values("id")[:1])
        ),
        original_latest_number=Coalesce(
            Subquery(approved.values("number")[:1]), Subquery(of_original.values("number")[:1])
        ),
    )


def outdated_ids(translations) -> set[int]:
    """Of these translations, the ones whose original has changed since (text compared)."""
    candidates = [
        t
        for t in translations
        if t.translated_from_id
        and t.original_latest_id
        and t.original_latest_number > t.translated_from.number
    ]
    wanted = {t.original_latest_id for t in candidates} | {t.translated_from_id for t in candidates}
    by_id = Revision.objects.in_bulk(wanted)
    return {
        t.pk
        for t in candidates
        if is_outdated(by_id[t.translated_from_id], by_id[t.original_latest_id])
    }
