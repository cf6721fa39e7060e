"""Backups (cangxanh.core.backup): a copy made while the site serves and counts views,
restored into a fresh install, gives back the same site: every public page, feed,
sitemap and rendition byte for byte (view counts aside) and every row of every model.
And a damaged backup, an unknown migration, another engine or an install with content
is refused before anything is touched."""

import io
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from cangxanh.core.backup import MANIFEST
from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure
from cangxanh.news.models import (
    Article,
    ArticleImage,
    ArticleTranslation,
    Section,
    SectionTranslation,
    Status,
)
from cangxanh.search.index import index_rebuild
from cangxanh.stats.models import DailyViews
from tests.servers import granian

from ..conftest import LANGS, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SITE_URL = "https://portal.example"
READER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
# An HTTP tool, which is not counted: comparing the two sites changes no count.
CHECKER = "curl/8.5.0"
CANGXANH = str(Path(sys.executable).with_name("cangxanh"))
VIEW_COUNT = re.compile(rb"(data-views>)[^<]*")
MOST_READ_COUNT = re.compile(rb'(</a><span class="meta">)[^<]*(</span></li>)')
# Django's syndication dates a feed without items at the moment it is asked for.
EMPTY_FEED_DATE = re.compile(rb"(<updated>|<lastBuildDate>)[^<]*")
# A form's per-answer values (CSRF, signed fill time, the script nonce): never the same twice.
PER_ANSWER = re.compile(rb'((?:nonce|value|data-altcha-challenge)=")[^"]*(")')


def comparable(body: bytes) -> bytes:
    """A page's bytes without what changes on its own: the view counts (an article's,
    and those of the most read), the date of an empty feed, and a form's per-answer values."""
    body = MOST_READ_COUNT.sub(rb"\1\2", VIEW_COUNT.sub(rb"\1", body))
    if b"<form" in body:
        body = PER_ANSWER.sub(rb"\1\2", body)
    if body.startswith(b"<?xml") and b"<entry>" not in body and b"<item>" not in body:
        body = EMPTY_FEED_DATE.sub(rb"\1", body)
    return body


# The site -------------------------------------------------------------------------------


@pytest.fixture
def site(site_identity, section, make_article, image, source, django_user_model):
    """Five languages, two sections, pictures with renditions (one inside a body), a
    reprint, a draft and a scheduled article, a newsroom account, and the search index."""
    economy = Section.objects.create(key="kinh-te", position=2)
    for lang, name in zip(LANGS, ["Kinh tế", "Economy", "경제", "経済", "经济"], strict=True):
        slug = "kinh-te" if lang == "vi" else name.lower()
        SectionTranslation.objects.create(section=economy, language=lang, name=name, slug=slug)
    port = Image(credit="Sở Ngoại vụ", focal_x=30, focal_y=60)
    port.file.save("lach-huyen.jpg", ContentFile(jpeg_bytes(1600, 1000, (200, 120, 40))))
    for lang in LANGS:
        ImageText.objects.create(
            image=port, language=lang, alt=f"Cảng {lang}", caption=f"Cap {lang}"
        )
        ImageText.objects.get_or_create(image=image, language=lang, defaults={"alt": f"Alt {lang}"})

    visit = make_article(LANGS, images=[image, port], source=source, views=41)
    trade = make_article(
        ("vi", "en", "ko"),
        images=[port],
        titles={"vi": "Giao thương cảng biển", "en": "Port trade grows", "ko": "항만 무역"},
    )
    Article.objects.filter(pk=trade.pk).update(section=economy)
    make_article(("vi",), status=Status.DRAFT, titles={"vi": "Bản nháp chưa duyệt"})
    make_article(
        ("vi", "en"),
        published_at=timezone.now() + timedelta(days=3),
        titles={"vi": "Lịch hẹn tuần sau", "en": "Next week's schedule"},
    )
    vi = visit.translations.get(language="vi")
    vi.body = (
        "<p>Đoạn một.</p>"
        f'<figure class="figure"><img src="{port.file.url}" alt="Cảng trong bài">'
        "<figcaption>Trong bài</figcaption></figure><p>Đoạn hai.</p>"
    )
    vi.save()
    ArticleImage.objects.filter(article=trade).update(position=0)
    for picture in (image, port):
        image_renditions_ensure(image=picture)
    index_rebuild()
    django_user_model.objects.create_superuser("chief", "chief@example.test", "pw-123456")
    return vi


# Installs and servers -------------------------------------------------------------------


