"""Changing a picture readers see: its file, credit, focal point, alt texts or captions.

A picture used by anything published (an article's pictures or a body, in any
language, a scheduled publication included) keeps what readers see until an
approver publishes its new version (`PendingImage`); the step is audited like a
translation's (`WorkflowEvent` with the image). A picture nothing public uses is
changed at once. Translators change alt texts and captions only at the desk, in
their translation's new version (`editing.translation_save_image_texts`).
"""

import contextlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cangxanh.images.access import other_public_uses, used_by
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import ArticleTranslation, Status

from .models import Action, PendingImage, WorkflowEvent
from .roles import can_approve

IMAGE_FIELDS = ("credit", "focal_x", "focal_y")


def shown_in(image_ids, language: str | None = None) -> set[int]:
    """Of these pictures, the ones readers see (or will, at a scheduled time), in
    `language` or in any language."""
    published = ArticleTranslation.objects.filter(status=Status.PUBLISHED)
    if language is not None:
        published = published.filter(language=language)
    # A public registry record's picture is shown in every language.
    shown = used_by(published) | Q(pk__in=other_public_uses())
    found = Image.objects.filter(shown, pk__in=list(image_ids))
    return set(found.values_list("pk", flat=True))


def in_public_use(image_id: int) -> bool:
    return bool(shown_in([image_id]))


def may_change(user) -> bool:
    """Editors and approvers change pictures in the library; translators only their
    languages' texts, at the desk."""
    return user.is_active and (user.is_superuser or user.has_perm("images.change_image"))


def pending_of(image: Image) -> PendingImage | None:
    return PendingImage.objects.filter(image=image).first()


def image_save_version(
    *, image: Image, fields: dict, texts: dict[str, tuple[str, str]], new_file, user
) -> PendingImage | None:
    """Keep changes to a public picture as its new version; None when nothing differs
    from what readers see (a waiting version is then dropped).

    `fields`: credit, focal_x, focal_y as wanted; `texts`: {language: (alt, caption)}
    for the languages the form holds (others keep what waits for them); `new_file`:
    an uploaded file, or None.
    """
    if not may_change(user):
        raise PermissionDenied(_("You cannot change pictures in the library."))
    live = Image.objects.get(pk=image.pk)
    live_texts = {t.language: (t.alt, t.caption) for t in live.texts.all()}
    with transaction.atomic():
        version = PendingImage.objects.select_for_update().filter(image=live).first()
        changed_texts = dict(version.texts) if version is not None else {}
        for lang, (alt, caption) in texts.items():
            if alt and live_texts.get(lang) != (alt, caption):
                changed_texts[lang] = {"alt": alt, "caption": caption}
            else:
                changed_texts.pop(lang, None)
        changed_fields = [
            f for f in IMAGE_FIELDS if fields.get(f, getattr(live, f)) != getattr(live, f)
        ]
        has_file = new_file is not None or (version is not None and bool(version.file))
        if not (changed_fields or changed_texts or has_file):
            if version is not None:
                version.delete()  # edited back to what readers see
            return None
        version = version or PendingImage(image=live)
        for name in IMAGE_FIELDS:
            setattr(version, name, fields.get(name, getattr(live, name)))
        version.texts = changed_texts
        version.author = user if user.is_authenticated else None
        if new_file is not None:
            if version.file:
                version.file.delete(save=False)
            version.file.save(new_file.name, new_file, save=False)
        version.save()
    return version


def image_publish_version(*, image: Image, user, comment: str = "") -> WorkflowEvent:
    """An approver makes the waiting version what readers see."""
    if not can_approve(user):
        raise PermissionDenied(_("Only an approver can do this."))
    with transaction.atomic():
        version = PendingImage.objects.select_for_update().filter(image=image).first()
        if version is None:
            raise PermissionDenied(_("This picture has no new version waiting."))
        live = Image.objects.select_for_update().get(pk=image.pk)
        fields = list(IMAGE_FIELDS)
        for name in IMAGE_FIELDS:
            setattr(live, name, getattr(version, name))
        if version.file:
            live.file.name = version.file.name
            live.width, live.height = version.width, version.height
            fields += ["file", "width", "height"]
        live.save(update_fields=fields)
        for lang, text in version.texts.items():
            ImageText.objects.update_or_create(
                image=live, language=lang, defaults={"alt": text["alt"], "caption": text["caption"]}
            )
        version.delete()  # its file is now the picture's own
        event = _audit(live, user, Action.PUBLISH, comment)
    _renditions_on_commit(live)
    return event


def image_discard_version(*, image: Image, user) -> WorkflowEvent:
    if not (may_change(user) or can_approve(user)):
        raise PermissionDenied(_("You cannot change pictures in the library."))
    with transaction.atomic():
        version = PendingImage.objects.select_for_update().filter(image=image).first()
        if version is None:
            raise PermissionDenied(_("This picture has no new version waiting."))
        if version.file:
            name = version.file.name
            transaction.on_commit(lambda: version.file.storage.delete(name))
        version.delete()
        return _audit(image, user, Action.DISCARD)


def _audit(image: Image, user, action: str, comment: str = "") -> WorkflowEvent:
    """A step of a picture's new version, in the same audit log as translations'."""
    return WorkflowEvent.objects.create(
        image=image,
        actor=user,
        action=action,
        from_status=Status.REVIEW,
        to_status=Status.PUBLISHED,
        comment=comment,
        new_version=True,
    )


def _renditions_on_commit(image: Image) -> None:
    from cangxanh.images.renditions import image_renditions_ensure, unreadable

    def make():
        # Unreadable: the page that shows it tries again, and logs.
        with contextlib.suppress(*unreadable()):
            image_renditions_ensure(image=Image.objects.get(pk=image.pk))

    transaction.on_commit(make, robust=True)


def changes(image: Image, version: PendingImage) -> list[tuple[str, str, str]]:
    """What the new version changes, for the approver: (what, readers see, new)."""
    rows = []
    if version.file:
        rows.append((_("file"), str(image), version.file.name.rsplit("/", 1)[-1]))
    if version.credit != image.credit:
        rows.append((_("credit"), image.credit or "—", version.credit or "—"))
    if (version.focal_x, version.focal_y) != (image.focal_x, image.focal_y):
        rows.append(
            (
                _("focal point"),
                f"{image.focal_x}%, {image.focal_y}%",
                f"{version.focal_x}%, {version.focal_y}%",
            )
        )
    live = {t.language: t for t in image.texts.all()}
    for lang, text in sorted(version.texts.items()):
        before = live.get(lang)
        rows.append(
            (
                _("alt text and caption (%(language)s)") % {"language": lang},
                f"{before.alt} — {before.caption}" if before else "—",
                f"{text['alt']} — {text['caption']}" if text["caption"] else text["alt"],
            )
        )
    return rows
