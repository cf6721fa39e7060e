"""The translation desk (one translation beside its original, segment by segment) and
the translation status board (every article × language)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cangxanh.core import languages
from cangxanh.news import kinds
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Section,
    SectionTranslation,
    Status,
)

from . import editing, revisions, segments
from .roles import can_approve, can_edit, user_languages
from .views import _context


def access_job(user, article_id: int, language: str):
    """A translation job: the article, its original, its translation into `language` (None
    when there is none yet) and that translation or an unsaved stand-in for permission
    checks. 404 for an unknown article or language, the original's own language or an
    article without an original; 403 unless `user` may write that language or approve.
    """
    if language not in languages.codes():
        raise Http404
    article = get_object_or_404(
        Article.objects.select_related("section").prefetch_related(
            Prefetch(
                "article_images",
                queryset=ArticleImage.objects.select_related("image").prefetch_related(
                    "image__texts"
                ),
            )
        ),
        pk=article_id,
    )
    if language == article.original_language:
        raise Http404
    rows = {
        row.language: row
        for row in ArticleTranslation.objects.filter(
            article=article, language__in=[language, article.original_language]
        ).select_related("translated_from", "pending_version")
    }
    original, translation = rows.get(article.original_language), rows.get(language)
    if original is None:
        raise Http404
    probe = translation or ArticleTranslation(article=article, language=language)
    if not (can_edit(user, probe) or can_approve(user)):
        raise PermissionDenied
    kind = kinds.get(article.kind)
    if kind is not None and kind.translatable is not None and not kind.translatable(user, original):
        raise PermissionDenied(
            _("This text cannot be translated yet: it is still being checked for personal data.")
        )
    return article, original, translation, probe


class DeskForm(forms.Form):
    """Title, lead, one field per segment of the original, and the images' texts."""

    title = forms.CharField(label=gettext_lazy("title"), max_length=300)
    lead = forms.CharField(
        label=gettext_lazy("lead"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, original_segments, images, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_segments = original_segments
        self.images = images
        for index, _segment in enumerate(original_segments):
            self.fields[f"seg-{index}"] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        for image in images:
            self.fields[f"alt-{image.pk}"] = forms.CharField(
                label=gettext_lazy("alt text"), required=False, max_length=300
            )
            self.fields[f"caption-{image.pk}"] = forms.CharField(
                label=gettext_lazy("caption"), required=False, max_length=500
            )

    def clean(self):
        data = super().clean()
        for index, segment in enumerate(self.original_segments):
            name = f"seg-{index}"
            if segment.tag == segments.PICTURE and "<" in data.get(name, ""):
                self.add_error(name, _("An alt text is plain text, without markup."))
                continue
            for error in segments.markup_errors(data.get(name, "")):
                self.add_error(name, error)
        for image in self.images:
            alt, caption = data.get(f"alt-{image.pk}", ""), data.get(f"caption-{image.pk}", "")
            if caption and not alt:
                self.add_error(
                    f"alt-{image.pk}",
                    _("Describe the picture for people who cannot see it before adding a caption."),
                )
        return data

    def segment_texts(self) -> list[str]:
        return [self.cleaned_data.get(f"seg-{i}", "") for i in range(len(self.original_segments))]


def segment_kind(tag: str) -> str:
    """What a segment is, in the editor's words."""
    if tag.startswith("h"):
        return _("heading")
    return {
        "img": _("picture's alt text"),
        "li": _("list item"),
        "blockquote": _("quotation"),
        "figcaption": _("caption"),
        "caption": _("table caption"),
        "th": _("table heading"),
        "td": _("table cell"),
    }.get(tag, _("paragraph"))


def _initial(translation, original_segments, images, language) -> dict:
    initial: dict = {}
    if translation is not None:
        words = editing.working_text(translation)
        initial |= {"title": words.title, "lead": words.lead}
        aligned = segments.align(original_segments, segments.split(words.body))
        for index, segment_words in enumerate(aligned):
            initial[f"seg-{index}"] = segment_words
    for image_id, (alt, caption) in editing.image_texts_working(
        translation, images, language
    ).items():
        initial[f"alt-{image_id}"] = alt
        initial[f"caption-{image_id}"] = caption
    return initial


@staff_member_required
def desk(request, article_id: int, language: str):
    article, original, translation, probe = access_job(request.user, article_id, language)
    may_edit = can_edit(request.user, probe)
    # The original as approved (its row: the published text, or the only text while it
    # was never published), never a new version still waiting for approval.
    source = original
    original_segments = segments.split(source.body)
    images = [item.image for item in article.article_images.all()]
    form_kwargs = {"original_segments": original_segments, "images": images}
    status = 200

    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if request.POST.get("action") == "mark_current":
            if translation is None:
                raise Http404
            editing.translation_mark_current(translation=translation, user=request.user)
            messages.success(request, _("Marked as up to date with the original."))
            return redirect("editorial:desk", article_id=article.pk, language=language)
        form = DeskForm(request.POST, **form_kwargs)
        if form.is_valid():
            translation = _save(request, article, translation, language, source, form, images)
            messages.success(request, _("Translation saved."))
            if request.POST.get("action") == "save_current":
                editing.translation_mark_current(translation=translation, user=request.user)
            return redirect("editorial:desk", article_id=article.pk, language=language)
        status = 400
    else:
        form = DeskForm(
            initial=_initial(translation, original_segments, images, language), **form_kwargs
        )

    fresh = editing.freshness(translation) if translation is not None else None
    changes = revisions.compare(fresh.basis, fresh.current) if fresh and fresh.outdated else None
    rows = [
        {"original": segment, "field": form[f"seg-{index}"], "kind": segment_kind(segment.tag)}
        for index, segment in enumerate(original_segments)
    ]
    extra = []
    if translation is not None:
        extra = segments.split(editing.working_text(translation).body)[len(original_segments) :]
    return render(
        request,
        "editorial/desk.html",
        _context(
            request,
            title=_("Translation desk"),
            article=article,
            original=original,
            source=source,
            language=languages.get(language),
            original_language=languages.get(article.original_language),
            translation=translation,
            pending=editing.pending_of(translation) if translation else None,
            form=form,
            rows=rows,
            extra_segments=extra,
            images=[
                {
                    "image": image,
                    "source": image.text(article.original_language),
                    "alt": form[f"alt-{image.pk}"],
                    "caption": form[f"caption-{image.pk}"],
                }
                for image in images
            ],
            fresh=fresh,
            changes=changes,
            may_edit=may_edit,
        ),
        status=status,
    )


def _save(request, article, translation, language, source, form, images) -> ArticleTranslation:
    data = form.cleaned_data
    target = translation or ArticleTranslation(article=article, language=language)
    text = {
        "title": data["title"],
        "slug": editing.working_text(translation).slug if translation else "",
        "lead": data["lead"],
        "body": segments.fill(source.body, form.segment_texts()),
    }
    with transaction.atomic():
        editing.translation_save_text(translation=target, text=text, user=request.user)
        texts = {}
        for image in images:
            alt = data.get(f"alt-{image.pk}", "").strip()
            if alt:  # an empty alt text is "not written yet", never a deletion
                texts[image.pk] = (alt, data.get(f"caption-{image.pk}", "").strip())
        editing.translation_save_image_texts(translation=target, texts=texts, user=request.user)
    return target


# The board -------------------------------------------------------------------------

MISSING, OUTDATED, SCHEDULED = "missing", "outdated", "scheduled"
BOARD_STATES = [
    (MISSING, gettext_lazy("Missing")),
    (Status.DRAFT, Status.DRAFT.label),
    (Status.REVIEW, Status.REVIEW.label),
    (Status.PUBLISHED, Status.PUBLISHED.label),
    (OUTDATED, gettext_lazy("Outdated")),
]


class BoardFilter(forms.Form):
    section = forms.ModelChoiceField(
        label=gettext_lazy("section"), queryset=Section.objects.none(), required=False
    )
    language = forms.ChoiceField(label=gettext_lazy("language"), required=False)
    translator = forms.ModelChoiceField(
        label=gettext_lazy("translator"), queryset=get_user_model().objects.none(), required=False
    )
    state = forms.ChoiceField(label=gettext_lazy("status"), required=False)

    def __init__(self, *args, lang: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.prefetch_related(
            Prefetch("translations", queryset=SectionTranslation.objects.filter(language=lang))
        )
        self.fields["section"].label_from_instance = lambda s: (
            s.translation(lang).name if s.translation(lang) else s.key
        )
        self.fields["language"].choices = [("", "—"), *languages.choices()]
        self.fields["translator"].queryset = (
            get_user_model()
            .objects.filter(is_staff=True, revisions__isnull=False)
            .distinct()
            .order_by("username")
        )
        self.fields["state"].choices = [("", "—"), *BOARD_STATES]


def _cell_state(translation: ArticleTranslation | None, outdated: set[int]) -> dict:
    if translation is None:
        return {"state": MISSING}
    pending = getattr(translation, "pending_state", None)
    return {
        "state": translation.status,
        "scheduled": translation.is_scheduled,
        "pending": pending,
        "outdated": translation.pk in outdated,
        "translation": translation,
    }


@staff_member_required
def board(request):
    lang = request.LANGUAGE_CODE
    filters = BoardFilter(request.GET or None, lang=lang)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    articles = Article.objects.select_related("section").order_by("-created_at", "-id")
    if chosen.get("section"):
        articles = articles.filter(section=chosen["section"])
    if chosen.get("translator"):
        articles = articles.filter(translations__revisions__author=chosen["translator"]).distinct()
    codes = [chosen["language"]] if chosen.get("language") else languages.codes()

    translations = list(
        editing.with_original_latest(
            ArticleTranslation.objects.filter(article__in=articles, language__in=codes)
        )
        .select_related("translated_from", "article")
        .annotate(pending_state=F("pending_version__state"))
        .only(
            "id",
            "article_id",
            "language",
            "title",
            "status",
            "published_at",
            "translated_from",
            "article__original_language",
        )
    )
    outdated = editing.outdated_ids(translations)
    by_cell = {(t.article_id, t.language): t for t in translations}

    article_ids = list(articles.values_list("id", flat=True))
    counts = {
        code: {
            key: sum(
                _matches(_cell_state(by_cell.get((a, code)), outdated), key) for a in article_ids
            )
            for key, _label in BOARD_STATES
        }
        for code in codes
    }
    if chosen.get("state"):
        article_ids = [
            a
            for a in article_ids
            if any(
                _matches(_cell_state(by_cell.get((a, c)), outdated), chosen["state"]) for c in codes
            )
        ]
    page = Paginator(article_ids, 50).get_page(request.GET.get("page"))
    shown = Article.objects.in_bulk(page.object_list)
    titles = dict(
        ArticleTranslation.objects.filter(
            article_id__in=page.object_list, language=F("article__original_language")
        ).values_list("article_id", "title")
    )
    rows = []
    # Only the cells this user may open are links (the desk answers others with 403).
    writable = user_languages(request.user)
    for article_id in page.object_list:
        article = shown[article_id]
        cells = []
        for code in codes:
            cell = _cell_state(by_cell.get((article_id, code)), outdated)
            cell["language"] = code
            cell["original"] = code == article.original_language
            if code not in writable:
                cell["href"] = ""
            elif cell["original"]:
                cell["href"] = reverse("admin:news_article_change", args=[article_id])
            else:
                cell["href"] = reverse(
                    "editorial:desk", kwargs={"article_id": article_id, "language": code}
                )
            cells.append(cell)
        rows.append(
            {"article": article, "title": titles.get(article_id, f"#{article_id}"), "cells": cells}
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "editorial/board.html",
        _context(
            request,
            title=_("Translation status"),
            filters=filters,
            languages=[languages.get(code) for code in codes],
            counts=[
                (languages.get(code), [counts[code][key] for key, _label in BOARD_STATES])
                for code in codes
            ],
            states=BOARD_STATES,
            rows=rows,
            page=page,
            query=query.urlencode(),
            my_languages=user_languages(request.user),
        ),
    )


def _matches(cell: dict, key: str) -> bool:
    if key == OUTDATED:
        return bool(cell.get("outdated"))
    if key == Status.DRAFT:
        return cell["state"] == Status.DRAFT or cell.get("pending") == Status.DRAFT
    if key == Status.REVIEW:
        return cell["state"] == Status.REVIEW or cell.get("pending") == Status.REVIEW
    return cell["state"] == key
