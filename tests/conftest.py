"""Shared fixtures: a small content set built through the real models."""

import io
import os
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

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


@pytest.fixture(scope="session", autouse=True)
def _tables_of_this_worker():
    """Each pytest-xdist worker shares its machine tables (core.mapped) only with the
    servers its tests start: every test empties them first, which must not empty
    what a test in the other worker is counting at that moment."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    folder = Path(settings.VAR_DIR) / "shared-tests" / worker
    os.environ["CANGXANH_SHARED_DIR"] = str(folder)  # what the servers it starts inherit
    settings.SHARED_TABLES_DIR = folder
    yield


@pytest.fixture(autouse=True)
def _views_written_at_once(settings):
    """Each view is written at once, so a test reads it back straight after the
    request (tests/stats and tests/delivery exercise the buffered counter itself).
    Readers, running totals and search tallies start empty: ids are reused between
    tests, and the test client is one reader at one address."""
    from cangxanh.core import mapped
    from cangxanh.stats import counter

    settings.VIEWS_FLUSH_SECONDS = 0
    counter.reset()
    mapped.clear_all()
    yield
    counter.reset()


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Media (renditions) and the private originals in this test's own folders."""
    from cangxanh.images.storage import originals

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "originals"},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Image.file's and PendingImage.file's storages are callables, evaluated when the
    # models were defined: ask them again.
    from cangxanh.editorial.models import PendingImage

    fields = [Image._meta.get_field("file"), PendingImage._meta.get_field("file")]
    previous = [field.storage for field in fields]
    for field in fields:
        field.storage = originals()
    yield
    for field, storage in zip(fields, previous, strict=True):
        field.storage = storage


@pytest.fixture(autouse=True)
def _two_factor_optional(settings):
    """Tests sign approvers and administrators in with force_login or the password form
    alone; two-step sign-in is required only where a test asks for `two_factor_required`."""
    settings.TWO_FACTOR_REQUIRED = False


@pytest.fixture
def two_factor_required(_two_factor_optional, settings):
    """Two-step sign-in required for approvers and administrators, as in production."""
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(client, django_user_model):
    """The test client, logged in as a superuser."""
    user = django_user_model.objects.create_superuser("chief", "chief@example.test", "pw-123456")
    client.force_login(user)
    return client


def management(prefix: str, total: int, initial: int = 0) -> dict:
    """The management form of an admin inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


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


# Browser journeys: Debian's Chromium through Playwright, screenshots in test-artifacts/.

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def chromium():
    """Open Debian's Chromium: `with chromium() as browser: ...`.

    Build the test's data before opening it: while Playwright's event loop is
    alive, Django hands ORM calls in this thread a separate database connection.
    """
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CANGXANH_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
        pytest.skip(
            f"{CHROMIUM} is missing (apt-get install chromium); CI installs it and never skips"
        )
    from playwright.sync_api import sync_playwright

    @contextmanager
    def launch():
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
            try:
                yield browser
            finally:
                browser.close()

    return launch


def click_closing(popup, locator) -> None:
    """Click a button that closes its own window (the picture picker's "use this picture"),
    and wait for the window to close. Playwright may see the page go while it finishes the
    click: that is the expected end here, not an error."""
    from playwright.sync_api import Error as PlaywrightError

    with popup.expect_event("close"):
        try:
            locator.click()
        except PlaywrightError:
            if not popup.is_closed():
                raise


def settle(page) -> None:
    """Wait until the page stops moving: no dialog open and every picture loaded. A picture
    inserted into the body editor loads after the dialog closes and pushes the buttons below
    it down; a click aimed at "Save" in that moment lands beside it and nothing is sent."""
    page.wait_for_function(
        """() => !document.querySelector("dialog[open]")
            && [...document.images].every((img) => img.complete)"""
    )


def in_db(fn, *args, **kwargs):
    """Run `fn(*args, **kwargs)` on a thread of its own, for ORM reads while Playwright's loop runs.

    Django refuses ORM calls in a thread with a running event loop; a worker thread
    has its own connection, closed here so the test database can be dropped.
    """

    def run():
        from django.db import connections

        try:
            return fn(*args, **kwargs)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def redis_available(url: str = "redis://127.0.0.1:6379/15") -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def s3(tmp_path_factory):
    """An S3-compatible server (moto's, tests/s3server.py) over real HTTP, one per worker."""
    from . import s3server

    server = s3server.start(tmp_path_factory.mktemp("s3"))
    yield server
    s3server.stop(server.process)


@pytest.fixture
def redis_backend(settings):
    """Redis for the page cache, content version and counters, under a prefix of
    this test's own (database 15 of the local server); skipped where none runs."""
    import uuid

    from cangxanh.core import redis as redis_link
    from cangxanh.delivery import version
    from cangxanh.stats import counter

    url = os.environ.get("CANGXANH_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_available(url):
        if os.environ.get("CANGXANH_REQUIRE_REDIS"):
            pytest.fail(f"CANGXANH_REQUIRE_REDIS is set but no Redis answers at {url}")
        pytest.skip(f"no Redis at {url}")
    counter.reset()
    settings.REDIS_URL = url
    settings.REDIS_PREFIX = f"cxtest:{uuid.uuid4().hex[:12]}:"
    redis_link.reset()
    version.reset()
    yield redis_link.client()
    counter.reset()
    client = redis_link.client()
    keys = list(client.scan_iter(match=settings.REDIS_PREFIX + "*"))
    if keys:
        client.delete(*keys)
    redis_link.reset()
    version.reset()
