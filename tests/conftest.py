"""Shared fixtures: a small content set built through the real models."""

import io
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from cangxanh.core.models import SiteIdentity
from cangxanh.images.models import Image, ImageText
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Person,
    PersonPosition,
    Section,
    SectionTranslation,
    Source,
    Status,
)

LANGS = ["vi", "en", "ko", "ja", "zh-hans"]
SECTION_NAMES = {
    "vi": ("Hợp tác quốc tế", "hop-tac-quoc-te"),
    "en": ("International Cooperation", "international-cooperation"),
    "ko": ("국제 협력", "국제-협력"),
    "ja": ("国際協力", "国際協力"),
    "zh-hans": ("国际合作", "国际合作"),
}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Close each connection at the end of its request while testing.

    Production keeps PostgreSQL connections for a minute; in tests a live-server
    thread holding one would keep the test database from being dropped.
    """
    from django.conf import settings

    for config in settings.DATABASES.values():
        config["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def jpeg_bytes(width=1200, height=675, color=(11, 90, 122)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def site_identity(db):
    for lang in LANGS:
        SiteIdentity.objects.create(language=lang, name=f"Portal {lang}", slogan=f"Slogan {lang}")


@pytest.fixture
def section(db):
    section = Section.objects.create(key="hop-tac-quoc-te", position=1)
    for lang, (name, slug) in SECTION_NAMES.items():
        SectionTranslation.objects.create(section=section, language=lang, name=name, slug=slug)
    return section


@pytest.fixture
def person(db):
    person = Person.objects.create(name="Trần Thị Mai")
    PersonPosition.objects.create(person=person, language="vi", position="Trưởng phòng Thông tin")
    PersonPosition.objects.create(person=person, language="en", position="Head of Information")
    return person


@pytest.fixture
def source(db):
    return Source.objects.create(name="Báo Thử Nghiệm", url="https://news.example/")


@pytest.fixture
def image(db):
    img = Image(credit="Báo Test")
    img.file.save("harbour.jpg", ContentFile(jpeg_bytes()), save=False)
    img.save()
    ImageText.objects.create(
        image=img, language="vi", alt="Cần cẩu ở cảng", caption="Cảng biển lúc bình minh"
    )
    ImageText.objects.create(
        image=img, language="en", alt="Cranes at the port", caption="The port at dawn"
    )
    return img


TITLES = {
    "vi": "Đoàn đại biểu thành phố Incheon thăm Hải Phòng",
    "en": "Incheon delegation visits Hai Phong",
    "ko": "인천시 대표단 하이퐁 방문",
    "ja": "仁川市代表団がハイフォンを訪問",
    "zh-hans": "仁川市代表团访问海防",
}


@pytest.fixture
def make_article(db, section, person):
    def make(
        langs=("vi", "en"),
        *,
        status=Status.PUBLISHED,
        published_at=None,
        images=(),
        source=None,
        views=0,
        titles=None,
    ):
        when = published_at or timezone.now() - timedelta(hours=2)
        article = Article.objects.create(section=section, author=person, source=source)
        for position, img in enumerate(images):
            ArticleImage.objects.create(article=article, image=img, position=position)
        for lang in langs:
            ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=(titles or TITLES)[lang],
                lead=f"Lead {lang}",
                body="<p>Đoạn một.</p><p>Đoạn hai.</p><p>Đoạn ba.</p>",
                status=status,
                published_at=when if status == Status.PUBLISHED else None,
                view_count=views,
            )
        return article

    return make
