"""The demo content loads completely, and a second load changes nothing."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from cangxanh.core.models import SiteIdentity
from cangxanh.demo.loader import load_demo
from cangxanh.editorial import editing
from cangxanh.images.models import Image
from cangxanh.news.models import Article, ArticleTranslation, Person, Section, Source

pytestmark = pytest.mark.django_db

LANGS = {"vi", "en", "ko", "ja", "zh-hans"}


def snapshot():
    return sorted(
        ArticleTranslation.objects.values_list(
            "id", "title", "body", "view_count", "updated_at", "status"
        )
    )


def words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_demo_content_is_rich_and_loading_twice_changes_nothing(client):
    first = load_demo()
    assert first.created["articles"] >= 40

    assert Article.objects.count() >= 40
    assert Section.objects.annotate(n=Count("articles")).filter(n__gt=0).count() >= 6
    fully = Article.objects.annotate(n=Count("translations")).filter(n=5).count()
    assert fully >= 15
    partly = Article.objects.annotate(n=Count("translations")).filter(n__gt=1, n__lt=5).count()
    assert partly >= 1
    vi_lengths = [
        words(body)
        for body in ArticleTranslation.objects.filter(language="vi").values_list("body", flat=True)
    ]
    assert sum(600 <= n <= 1500 for n in vi_lengths) >= 20
    # (Not every translation is published: the demo's answers in review or sent privately.)
    years = {
        d.year
        for d in ArticleTranslation.objects.exclude(published_at=None).values_list(
            "published_at", flat=True
        )
    }
    assert len(years) >= 3
    assert Person.objects.filter(positions__isnull=False).distinct().count() >= 4
    assert Source.objects.count() >= 2 and Article.objects.filter(source__isnull=False).exists()
    assert Image.objects.count() >= 10
    assert not Image.objects.filter(texts__isnull=True).exists()
    assert set(SiteIdentity.objects.values_list("language", flat=True)) == LANGS
    users = get_user_model().objects
    assert users.filter(username="admin", is_superuser=True).exists()
    for username, role in [
        ("approver", "Approver"),
        ("editor", "Editor"),
        ("translator", "Translator"),
    ]:
        assert users.get(username=username, groups__name=role).check_password("cangxanh-demo")

    # A newsroom at work: an outdated translation, and a new version waiting for approval.
    h04 = ArticleTranslation.objects.get(
        article__import_key="h04-japanese-sme-mission-deep-c", language="ja"
    )
    assert editing.freshness(h04).outdated
    h01 = ArticleTranslation.objects.get(
        article__import_key="h01-kitakyushu-student-homestay", language="en"
    )
    assert editing.pending_of(h01).state == "review"
    assert h01.lead != editing.pending_of(h01).lead

    before = snapshot()
    second = load_demo()
    assert second.created == {}
    assert snapshot() == before
    assert Article.objects.filter(kind="news").count() == first.created["articles"]

    # And the pages it makes render.
    response = client.get("/vi/")
    assert response.status_code == 200
    article = ArticleTranslation.objects.news().filter(language="ko").first()
    assert client.get(article.get_absolute_url()).status_code == 200
    agency_pages_answer(client)
    pictures_credit_people(client)


def pictures_credit_people(client) -> None:
    """Every picture names who made it, and never the software (issue 15)."""
    assert not Image.objects.filter(credit="").exists()
    assert not Image.objects.filter(credit__icontains="cangxanh").exists()
    port = ArticleTranslation.objects.get(
        article__import_key="c02-port-throughput-milestone", language="en"
    )
    main = port.article.article_images.order_by("position").first().image
    page = client.get(port.get_absolute_url()).content.decode()
    assert f'<span class="credit">Image: {main.credit}</span>' in page


def agency_pages_answer(client) -> None:
    """The agency's pages (demo/agency.py) in five languages, the English ones complete."""
    from cangxanh.agency.checks import english_missing

    assert english_missing() == []
    pages = ArticleTranslation.objects.published().of_kind("page")
    assert pages.values("article").distinct().count() >= 12
    assert set(pages.values_list("language", flat=True)) == LANGS
    for lang in LANGS:
        for path in ("about", "contact", "privacy"):
            response = client.get(f"/{lang}/{path}/")
            assert response.status_code == 200, f"/{lang}/{path}/"
    for row in pages.filter(language__in=["en", "ko"]):
        assert client.get(row.get_absolute_url()).status_code == 200, row.get_absolute_url()
    about = client.get("/vi/about/").content.decode()
    assert about.count('class="leader"') == 3 and about.count("<picture>") >= 3
