"""A small agency in five languages: functions, structure with two divisions, leaders
with two people (photos), history, contact (with a map picture) and the privacy notice."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from cangxanh.agency.facts import DEFAULTS, PageKindFacts
from cangxanh.agency.models import PAGE
from cangxanh.core.models import SiteIdentity
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Status,
)

from ..conftest import LANGS, jpeg_bytes
from ..editorial.conftest import make_user, people  # noqa: F401  (the newsroom's users)

CONTACTS = {
    "address": "18 Hoàng Diệu, Hải Phòng",
    "phone": "+84 225 3000 111",
    "email": "contact@agency.example",
    "hours": "7:30–16:30",
}


def words(key: str, lang: str) -> str:
    return f"{key.capitalize()} {lang}"


@pytest.fixture
def identity(site_identity):
    set_contacts()


def create_page(
    name: str, *, langs=LANGS, status=Status.PUBLISHED, published_at=None, images=(), **facts
) -> Article:
    """A page in `langs` with its facts (`PageKindFacts.apply`, as approval makes them)."""
    article = Article.objects.create(kind=PAGE)
    PageKindFacts().apply(article, DEFAULTS | facts)
    for position, image in enumerate(images):
        ArticleImage.objects.create(article=article, image=image, position=position)
    when = published_at or timezone.now() - timedelta(hours=1)
    for lang in langs:
        ArticleTranslation.objects.create(
            article=article,
            language=lang,
            title=words(name, lang),
            lead=f"Lead of {name} in {lang}",
            body=f"<p>Body of {name} in {lang}.</p>",
            status=status,
            published_at=when if status == Status.PUBLISHED else None,
        )
    return article


def set_contacts() -> None:
    SiteIdentity.objects.update(publisher="Sở Ngoại vụ", **CONTACTS)


@pytest.fixture
def make_page(db):
    return create_page


def picture(name: str, color=(40, 90, 120)) -> Image:
    image = Image(credit="Sở Ngoại vụ")
    image.file.save(name, ContentFile(jpeg_bytes(400, 500, color)), save=False)
    image.save()
    for lang in LANGS:
        ImageText.objects.create(image=image, language=lang, alt=f"Alt {name} {lang}")
    return image


def leader_person(name: str, position: str) -> Person:
    person = Person.objects.create(name=name)
    for lang in LANGS:
        PersonPosition.objects.create(person=person, language=lang, position=f"{position} {lang}")
    return person


@pytest.fixture
def agency(identity, make_page):
    """The pages by name: functions, structure, office, consular, leaders, director,
    deputy, history, contact, privacy."""
    pages = {}
    pages["functions"] = make_page("functions", key="functions", position=1)
    pages["structure"] = make_page("structure", key="structure", position=2)
    pages["office"] = make_page(
        "office", parent=pages["structure"].pk, layout="division", position=1
    )
    pages["consular"] = make_page(
        "consular",
        parent=pages["structure"].pk,
        layout="division",
        position=2,
        phone="0225 3000 222",
        email="consular@agency.example",
    )
    pages["leaders"] = make_page("leaders", key="leaders", position=3)
    pages["director"] = make_page(
        "director",
        parent=pages["leaders"].pk,
        layout="leader",
        position=1,
        person=leader_person("Phạm Thu Hà", "Director").pk,
        phone="0225 3000 333",
        email="director@agency.example",
        images=[picture("director.jpg")],
    )
    pages["deputy"] = make_page(
        "deputy",
        parent=pages["leaders"].pk,
        layout="leader",
        position=2,
        person=leader_person("Đỗ Quang Vinh", "Deputy").pk,
        images=[picture("deputy.jpg", (120, 60, 40))],
    )
    pages["history"] = make_page("history", key="history", position=4)
    pages["contact"] = make_page(
        "contact",
        key="contact",
        layout="contact",
        position=5,
        images=[picture("map.jpg", (200, 210, 190))],
    )
    pages["privacy"] = make_page("privacy", key="privacy", position=6)
    return pages


def url_of(article: Article, lang: str) -> str:
    return article.translations.get(language=lang).get_absolute_url()
