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


def test_reads_together_give_each_read_s_own_rows_in_one_round_trip(make_article, image):
    # On PostgreSQL several compiled reads go in one message: one execute, each read's
    # rows as when run alone (converted as the ORM converts them). Elsewhere they run
    # one after another, with the same answers.
    from django.db import connection

    from cangxanh.core.compiled import together
    from cangxanh.search.engine import _HIT_ROWS

    first = make_article(["vi", "en"], images=[image])
    second = make_article(["vi"])
    ids = sorted(first.translations.values_list("pk", flat=True)) + [second.translations.get().pk]
    now = timezone.now()
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        rows, images = together(
            (_HIT_ROWS, {"ids": ids, "now": now}),
            (queries.TRANSLATIONS_FIRST_IMAGES, {"translation_ids": ids}),
        )
    assert len(executed) == (1 if connection.vendor == "postgresql" else 2)
    assert rows == _HIT_ROWS(ids=ids, now=now) and len(rows) == 3
    assert images == list(queries._translations_first_images_query(ids))
    assert set(queries.images_by_article(images)) == {first.pk}  # the second has none
    assert queries.images_by_article(images)[first.pk].pk == image.pk
    with pytest.raises(ValueError):
        together((_HIT_ROWS, {"ids": ids, "now": now}), (Compiled(lambda: None, "other"), {}))