def _postgres_url(name: str) -> str:
    config = connection.settings_dict
    who = config["USER"] + (f":{config['PASSWORD']}" if config["PASSWORD"] else "")
    return f"postgres://{who}@{config['HOST'] or '127.0.0.1'}:{config['PORT'] or 5432}/{name}"


def _environment(var_dir: Path, media: Path, originals: Path, database: str) -> dict:
    """An install as the operator configures one: its own var dir, media and database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_", "AWS_", "CANGXANH_", "DJANGO_"))
        and k not in {"MEDIA_ROOT", "ORIGINALS_ROOT", "SITE_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
        "CANGXANH_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(media),
        "ORIGINALS_ROOT": str(originals),
        "SITE_URL": SITE_URL,
        "CANGXANH_PAGE_CACHE": "1",
        "CANGXANH_VIEWS_FLUSH_SECONDS": "0.2",
    }
    if connection.vendor == "sqlite":
        env["CANGXANH_SQLITE_PATH"] = database
    else:
        env["DATABASE_URL"] = _postgres_url(database)
    return env


def _source() -> dict:
    """This test's own site: the test database, its media and originals."""
    database = connection.settings_dict["NAME"]
    return _environment(
        settings.VAR_DIR,
        Path(settings.MEDIA_ROOT),
        Path(storages["originals"].location),
        str(database),
    )


