from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cangxanh.news.models import ArticleTranslation, SectionTranslation, Status, make_slug

pytestmark = pytest.mark.django_db


def test_one_translation_per_language_is_enforced_by_the_database(make_article):
    article = make_article(["vi"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleTranslation.objects.create(
            article=article, language="vi", title="Bản thứ hai", status=Status.DRAFT
        )


def test_published_translation_needs_a_time(make_article):
    article = make_article(["vi"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleTranslation.objects.create(
            article=article, language="en", title="No time", status=Status.PUBLISHED
        )


def test_empty_title_is_refused_by_the_database(make_article):
    article = make_article(["vi"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleTranslation.objects.create(
            article=article, language="en", title="", status=Status.DRAFT
        )


def test_section_slug_is_unique_per_language(section):
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionTranslation.objects.create(
            section=section, language="vi", name="Khác", slug="hop-tac-quoc-te"
        )


def test_clean_sets_the_publication_time_when_publishing(make_article):
    translation = make_article(["vi"], status=Status.DRAFT).translations.get()
    translation.status = Status.PUBLISHED
    translation.full_clean()
    assert translation.published_at is not None


def test_published_queryset_hides_drafts_and_future_items(make_article):
    make_article(["vi"], status=Status.DRAFT)
    make_article(["vi"], published_at=timezone.now() + timedelta(days=1))
    visible = make_article(["vi"])
    assert list(ArticleTranslation.objects.published().values_list("article_id", flat=True)) == [
        visible.pk
    ]


def test_body_is_sanitised_on_save(make_article):
    translation = make_article(["vi"]).translations.get()
    translation.body = '<p onclick="x()">Hi<script>alert(1)</script></p><a href="javascript:alert(1)">x</a><h2>Ok</h2>'
    translation.save()
    translation.refresh_from_db()
    assert "script" not in translation.body
    assert "onclick" not in translation.body
    assert "javascript:" not in translation.body
    assert "<h2>Ok</h2>" in translation.body


@pytest.mark.parametrize(
    ("text", "lang", "slug"),
    [
        ("Đoàn đại biểu Hải Phòng thăm Đà Nẵng", "vi", "doan-dai-bieu-hai-phong-tham-da-nang"),
        ("Hai Phong welcomes investors", "en", "hai-phong-welcomes-investors"),
        ("하이퐁 대표단 방문", "ko", "하이퐁-대표단-방문"),
        ("海防港の発展", "ja", "海防港の発展"),
    ],
)
def test_slugs_fold_vietnamese_and_keep_cjk_words(text, lang, slug):
    assert make_slug(text, lang) == slug


def test_slug_is_made_from_the_title(make_article):
    translation = make_article(["vi"]).translations.get()
    assert translation.slug == "doan-dai-bieu-thanh-pho-incheon-tham-hai-phong"
