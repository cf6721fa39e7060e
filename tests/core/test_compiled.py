"""Querysets compiled once: the same rows as the ORM, whatever the values bound."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cangxanh.core.compiled import Compiled
from cangxanh.news import queries
from cangxanh.news.models import ArticleTranslation

pytestmark = pytest.mark.django_db


def test_the_article_pages_reads_match_the_orm(make_article, image):
    first = make_article(["vi", "en"], images=[image])
    second = make_article(["vi"], published_at=timezone.now() - timedelta(days=3))
    later = make_article(["vi"], published_at=timezone.now() + timedelta(days=1))
    for article_id in (first.pk, second.pk, later.pk):
        for lang in ("vi", "en", ""):
            got = queries._TRANSLATIONS(article_id=article_id, lang=lang)
            assert got == list(queries._translations_query(article_id, lang))
        now = timezone.now()
        for when in (now, now - timedelta(days=2), now + timedelta(days=2)):
            got = queries._RELATED(
                lang="vi", article_id=article_id, section_id=first.section_id, now=when
            )
            assert got == list(queries._related_query("vi", article_id, first.section_id, when))
            assert all(isinstance(row[-1], type(now)) for row in got)  # datetimes, not text
    for related in ([], [second.pk], [second.pk, later.pk, first.pk]):
        got = queries._IMAGES(article_id=first.pk, related_ids=related, lang="vi")
        assert got == list(queries._images_query(first.pk, related, "vi"))
    assert got[0][len(queries._attnames(queries.ArticleImage)) :]  # image columns came back


def test_a_query_whose_sql_depends_on_its_values_is_refused(make_article):
    make_article(["vi"])

    def build(lang):
        rows = ArticleTranslation.objects.all()
        return (rows.filter(language=lang) if lang.endswith(":1") else rows).values_list("id")

    with pytest.raises(ValueError, match="depends on its values|matches no value|not found"):
        Compiled(build)(lang="vi")
    with pytest.raises(TypeError, match="booleans"):
        Compiled(lambda flag: ArticleTranslation.objects.values_list("id"))(flag=True)
