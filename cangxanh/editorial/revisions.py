"""Every save keeps a revision of a translation's text; any two can be compared; any
one restored (which is itself a new revision, so nothing is ever lost)."""

import difflib
import html
import re

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cangxanh.news.models import ArticleTranslation

from .models import Revision

FIELDS = ("title", "slug", "lead", "body")


def record(
    translation: ArticleTranslation,
    user=None,
    note: str = "",
    text: dict | None = None,
    facts: dict | None = None,
) -> Revision | None:
    """Snapshot `text` (by default the translation's own) and, for an original, the
    article's `facts` (by default those of its latest revision), unless nothing changed."""
    text = text if text is not None else {f: getattr(translation, f) for f in FIELDS}
    with transaction.atomic():
        # Lock the translation so two saves never take the same number.
        ArticleTranslation.objects.select_for_update().filter(pk=translation.pk).first()
        latest = translation.revisions.order_by("-number").first()
        if facts is None and latest is not None:
            facts = latest.facts
        if latest and all(getattr(latest, f) == text[f] for f in FIELDS) and latest.facts == facts:
            return None
        return Revision.objects.create(
            translation=translation,
            number=(latest.number if latest else 0) + 1,
            author=user if user is not None and user.is_authenticated else None,
            note=note,
            facts=facts,
            **{f: text[f] for f in FIELDS},
        )


def latest(translation: ArticleTranslation) -> Revision | None:
    return translation.revisions.order_by("-number").first()


def latest_approved(translation: ArticleTranslation) -> Revision | None:
    return translation.revisions.filter(approved=True).order_by("-number").first()


def mark_approved(translation: ArticleTranslation, user=None) -> Revision | None:
    """The translation's text (its row) was just published: keep that revision as approved."""
    revision = record(translation, user) or latest(translation)
    if revision is not None and not revision.approved:
        revision.approved = True
        revision.save(update_fields=["approved"])
    return revision


def _paragraphs(markup: str) -> list[str]:
    """The body as readable text, one item per block element."""
    blocks = re.split(r"</(?:p|h[1-6]|li|blockquote|figcaption|tr)>", markup)
    texts = [html.unescape(re.sub(r"<[^>]+>", " ", block)) for block in blocks]
    return [" ".join(text.split()) for text in texts if text.strip()]


def _diff_words(old: str, new: str) -> SafeString:
    a, b = old.split(), new.split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(html.escape(" ".join(a[i1:i2])))
            continue
        if i2 > i1:
            parts.append(f"<del>{html.escape(' '.join(a[i1:i2]))}</del>")
        if j2 > j1:
            parts.append(f"<ins>{html.escape(' '.join(b[j1:j2]))}</ins>")
    return mark_safe(" ".join(parts))  # every piece of text above is escaped


def compare(old, new) -> list[tuple[str, list[SafeString], bool]]:
    """Per field: the paragraphs with words removed in <del> and added in <ins>.

    `old` and `new` are anything with title, lead and body: revisions, translations.
    """
    result = []
    for field in ("title", "lead", "body"):
        before = _paragraphs(getattr(old, field)) if field == "body" else [getattr(old, field)]
        after = _paragraphs(getattr(new, field)) if field == "body" else [getattr(new, field)]
        blocks: list[SafeString] = []
        matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                blocks += [escape(p) for p in before[i1:i2]]
            elif op == "replace" and i2 - i1 == j2 - j1:
                blocks += [
                    _diff_words(x, y) for x, y in zip(before[i1:i2], after[j1:j2], strict=True)
                ]
            else:
                blocks += [_diff_words(p, "") for p in before[i1:i2]]
                blocks += [_diff_words("", p) for p in after[j1:j2]]
        changed = before != after
        result.append((field, blocks, changed))
    return result
