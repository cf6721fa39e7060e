"""The editorial workflow of one translation, enforced here and nowhere else.

    draft ──submit──▶ review ──publish (now or at a time)──▶ published
      ▲  ◀──reject (comment)──┘ ◀──withdraw──┘                 │
      │                                              unpublish / archive
      └──────────────reopen──────── unpublished / archived ◀──┘

Every step checks the actor's rights on the server, records a WorkflowEvent and
happens in one transaction. A scheduled publication is simply `published` with a
future `published_at`: readers see it when that time comes, with no worker.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cangxanh.images.models import ImageText
from cangxanh.news.models import ArticleTranslation, Status

from .models import Action, WorkflowEvent
from .roles import can_approve, can_edit


class WorkflowError(Exception):
    """A step that is not possible now (wrong state, missing comment, missing alt text)."""


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
}


def allowed(user, translation: ArticleTranslation, action: str) -> bool:
    step = STEPS.get(action)
    if step is None or translation.status not in step.sources:
        return False
    if step.approver_only:
        return can_approve(user)
    return can_edit(user, translation)


def available_actions(user, translation: ArticleTranslation) -> list[str]:
    return [action for action in STEPS if allowed(user, translation, action)]


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
        step = STEPS.get(action)
        if step is None:
            raise WorkflowError(_("Unknown action."))
        if step.approver_only and not can_approve(user):
            raise PermissionDenied(_("Only an approver can do this."))
        if not step.approver_only and not can_edit(user, current):
            raise PermissionDenied(_("You cannot work on this language of this article."))
        if current.status not in step.sources:
            raise WorkflowError(
                _("This is not possible while the translation is “%(status)s”.")
                % {"status": current.get_status_display()}
            )
        if action == Action.REJECT and not comment:
            raise WorkflowError(_("Say why it is rejected: the author will read your comment."))
        if publish_at is not None and action != Action.PUBLISH:
            raise WorkflowError(_("Only publishing takes a time."))

        from_status = current.status
        current.status = step.target
        if action == Action.PUBLISH:
            _check_ready_to_publish(current)
            if publish_at is not None:
                current.published_at = publish_at
            elif from_status != Status.UNPUBLISHED or current.published_at is None:
                current.published_at = timezone.now()
        current.save(update_fields=["status", "published_at", "updated_at"])
        event = WorkflowEvent.objects.create(
            translation=current,
            actor=user,
            action=action,
            from_status=from_status,
            to_status=current.status,
            comment=comment,
            publish_at=current.published_at if action == Action.PUBLISH else None,
        )
    translation.status, translation.published_at = current.status, current.published_at
    return event


def _check_ready_to_publish(translation: ArticleTranslation) -> None:
    described = (
        ImageText.objects.filter(language=translation.language).exclude(alt="").values("image_id")
    )
    missing = [
        str(item.image)
        for item in translation.article.article_images.exclude(
            image_id__in=described
        ).select_related("image")
    ]
    if missing:
        raise WorkflowError(
            _("Add alt text in this language to every image first: %(images)s.")
            % {"images": ", ".join(missing)}
        )


def latest_rejection(translation: ArticleTranslation) -> WorkflowEvent | None:
    """The approver's comment the author must see while the draft is back with them."""
    if translation.status != Status.DRAFT:
        return None
    last = translation.workflow_events.order_by("-created_at", "-id").first()
    return last if last and last.action == Action.REJECT else None