@pytest.fixture
def fresh(tmp_path):
    """A new, migrated install beside this one: another var dir and another SQLite
    file, or another PostgreSQL database."""
    var_dir = tmp_path / "fresh"
    var_dir.mkdir()
    (var_dir / "static").symlink_to(Path(settings.STATIC_ROOT).resolve())
    if connection.vendor == "sqlite":
        database = str(var_dir / "cangxanh.sqlite3")
    else:
        database = connection.settings_dict["NAME"] + "_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{database}"')
    env = _environment(var_dir, var_dir / "media", var_dir / "originals", database)
    _cangxanh("migrate", "--noinput", "--skip-checks", env=env)
    yield env
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _cangxanh(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    """The console command, as an operator runs it."""
    done = subprocess.run([CANGXANH, *args], env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


@contextmanager
def serving(env: dict):
    """granian serving an install, as cangxanh.serve starts it (one worker)."""
    with granian(env) as (base, _process):
        yield base


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to compare, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, agent: str = CHECKER, **headers) -> tuple[int, str, bytes]:
    request = urllib.request.Request(
        quote(url, safe=":/?=&%+"), headers={"User-Agent": agent, **headers}
    )
    try:
        with _opener.open(request, timeout=20) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read()
    except urllib.error.HTTPError as answer:
        location = answer.headers.get("Location", "")
        return answer.code, location, answer.read()


# What a reader can reach ----------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if "nofollow" in (dict(attrs).get("rel") or "").split():
            return  # the calendar's next week, and the one after, forever: not followed
        for name, value in attrs:
            if name == "href" and value and tag in {"a", "link"}:
                self.found.append(value)


def _local(address: str, page: str) -> str | None:
    """The path (and query) of an address on this site, as found on `page`; None for an
    address elsewhere or one readers do not get."""
    parts = urlsplit(urljoin(SITE_URL + page, address))
    if f"{parts.scheme}://{parts.netloc}" != SITE_URL or parts.path.startswith(
        ("/admin/", "/editorial/", "/preview/", "/static/", "/accounts/")
    ):
        return None
    path = quote(unquote(parts.path))  # one spelling of each address
    return path + (f"?{parts.query}" if parts.query else "")


def public_addresses(base: str) -> list[str]:
    """Every address the sitemaps name, and every page, feed and site-map page linked
    from those, starting at each language's home and robots.txt."""
    seen: set[str] = set()
    queue = ["/robots.txt", "/sitemap.xml", *(f"/{lang}/" for lang in LANGS)]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        status, kind, body = fetch(base + path)
        if status != 200:
            continue
        found: list[str] = []
        if "xml" in kind and (b"<urlset" in body or b"<sitemapindex" in body):
            for element in ET.fromstring(body).iter():
                found += [element.text or ""] if element.tag.endswith("}loc") else []
                found += [element.get("href", "")] if element.tag.endswith("}link") else []
        elif "html" in kind:
            links = _Links()
            links.feed(body.decode())
            found = links.found
        queue += [p for p in (_local(a, path) for a in found) if p and p not in seen]
    return sorted(seen)


def renditions(media: Path) -> list[str]:
    return sorted(
        "/media/" + path.relative_to(media).as_posix()
        for path in media.rglob("*")
        if path.is_file()
    )


# Reading while the backup runs ----------------------------------------------------------


class Readers(threading.Thread):
    """Readers of one article, each from its own address (as a trusted proxy forwards
    it), until stopped: every view is counted and flushed as the backup copies."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.stop, self.answers = url, threading.Event(), []

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            forwarded = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
            status, _kind, _body = fetch(self.url, READER, **{"X-Forwarded-For": forwarded})
            self.answers.append((time.monotonic(), status))


def _views(translation_id: int) -> int:
    return ArticleTranslation.objects.get(pk=translation_id).view_count


def _settled(translation_id: int) -> int:
    """The stored count once the server's buffer is written (every 0.2 s)."""
    last, same = -1, 0
    while same < 4:
        time.sleep(0.2)
        now = _views(translation_id)
        same, last = (same + 1 if now == last else 0), now
    return last


def _rows(env: dict, max_daily_views: int) -> list[dict]:
    """Every row of every model of every app, ordered by pk (dumpdata), counts aside:
    views are counted on the serving site after the backup's moment."""
    dump = json.loads(
        _cangxanh("dumpdata", "--all", "--format=json", "--skip-checks", env=env).stdout
    )
    rows = []
    for row in dump:
        if row["model"] == "news.articletranslation":
            row["fields"].pop("view_count")
        if row["model"] == "stats.dailyviews":
            if row["pk"] > max_daily_views:
                continue  # a bucket begun after the backup (a new day)
            row["fields"].pop("count")
        if row["model"] == "stats.dailyreferrers":
            row["fields"].pop("count")  # the readers' views go on after the backup
        rows.append(row)
    return rows


def _backup_folder(output: str) -> Path:
    return Path(re.search(r"Backup written to (\S+) ", output).group(1))


# The tests ------------------------------------------------------------------------------


def test_a_backup_made_while_serving_restores_the_same_site(site, fresh, tmp_path):
    source = _source()
    article = site.get_absolute_url()
    with serving(source) as live, serving(fresh) as restored:
        # The new install serves its empty home page, which its processes now keep.
        assert fetch(restored + "/vi/")[0] == 200
        empty_home = fetch(restored + "/vi/")[2]

        readers = Readers(live + article)
        readers.start()
        deadline = time.monotonic() + 60  # against a hang, not a measure
        while _views(site.pk) < 41 + 20:  # reading, and the counts reach the database
            assert time.monotonic() < deadline, "the readers' views never reached the database"
            time.sleep(0.05)
        daily_before = DailyViews.objects.order_by("-pk").values_list("pk", flat=True).first()
        before = _views(site.pk)
        started = time.monotonic()
        made = _cangxanh("backup", str(tmp_path / "backups"), env=source)
        finished = time.monotonic()
        time.sleep(0.5)
        readers.stop.set()
        readers.join()
        after = _settled(site.pk)
        assert {status for _at, status in readers.answers} == {200}
        assert any(started < at < finished for at, _status in readers.answers), (
            "no reader was answered while the backup ran"
        )
        assert after > before

        folder = _backup_folder(made.stdout)
        manifest = json.loads((folder / MANIFEST).read_text())
        assert manifest["database"]["engine"] == connection.vendor
        assert manifest["rows"]["news_articletranslation"] == ArticleTranslation.objects.count()
        assert "news.0001_initial" in manifest["migrations"]
        assert any(name.startswith("originals/") for name in manifest["files"])
        assert any(name.startswith("media/renditions/") for name in manifest["files"])

        done = _cangxanh("restore", str(folder), env=fresh)
        assert "Restored the backup" in done.stdout

        # No page the new install kept from before the restore survives it.
        assert fetch(restored + "/vi/")[2] != empty_home
        addresses = public_addresses(live)
        addresses += renditions(Path(settings.MEDIA_ROOT))
        addresses += [f"/{lang}/search/?q=incheon" for lang in LANGS]
        addresses += ["/vi/search/?q=h%E1%BA%A3i+ph%C3%B2ng", "/ko/search/?q=%EC%9D%B8%EC%B2%9C"]
        assert len(addresses) > 100
        for path in addresses:
            ours, theirs = fetch(live + path), fetch(restored + path)
            assert ours[:2] == theirs[:2], path
            assert comparable(ours[2]) == comparable(theirs[2]), path

    source_rows = _rows(source, daily_before)
    fresh_rows = _rows(fresh, daily_before)
    assert len(fresh_rows) == len(source_rows)
    for ours, theirs in zip(source_rows, fresh_rows, strict=True):
        assert ours == theirs
    dump = json.loads(
        _cangxanh("dumpdata", "news.articletranslation", "--skip-checks", env=fresh).stdout
    )
    restored_views = next(row for row in dump if row["pk"] == site.pk)["fields"]["view_count"]
    assert before <= restored_views <= after  # the count at the backup's one moment
    # No secret key in the backup, nor the content version: the new install has its own.
    kept = {path.name for path in folder.rglob("*")}
    assert not kept & {"secret_key", "content-version"}
    assert (Path(fresh["CANGXANH_VAR_DIR"]) / "content-version").exists()


@pytest.fixture
def small_site(site_identity, make_article, image):
    return make_article(("vi", "en"), images=[image])


@pytest.fixture
def backup(small_site, tmp_path) -> Path:
    """A backup of a small site (an article, a picture), made in this process."""
    call_command("backup", tmp_path / "backups", stdout=(out := io.StringIO()))
    return _backup_folder(out.getvalue())


def _titles() -> list[str]:
    return list(ArticleTranslation.objects.order_by("pk").values_list("title", flat=True))


@pytest.mark.parametrize("damage", ["changed", "missing", "cut short"])
def test_a_damaged_backup_is_refused_naming_the_file(backup, damage):
    bad = next((backup / "originals").rglob("*.jpg"))
    if damage == "changed":
        data = bytearray(bad.read_bytes())
        data[len(data) // 2] ^= 0xFF
        bad.write_bytes(bytes(data))
    elif damage == "missing":
        bad.unlink()
    else:
        bad = backup / MANIFEST
        bad.write_bytes(bad.read_bytes()[:200])
    ArticleTranslation.objects.filter(language="en").update(title="Changed after the backup")
    titles = _titles()
    with pytest.raises(CommandError, match="^The backup is damaged: ") as refused:
        call_command("restore", backup, "--force")
    assert str(bad) in str(refused.value)
    assert _titles() == titles  # nothing was touched


def test_an_install_with_content_is_refused(backup):
    ArticleTranslation.objects.filter(language="en").update(title="Changed after the backup")
    titles = _titles()
    with pytest.raises(CommandError, match="not empty") as refused:
        call_command("restore", backup)
    assert "rows in" in str(refused.value) and "files in" in str(refused.value)
    assert "--force" in str(refused.value)
    assert _titles() == titles


def test_a_backup_with_migrations_this_code_does_not_know_is_refused(backup):
    path = backup / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["migrations"].append("news.9999_from_a_later_release")
    path.write_text(json.dumps(manifest))
    titles = _titles()
    with pytest.raises(CommandError, match="news.9999_from_a_later_release"):
        call_command("restore", backup, "--force")
    assert _titles() == titles


def test_a_backup_of_another_database_engine_is_refused(backup):
    path = backup / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["database"]["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="same database engine"):
        call_command("restore", backup, "--force")


def test_a_backup_is_never_written_inside_what_it_copies(small_site):
    inside = Path(settings.MEDIA_ROOT) / "backups"
    with pytest.raises(CommandError, match="write backups elsewhere"):
        call_command("backup", inside)
    assert not inside.exists()


def test_the_manifest_holds_a_checksum_of_every_file(backup):
    manifest = json.loads((backup / MANIFEST).read_text())
    on_disk = {
        path.relative_to(backup).as_posix()
        for path in backup.rglob("*")
        if path.is_file() and path.name != MANIFEST
    }
    assert set(manifest["files"]) == on_disk
    assert manifest["storages"]["media"]["included"] is True
    assert set(manifest["not_included"]) == {"secret key", "content version", "static files"}


def test_the_last_backup_is_remembered_for_the_compliance_page(small_site, settings, tmp_path):
    from cangxanh.core.backup import last_backup

    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    assert last_backup() is None
    call_command("backup", tmp_path / "backups", stdout=(out := io.StringIO()))
    record = last_backup()
    assert record["folder"] == str(_backup_folder(out.getvalue()))
    assert record["files"] >= 1


def test_the_documents_files_are_in_the_backup(small_site, settings, tmp_path):
    """Documents' attached files live in their own private storage: a backup holds them."""
    settings.STORAGES = settings.STORAGES | {
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        }
    }
    name = storages["documents"].save("2026/01/quyet-dinh.pdf", ContentFile(b"%PDF-1.7 demo"))
    call_command("backup", tmp_path / "backups", stdout=(out := io.StringIO()))
    folder = _backup_folder(out.getvalue())
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["storages"]["documents"]["included"] is True
    assert (folder / "documents" / name).read_bytes() == b"%PDF-1.7 demo"
    assert f"documents/{name}" in manifest["files"]
