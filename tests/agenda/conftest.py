"""Calendar entries built through the real models, and the people who attend them."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cangxanh.agenda.models import HOST_KIND, KIND, EventFacts, EventLeader
from cangxanh.editorial import facts, workflow
from cangxanh.editorial.models import Action
from cangxanh.editorial.revisions import mark_approved
from cangxanh.news.models import Article, ArticleTranslation, Person, PersonPosition, Status

HCM = ZoneInfo("Asia/Ho_Chi_Minh")

TEXTS = {
    "vi": ("Tiếp Đoàn đại biểu Incheon", "Phòng khách quốc tế", "Phòng Hợp tác quốc tế"),
    "en": ("Receiving the Incheon delegation", "International reception room", "Cooperation"),
    "ko": ("인천 대표단 접견", "국제접견실", "국제협력과"),
    "ja": ("仁川代表団の接見", "国際応接室", "国際協力課"),
    "zh-hans": ("会见仁川代表团", "国际会客厅", "国际合作处"),
}


def local(*args) -> datetime:
    return datetime(*args, tzinfo=HCM)


@pytest.fixture(autouse=True)
def _saigon(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture
def leaders(db):
    made = []
    for number, (name, vi, en) in enumerate(
        [
            ("Phạm Thu Hà", "Giám đốc Sở Ngoại vụ", "Director"),
            ("Đỗ Quang Vinh", "Phó Giám đốc Sở", "Deputy Director"),
        ],
        start=1,
    ):
        person = Person.objects.create(name=name, import_key=f"test-leader-{number}")
        PersonPosition.objects.create(person=person, language="vi", position=vi)
        PersonPosition.objects.create(person=person, language="en", position=en)
        made.append(person)
    return made


@pytest.fixture
def division(db):
    """An agency page (kind "page") for a division hosting engagements; its name is
    published in Vietnamese and English only."""
    page = Article.objects.create(kind=HOST_KIND)
    for lang, title in (("vi", "Phòng Hợp tác quốc tế"), ("en", "International Cooperation")):
        ArticleTranslation.objects.create(
            article=page,
            language=lang,
            title=title,
            status=Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=1),
        )
    return page


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.test", "pw-123456")


@pytest.fixture
def make_event(db):
    """A published calendar entry (facts written as `apply` would), texts in `langs`
    (title, where, who attends; `titles` overrides the titles)."""

    def make(
        starts_at,
        *,
        ends_at=None,
        langs=("vi", "en"),
        leaders=(),
        host=None,
        all_day=False,
        cancelled=False,
        status=Status.PUBLISHED,
        published_at=None,
        titles=None,
    ) -> Article:
        article = Article.objects.create(kind=KIND)
        row = EventFacts.objects.create(
            article=article,
            starts_at=starts_at,
            ends_at=ends_at,
            all_day=all_day,
            cancelled=cancelled,
            host=host,
        )
        for position, person in enumerate(leaders):
            EventLeader.objects.create(event=row, person=person, position=position)
        published_at = published_at or timezone.now() - timedelta(hours=2)
        for lang in langs:
            title, where, attending = TEXTS[lang]
            translation = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=(titles or {}).get(lang, title),
                lead=where,
                body=f"<p>{attending}</p><p>Khách mời &amp; báo chí</p>",
                status=status,
                published_at=published_at if status == Status.PUBLISHED else None,
            )
            if status == Status.PUBLISHED:
                mark_approved(translation)
        return article

    return make


def change_facts(article, user, **extra) -> None:
    """Change a published entry's facts and have them published, as the newsroom does."""
    working = facts.working(article)
    working["extra"] = working["extra"] | extra
    assert facts.article_save_facts(article=article, facts=working, user=user) is True
    original = article.translations.get(language=article.original_language)
    workflow.perform(original, Action.PUBLISH, user)
