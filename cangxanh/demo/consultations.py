"""The demo's consultations (content/consultations.toml): one open, one closed, each a
draft in Vietnamese and English (the English on the original's layout, sharing its
paragraphs' anchors, as the translation desk makes it) with the title and summary in
the other languages, and comments received, published, waiting, set aside or refused
through the moderation service, so the closed one's summary counts real steps.

Dates are relative to the load day. Idempotent: each consultation carries an import
key (`consultation-<key>`), and one that exists is left as it is.
"""

import tomllib
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.utils import timezone

from cangxanh.consultations import anchors, moderation
from cangxanh.consultations.models import COMMENTABLE_TAGS, KIND, ConsultationFacts
from cangxanh.core import languages
from cangxanh.editorial import segments
from cangxanh.editorial.revisions import mark_approved
from cangxanh.inbox.models import State, SubmissionEvent
from cangxanh.news.models import Article, ArticleTranslation, Status

from .markup import markup_to_html

if TYPE_CHECKING:
    from .loader import Report

CONTENT = Path(__file__).parent / "content"
# When in the day things happen, in the site's time zone: a consultation opens at
# 08:00 and closes at 17:00; comments arrive through the day.
OPENS_AT, CLOSES_AT = time(8, 0), time(17, 0)


def _local(day, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_default_timezone())


def _translated_body(original: str, draft: str) -> str:
    """The translation's draft on the original's layout: the same blocks and anchors."""
    words = [paragraph.html for paragraph in anchors.paragraphs(markup_to_html(draft))]
    if len(words) != len(segments.split(original)):
        raise ValueError("a demo translation must follow its original block for block")
    return segments.fill(original, words)


def load_consultations(report: "Report") -> None:
    with open(CONTENT / "consultations.toml", "rb") as fh:
        data = tomllib.load(fh)
    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    approver = User.objects.filter(username="approver").first() or admin
    today = timezone.localdate()
    now = timezone.now()
    for item in data["consultation"]:
        key = f"consultation-{item['key']}"
        if Article.objects.filter(import_key=key).exists():
            continue
        opens_at = _local(today + timedelta(days=item["opens"]), OPENS_AT)
        closes_at = _local(today + timedelta(days=item["closes"]), CLOSES_AT)
        article = Article.objects.create(import_key=key, kind=KIND, original_language="vi")
        ConsultationFacts.objects.create(article=article, opens_at=opens_at, closes_at=closes_at)
        published = opens_at - timedelta(days=1)
        original = None
        rows = {}
        for lang in languages.codes():
            text = item.get(lang)
            if not text:
                continue
            if original is None:
                body = anchors.carry(None, markup_to_html(text.get("draft", "")))
            elif text.get("draft"):
                body = _translated_body(original.body, text["draft"])
            else:
                body = ""  # the title and summary only: the page points to the full text
            row = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=text["title"],
                lead=text["summary"],
                body=body,
                status=Status.PUBLISHED,
                published_at=min(published, now),
                translated_from=original.revisions.order_by("-number").first()
                if original
                else None,
            )
            mark_approved(row)  # as an approver would have published it
            original = original or row
            rows[lang] = row
        for comment in item.get("comment", []):
            _comment(article, rows, comment, opens_at, approver)
            report.add("comments on consultations")
        report.add("consultations")


def _comment(article, rows, data: dict, opens_at: datetime, approver) -> None:
    row = rows[data["lang"]]
    row.article = article
    paragraph = ""
    if data.get("paragraph"):
        commentable = [
            p for p in anchors.paragraphs(row.body) if p.key and p.tag in COMMENTABLE_TAGS
        ]
        paragraph = commentable[data["paragraph"] - 1].key
    sent = opens_at + timedelta(days=data["day"], hours=2)
    comment = moderation.comment_receive(
        consultation=row,
        name=data["name"],
        email="reader@cangxanh.invalid",
        text=data["text"],
        organisation=data.get("organisation", ""),
        paragraph=paragraph,
        revision=row.revisions.filter(approved=True).order_by("-number").first().number,
        reasons=[] if data["state"] != "set_aside" else ["no_proof"],
        proof_ok=data["state"] != "set_aside",
        now=sent,
    )
    decided = min(sent + timedelta(hours=20), timezone.now())
    if data["state"] == "published":
        moderation.comment_publish(comment=comment, by=approver)
    elif data["state"] == "refused":
        moderation.comment_refuse(comment=comment, by=approver, reason=data["reason"])
    elif data["state"] == "waiting" and comment.state != State.RECEIVED:
        raise ValueError(f"demo comment set aside by the screen: {data['text'][:40]}")
    # The moderator's steps a day later, as they happened, not at load time.
    SubmissionEvent.objects.filter(submission=comment).update(created_at=decided)
