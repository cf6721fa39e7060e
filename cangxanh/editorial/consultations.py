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
from cangxanh.consultations.models import KIND, Comment, Refusal
from cangxanh.inbox.models import State
from cangxanh.news.models import Article


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


def _paragraph_texts(article: Article) -> dict[str, tuple[int, str]]:
    """{anchor: (number, words)} of the draft in its original language, as it is now."""
    original = next(
        (t for t in article.translations.all() if t.language == article.original_language), None
    )
    if original is None:
        return {}
    return {
        p.key: (number, p.text)
        for number, p in enumerate(anchors.paragraphs(original.body), start=1)
        if p.key
    }


@staff_member_required
def consultation_comments(request, article_id: int):
    """One consultation's comments: those waiting first, then the others."""
    _moderator(request)
    article = get_object_or_404(
        Article.objects.filter(kind=KIND).prefetch_related("translations"), pk=article_id
    )
    texts = _paragraph_texts(article)
    comments = list(Comment.objects.filter(consultation=article).prefetch_related("events__actor"))
    for comment in comments:
        number, words = texts.get(comment.paragraph, (0, ""))
        comment.paragraph_number = number
        comment.paragraph_text = words
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
