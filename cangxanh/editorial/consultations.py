"""Moderating the comments on consultations, in the newsroom.

`/editorial/consultations/`: every consultation with what waits for a moderator
(received, and set aside as suspect). `/editorial/consultations/<id>/`: one
consultation's comments, each with the paragraph it is about; publish, or refuse
for a reason from a fixed list (`consultations.models.Refusal`). Each step is an
event of the comment's audit log (`consultations.moderation`). Approvers moderate.
"""

from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cangxanh.consultations import anchors, moderation, queries
from cangxanh.consultations.models import COMMENTABLE_TAGS, KIND, Comment, Refusal
from cangxanh.inbox.models import State
from cangxanh.news.models import Article

from .models import Revision
from .question_views import _flag_label


def _moderator(request) -> None:
    if not moderation.can_moderate(request.user):
        raise PermissionDenied(_("Only approvers moderate comments."))


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
def consultations(request):
    """Every consultation, newest closing first, with its comments by state."""
    _moderator(request)
    now = timezone.now()
    found = (
        Article.objects.filter(kind=KIND, consultation_facts__isnull=False)
        .select_related("consultation_facts")
        .prefetch_related("translations")
        .annotate(
            waiting=Count("comments", filter=Q(comments__state=State.RECEIVED)),
            set_aside=Count("comments", filter=Q(comments__state=State.QUARANTINED)),
            published=Count("comments", filter=Q(comments__state=State.PUBLISHED)),
            refused=Count("comments", filter=Q(comments__state=State.REFUSED)),
        )
        .order_by("-consultation_facts__closes_at", "-pk")
    )
    rows = [
        {
            "article": article,
            "phase": queries.phase(
                article.consultation_facts.opens_at, article.consultation_facts.closes_at, now
            ),
        }
        for article in found
    ]
    return _no_store(
        render(
            request,
            "editorial/consultations.html",
            admin_site.each_context(request)
            | {
                "title": _("Comments on consultations"),
                "rows": rows,
                "total_waiting": sum(r["article"].waiting + r["article"].set_aside for r in rows),
            },
        )
    )


def _numbered(body: str) -> dict[str, tuple[int, str]]:
    """{anchor: (number, words)} of the paragraphs readers comment on, numbered as the
    public page and the comment form number them."""
    found = (p for p in anchors.paragraphs(body) if p.key and p.tag in COMMENTABLE_TAGS)
    return {p.key: (number, p.text) for number, p in enumerate(found, start=1)}


def _paragraphs_of(article: Article, comments: list[Comment]) -> None:
    """Give each comment the number and words of its paragraph: in the text of the
    comment's language as it is now (the number its writer saw), else in the original's;
    a paragraph no longer in the draft is marked `earlier`, with its words from the
    revision its writer read, else the latest that held it."""
    now = {t.language: _numbered(t.body) for t in article.translations.all()}
    original = now.get(article.original_language, {})
    missing = []
    for comment in comments:
        found = now.get(comment.language, {}).get(comment.paragraph) or original.get(
            comment.paragraph
        )
        comment.paragraph_number, comment.paragraph_text = found or (0, "")
        comment.earlier = bool(comment.paragraph) and not found
        if comment.earlier:
            missing.append(comment)
    if not missing:
        return
    bodies: dict[str, list[tuple[int, str]]] = {}
    for language, number, body in (
        Revision.objects.filter(
            translation__article=article,
            translation__language__in={c.language for c in missing},
        )
        .order_by("-number")
        .values_list("translation__language", "number", "body")
    ):
        bodies.setdefault(language, []).append((number, body))
    for comment in missing:
        kept = sorted(
            bodies.get(comment.language, []), key=lambda pair: pair[0] != comment.revision
        )
        for _number, body in kept:
            words = {p.key: p.text for p in anchors.paragraphs(body) if p.key}
            if comment.paragraph in words:
                comment.paragraph_text = words[comment.paragraph]
                break


@staff_member_required
def consultation_comments(request, article_id: int):
    """One consultation's comments: those waiting first, then the others."""
    _moderator(request)
    article = get_object_or_404(
        Article.objects.filter(kind=KIND).prefetch_related("translations"), pk=article_id
    )
    comments = list(Comment.objects.filter(consultation=article).prefetch_related("events__actor"))
    _paragraphs_of(article, comments)
    for comment in comments:
        comment.flag_labels = [_flag_label(flag) for flag in comment.flags]
        comment.decisions = [
            event for event in comment.events.all() if event.action in ("published", "refused")
        ]
    groups = [
        (_("Set aside as suspect"), [c for c in comments if c.state == State.QUARANTINED]),
        (_("Waiting for moderation"), [c for c in comments if c.state == State.RECEIVED]),
        (_("Published"), [c for c in comments if c.state == State.PUBLISHED]),
        (_("Refused"), [c for c in comments if c.state == State.REFUSED]),
    ]
    return _no_store(
        render(
            request,
            "editorial/consultation_comments.html",
            admin_site.each_context(request)
            | {
                "title": _("Comments: %(title)s") % {"title": str(article)},
                "article": article,
                "groups": groups,
                "reasons": Refusal.choices,
                "summary": moderation.summary(article.pk),
            },
        )
    )


@staff_member_required
@require_POST
def comment_step(request, comment_id: int):
    """Publish or refuse one comment (the buttons of the consultation's page)."""
    _moderator(request)
    comment = get_object_or_404(Comment, pk=comment_id)
    back = redirect("editorial:consultation-comments", article_id=comment.consultation_id)
    action = request.POST.get("action")
    try:
        if action == "publish":
            moderation.comment_publish(comment=comment, by=request.user)
            messages.success(request, _("The comment is published."))
        elif action == "refuse":
            moderation.comment_refuse(
                comment=comment, by=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The comment is refused."))
        else:
            raise Http404
    except moderation.ModerationError as error:
        messages.error(request, str(error))
    return back
