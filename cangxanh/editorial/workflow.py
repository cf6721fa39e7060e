"""The editorial workflow of one translation, enforced here and nowhere else.

    draft ──submit──▶ review ──publish (now or at a time)──▶ published
      ▲  ◀──reject (comment)──┘ ◀──withdraw──┘                 │
      │                                              unpublish / archive
      └──────────────reopen──────── unpublished / archived ◀──┘
                                                 ▲
    review ──send (kinds that close privately)───┘

Every step checks the actor's rights on the server, records a WorkflowEvent and
happens in one transaction. A scheduled publication is simply `published` with a
future `published_at`: readers see it when that time comes, with no worker.

Editing a published translation makes a new version (`editing.translation_save_text`)
that goes through submit, reject and publish of its own (or is discarded) while
readers keep the published text; publishing it replaces that text.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cangxanh.images.models import Image, ImageText
from cangxanh.news import kinds
from cangxanh.news.models import ArticleTranslation, Status
from cangxanh.search.index import article_entries_update, entry_update

from . import editing, facts, revisions
from .editing import pending_of
from .models import Action, ImageTextChange, PendingVersion, WorkflowEvent
from .roles import can_approve, can_edit


class WorkflowError(Exception):
    """A step that is not possible now (wrong state, missing comment, missing alt text)."""


# How far ahead a publication may be scheduled: two years, a leap day included. Further
# is a typo (9999 for 2026) that would hide an approved text from readers for ever.
SCHEDULE_HORIZON = timedelta(days=731)


def beyond_horizon(publish_at: datetime | None) -> bool:
    """Whether `publish_at` lies further ahead than a publication may be scheduled."""
    return publish_at is not None and publish_at > timezone.now() + SCHEDULE_HORIZON


def horizon_message() -> str:
    """Why a time too far ahead is refused (shared by the steps form and `perform`)."""
    return _("Choose a time at most two years from now, or leave it empty.")


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    approver_only: bool


STEPS: dict[str, Step] = {
    Action.SUBMIT: Step((Status.DRAFT,), Status.REVIEW, approver_only=False),
    Action.WITHDRAW: Step((Status.REVIEW,), Status.DRAFT, approver_only=False),
    Action.REJECT: Step((Status.REVIEW,), Status.DRAFT, approver_only=True),
    Action.PUBLISH: Step(
        (Status.DRAFT, Status.REVIEW, Status.UNPUBLISHED), Status.PUBLISHED, approver_only=True
    ),
    Action.UNPUBLISH: Step((Status.PUBLISHED,), Status.UNPUBLISHED, approver_only=True),
    Action.ARCHIVE: Step((Status.PUBLISHED, Status.UNPUBLISHED), Status.ARCHIVED, True),
    Action.REOPEN: Step((Status.UNPUBLISHED, Status.ARCHIVED), Status.DRAFT, approver_only=False),
    # Approved and sent to one person, never public (kinds with `private_close` only).
    Action.SEND: Step((Status.REVIEW,), Status.ARCHIVED, approver_only=True),
}


# A published translation being edited has a new version with its own small workflow;
# the translation itself stays published (and unpublishable) meanwhile.
NEW_VERSION_STEPS: dict[str, Step] = {
    Action.SUBMIT: Step((Status.DRAFT,), Status.REVIEW, approver_only=False),
    Action.WITHDRAW: Step((Status.REVIEW,), Status.DRAFT, approver_only=False),
    Action.REJECT: Step((Status.REVIEW,), Status.DRAFT, approver_only=True),
    Action.PUBLISH: Step((Status.DRAFT, Status.REVIEW), Status.PUBLISHED, approver_only=True),
    Action.DISCARD: Step((Status.DRAFT, Status.REVIEW), Status.PUBLISHED, approver_only=False),
}


def _step_for(translation: ArticleTranslation, pending: PendingVersion | None, action: str):
    """The step `action` means now, and the status it starts from; (None, "") if none."""
    if pending is not None and action in NEW_VERSION_STEPS:
        return NEW_VERSION_STEPS[action], pending.state
    if action in STEPS:
        return STEPS[action], translation.status
    return None, ""


def original_waits(translation: ArticleTranslation) -> bool:
    """Is this a translation whose original no approver has published yet?

    The rule: a translation may be written and submitted before its original is
    approved (translators work ahead), but is published only once the original is.
    """
    if translation.language == translation.article.original_language:
        return False
    return _published_original(translation) is None


def _published_original(translation: ArticleTranslation) -> ArticleTranslation | None:
    article = translation.article
    return ArticleTranslation.objects.filter(
        article=article, language=article.original_language, status=Status.PUBLISHED
    ).first()


def _check_original_approved(translation: ArticleTranslation, publish_at) -> None:
    if translation.language == translation.article.original_language:
        return
    original = _published_original(translation)
    if original is None:
        raise WorkflowError(
            _("Publish the original first: a translation appears only after its original.")
        )
    when = publish_at or timezone.now()
    if original.published_at and when < original.published_at:
        raise WorkflowError(
            _("The original appears on %(when)s: schedule the translation at that time or later.")
            % {
                "when": formats.date_format(
                    timezone.localtime(original.published_at), "DATETIME_FORMAT"
                )
            }
        )


def _closes_privately(translation: ArticleTranslation) -> bool:
    """May this text be sent privately? Only an original, of a kind that closes privately
    (its translations follow it, never sent by themselves)."""
    kind = kinds.get(translation.article.kind)
    return (
        kind is not None
        and kind.private_close
        and translation.language == translation.article.original_language
    )


def allowed(user, translation: ArticleTranslation, action: str) -> bool:
    if action == Action.SEND and not _closes_privately(translation):
        return False
    step, state = _step_for(translation, pending_of(translation), action)
    if step is None or state not in step.sources:
        return False
    if action == Action.PUBLISH and original_waits(translation):
        return False
    if step.approver_only:
        return can_approve(user)
    return can_edit(user, translation)


def available_actions(user, translation: ArticleTranslation) -> list[str]:
    return [action for action in Action if allowed(user, translation, action)]


def perform(
    translation: ArticleTranslation,
    action: str,
    user,
    *,
    comment: str = "",
    publish_at: datetime | None = None,
) -> WorkflowEvent:
    """Move `translation` one step; raise PermissionDenied or WorkflowError if it may not."""
    comment = (comment or "").strip()
    with transaction.atomic():
        # Lock the row: two approvers pressing at once make one step, not two.
        current = ArticleTranslation.objects.select_for_update().get(pk=translation.pk)
        pending = (
            PendingVersion.objects.select_for_update().filter(translation=current).first()
            if current.status == Status.PUBLISHED
            else None
        )
        step, from_status = _step_for(current, pending, action)
        if step is None or (action == Action.SEND and not _closes_privately(current)):
            raise WorkflowError(_("Unknown action."))
        if step.approver_only and not can_approve(user):
            raise PermissionDenied(_("Only an approver can do this."))
        if not step.approver_only and not can_edit(user, current):
            raise PermissionDenied(_("You cannot work on this language of this article."))
        if from_status not in step.sources:
            raise WorkflowError(
                _("This is not possible while it is “%(status)s”.")
                % {"status": Status(from_status).label}
            )
        if action == Action.REJECT and not comment:
            raise WorkflowError(_("Say why it is rejected: the author will read your comment."))
        if publish_at is not None and action != Action.PUBLISH:
            raise WorkflowError(_("Only publishing takes a time."))
        if beyond_horizon(publish_at):
            raise WorkflowError(horizon_message())

        new_version = pending is not None and action in NEW_VERSION_STEPS
        if action == Action.PUBLISH:
            _check_original_approved(current, publish_at)
        kind = kinds.get(current.article.kind)
        if kind is not None and kind.before_step is not None:
            try:
                kind.before_step(current, action, pending if new_version else None)
            except ValidationError as error:
                raise WorkflowError(" ".join(error.messages)) from None
        if new_version:
            _new_version_step(current, pending, action, publish_at, user)
        else:
            _row_step(current, pending, step, action, publish_at)
        if action in (Action.PUBLISH, Action.SEND):
            # What readers now get (or will at the scheduled time), or what was sent, is
            # approved text: the original's translations follow it from now on.
            revisions.mark_approved(current, user)
        event = WorkflowEvent.objects.create(
            translation=current,
            actor=user,
            action=action,
            from_status=from_status,
            to_status=step.target,
            comment=comment,
            publish_at=current.published_at if action == Action.PUBLISH else None,
            new_version=new_version,
        )
        if kind is not None and kind.after_step is not None:
            kind.after_step(current, action, event)
        # What readers can find follows what they can see, in the same transaction: a
        # process killed at any moment leaves both as they were, or both changed.
        entry_update(current)
    translation.status, translation.published_at = current.status, current.published_at
    for field in editing.TEXT_FIELDS:
        setattr(translation, field, getattr(current, field))
    if ArticleTranslation.pending_version.related.is_cached(translation):
        ArticleTranslation.pending_version.related.delete_cached_value(translation)
    return event


def _row_step(current, pending, step: Step, action: str, publish_at) -> None:
    from_status = current.status
    current.status = step.target
    fields = ["status", "published_at", "updated_at"]
    if action == Action.PUBLISH:
        editing.image_texts_apply(current)
        _check_ready_to_publish(current)
        if publish_at is not None:
            current.published_at = publish_at
        elif from_status != Status.UNPUBLISHED or current.published_at is None:
            current.published_at = timezone.now()
    if pending is not None:
        # No longer public: the words being worked on become the translation's own.
        for field in editing.TEXT_FIELDS:
            setattr(current, field, getattr(pending, field))
        fields += editing.TEXT_FIELDS
        if pending.facts is not None:
            _facts_leave_with_original(current, pending)
        pending.delete()
    current.save(update_fields=fields)


def _facts_leave_with_original(current, pending: PendingVersion) -> None:
    """The original stops being public while its new version carries new facts."""
    others_public = (
        ArticleTranslation.objects.filter(article_id=current.article_id, status=Status.PUBLISHED)
        .exclude(pk=current.pk)
        .exists()
    )
    if others_public:
        # Readers of the other languages see the facts: they keep needing approval.
        raise WorkflowError(
            _(
                "The new version changes the article's facts, which readers of the other "
                "languages see: publish it or discard it first."
            )
        )
    facts.apply(current.article, pending.facts)
    article_entries_update(current.article)


def _new_version_step(current, pending: PendingVersion, action: str, publish_at, user) -> None:
    if action == Action.PUBLISH:
        editing.image_texts_apply(current)
        _check_ready_to_publish(current)
        if pending.facts is not None:
            shown_in = list(
                ArticleTranslation.objects.filter(
                    article_id=current.article_id, status=Status.PUBLISHED
                ).values_list("language", flat=True)
            )
            check_described(pending.facts["images"], shown_in)
            facts.apply(current.article, pending.facts)
            article_entries_update(current.article)
        for field in editing.TEXT_FIELDS:
            setattr(current, field, getattr(pending, field))
        if publish_at is not None:
            if current.is_public:
                raise WorkflowError(
                    _("This translation is already public: its new version appears when published.")
                )
            current.published_at = publish_at
        current.save(update_fields=[*editing.TEXT_FIELDS, "published_at", "updated_at"])
        pending.delete()
    elif action == Action.DISCARD:
        pending.delete()
        ImageTextChange.objects.filter(translation=current).delete()
        # The working text is the published one again.
        revisions.record(current, user, note="")
    else:
        pending.state = NEW_VERSION_STEPS[action].target
        pending.save(update_fields=["state", "updated_at"])


def _check_ready_to_publish(translation: ArticleTranslation) -> None:
    images = list(
        translation.article.article_images.order_by("position", "id").values_list(
            "image_id", flat=True
        )
    )
    check_described(images, [translation.language])


def check_described(image_ids: list[int], languages: list[str]) -> None:
    """Every picture needs alt text in every language it is to be shown in."""
    described = set(
        ImageText.objects.filter(image_id__in=image_ids, language__in=languages)
        .exclude(alt="")
        .values_list("image_id", "language")
    )
    names = {image.pk: str(image) for image in Image.objects.filter(pk__in=image_ids)}
    missing = [
        names.get(image_id, str(image_id)) + ("" if len(languages) == 1 else f" ({language})")
        for image_id in image_ids
        for language in languages
        if (image_id, language) not in described
    ]
    if missing:
        raise WorkflowError(
            _("Add alt text in this language to every image first: %(images)s.")
            % {"images": ", ".join(missing)}
        )


def latest_rejection(translation: ArticleTranslation) -> WorkflowEvent | None:
    """The approver's comment the author must see while the draft is back with them."""
    pending = pending_of(translation)
    state = pending.state if pending is not None else translation.status
    if state != Status.DRAFT:
        return None
    last = (
        translation.workflow_events.exclude(action=Action.MARK_CURRENT)
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.action != Action.REJECT or last.new_version != (pending is not None):
        return None
    return last
