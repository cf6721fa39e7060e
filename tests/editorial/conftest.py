"""Fixtures for the newsroom: one user per role, and a draft article in two languages."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from cangxanh.editorial import facts, roles
from cangxanh.editorial.models import StaffProfile
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import Section, SectionTranslation, Status

from ..conftest import LANGS, jpeg_bytes


@pytest.fixture
def make_user(django_user_model):
    def make(username, role, languages=()):
        user = django_user_model.objects.create_user(username, password="pw-123456", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, languages=list(languages))
        return django_user_model.objects.get(pk=user.pk)  # fresh permission cache

    return make


@pytest.fixture
def make_image(db):
    """A library picture with alt text in `alts`."""

    def make(name, alts=("vi",), color=(120, 30, 40)):
        picture = Image(credit="Sở Ngoại vụ")
        picture.file.save(name, ContentFile(jpeg_bytes(color=color)), save=False)
        picture.save()
        for lang in alts:
            ImageText.objects.create(image=picture, language=lang, alt=f"{name} {lang}")
        return picture

    return make


@pytest.fixture
def people(make_user):
    return {
        "approver": make_user("approver", roles.APPROVER),
        "editor": make_user("editor", roles.EDITOR, ["vi"]),
        "translator": make_user("translator", roles.TRANSLATOR, ["ko"]),
    }


@pytest.fixture
def draft(make_article):
    article = make_article(["vi", "ko"], status=Status.DRAFT)
    return {t.language: t for t in article.translations.all()}


def pictures_post(image_ids, *, main=None, remove=(), add=()) -> dict:
    """The article form's pictures as the admin posts them (editorial/pictures.py)."""
    data = {"pictures-id": [str(i) for i in image_ids]}
    for position, image_id in enumerate(image_ids, start=1):
        data[f"pictures-{image_id}-position"] = str(position)
        if image_id in remove:
            data[f"pictures-{image_id}-remove"] = "on"
    if image_ids:
        data["pictures-main"] = str(main or image_ids[0])
    if add:
        data["pictures-add"] = [str(i) for i in add]
    return data


def admin_article_post(article, user=None, **changes) -> dict:
    """The admin change form's data for `article` as it stands, as `user` sees it (only
    the languages they may write, the original first), with `changes`
    ({"ko": {"title": ...}}) applied to the translations' fields."""
    translations = sorted(
        article.translations.all(),
        key=lambda t: (t.language != article.original_language, t.language),
    )
    if user is not None:
        writable = roles.user_languages(user)
        translations = [t for t in translations if t.language in writable]
    data = {
        "section": str(article.section_id),
        "original_language": article.original_language,
        "author": str(article.author_id or ""),
        "source": str(article.source_id or ""),
        "source_url": article.source_url,
        "translations-TOTAL_FORMS": str(len(translations)),
        "translations-INITIAL_FORMS": str(len(translations)),
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
    }
    data |= pictures_post(facts.working(article)["images"])
    for index, row in enumerate(translations):
        words = getattr(row, "pending_version", None) or row
        fields = {
            "title": words.title,
            "slug": words.slug,
            "lead": words.lead,
            "body": words.body,
        } | changes.get(row.language, {})
        data |= {
            f"translations-{index}-id": str(row.pk),
            f"translations-{index}-article": str(article.pk),
            f"translations-{index}-language": row.language,
        }
        data |= {f"translations-{index}-{name}": value for name, value in fields.items()}
    return data


def public_bytes(client, article) -> dict[str, bytes]:
    """Every public page that shows the article, as an anonymous reader gets it."""
    client.logout()
    pages = {}
    for translation in article.translations.all():
        if not translation.is_public:
            continue
        lang = translation.language
        for name, url in (
            ("article", f"/{lang}/a/{article.pk}/"),
            ("home", f"/{lang}/"),
        ):
            # As a crawler, whose visits are not counted: the counts stay as they are.
            response = client.get(url, follow=True, HTTP_USER_AGENT="Googlebot/2.1")
            pages[f"{lang}:{name}"] = (response.status_code, response.content)
    return pages


@pytest.fixture
def other_section(db):
    section = Section.objects.create(key="kinh-te", position=2)
    names = {
        "vi": "Kinh tế",
        "en": "Economy",
        "ko": "경제",
        "ja": "経済",
        "zh-hans": "经济",
    }
    for lang, name in names.items():
        SectionTranslation.objects.create(
            section=section, language=lang, name=name, slug=f"kinh-te-{lang}"
        )
    return section


@pytest.fixture
def public(make_article, image, site_identity):
    for lang in ("ko", "ja", "zh-hans"):
        ImageText.objects.create(image=image, language=lang, alt=f"alt {lang}")
    return make_article(LANGS, images=[image])
