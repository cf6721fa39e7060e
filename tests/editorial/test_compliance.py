"""The compliance self-check (`/editorial/compliance/`): each item red, then green."""

import json
from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone, translation

from cangxanh.core import backup
from cangxanh.core.models import SiteIdentity
from cangxanh.editorial import compliance
from cangxanh.images.models import ImageText

from ..conftest import LANGS

FOOTER = {
    "publisher": "Sở Ngoại vụ",
    "responsible": "Nguyễn Văn A",
    "address": "1 Đường Thử, Hải Phòng",
    "phone": "+84 225 000 0000",
    "email": "contact@example.gov.vn",
}


def _status(code: str) -> compliance.Result:
    with translation.override("en"):  # the details read in the staff member's language
        return dict((check.code, result) for check, result in compliance.run_all())[code]


def test_only_approvers_and_administrators_see_it(client, people):
    client.force_login(people["editor"])
    assert client.get("/editorial/compliance/").status_code == 403
    client.force_login(people["approver"])
    response = client.get("/editorial/compliance/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    for code in ("footer", "alt-texts", "machine-readable", "metadata", "accessibility", "backup"):
        assert f'data-check="{code}"' in page
    assert "Nghị định 42/2022/NĐ-CP" in page  # each item names its legal basis


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/editorial/compliance/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_footer_item_turns_green_when_every_language_names_everything(site_identity):
    result = _status("footer")
    assert result.status == compliance.FAIL
    assert "address" in result.detail
    SiteIdentity.objects.update(**FOOTER)
    assert _status("footer").status == compliance.OK
    SiteIdentity.objects.filter(language="ko").update(phone="")
    assert _status("footer").status == compliance.FAIL


def test_pictures_need_alt_text_in_every_language_they_are_shown_in(
    site_identity, make_article, make_image
):
    picture = make_image("harbour.jpg", alts=("vi",))
    make_article(("vi", "en"), images=[picture])
    result = _status("alt-texts")
    assert result.status == compliance.FAIL
    assert "1 picture" in result.detail
    ImageText.objects.create(image=picture, language="en", alt="The harbour")
    assert _status("alt-texts").status == compliance.OK


def test_sitemap_and_feeds_are_rendered_and_parsed(site_identity, make_article, monkeypatch):
    make_article(LANGS)
    assert _status("machine-readable").status == compliance.OK
    monkeypatch.setattr(compliance, "_render", lambda path: HttpResponse("<rss", status=200))
    broken = _status("machine-readable")
    assert broken.status == compliance.FAIL
    assert "/sitemap.xml (ParseError)" in broken.detail


def test_home_pages_carry_their_metadata(site_identity, make_article, monkeypatch):
    make_article(LANGS)
    assert _status("metadata").status == compliance.OK, _status("metadata").detail
    bare = '<html lang="vi"><head><title>x</title></head><body></body></html>'
    monkeypatch.setattr(compliance, "_render", lambda path: HttpResponse(bare))
    result = _status("metadata")
    assert result.status == compliance.FAIL
    assert "/vi/ (description, canonical)" in result.detail


def test_backups_are_reported_by_age(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    assert _status("backup").status == compliance.FAIL

    def written(age: timedelta) -> None:
        when = (timezone.now() - age).isoformat(timespec="seconds")
        record = {"folder": "/backups/x", "created_at": when, "files": 3, "bytes": 10}
        (tmp_path / backup.LAST_BACKUP).write_text(json.dumps(record))

    written(timedelta(hours=5))
    assert _status("backup").status == compliance.OK
    written(timedelta(days=3))
    assert _status("backup").status == compliance.FAIL


def test_a_check_that_breaks_is_reported_not_raised(db, monkeypatch):
    def broken():
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(
        compliance._CHECKS, "broken", compliance.Check("broken", "Broken", "—", broken)
    )
    result = _status("broken")
    assert result.status == compliance.FAIL
    assert "disk on fire" in result.detail


def test_monitoring_reads_it_as_json(client, people, site_identity):
    client.force_login(people["approver"])
    response = client.get("/editorial/compliance/", {"format": "json"})
    assert response["Content-Type"] == "application/json"
    codes = {item["code"]: item["status"] for item in json.loads(response.content)}
    assert codes["footer"] == "fail"


def test_pages_are_read_for_what_a_screen_reader_needs(site_identity, make_article, monkeypatch):
    make_article(LANGS)
    result = _status("accessibility")
    assert result.status == compliance.OK, result.detail
    assert "15 pages" in result.detail  # home, search and the article, in five languages
    bad = (
        '<html><body><h1>a</h1><h1>b</h1><img src="x.png"><a href="/y"></a>'
        '<input name="q"><a href="/z" aria-hidden="true" tabindex="-1"><img src="z.png" alt=""></a>'
        "</body></html>"
    )
    monkeypatch.setattr(compliance, "_render", lambda path: HttpResponse(bad))
    result = _status("accessibility")
    assert result.status == compliance.FAIL
    for problem in ("(lang)", "(h1)", "(img alt)", "(skip link)", "(label q)", "(link text /y)"):
        assert problem in result.detail
    assert "/z" not in result.detail  # a picture's twin of a headline link, hidden on purpose


def test_the_agency_must_be_introduced_in_english(db):
    from cangxanh.news.models import ArticleTranslation

    from ..agency.conftest import create_page

    result = _status("english-agency")
    assert result.status == compliance.FAIL
    assert "Functions and tasks" in result.detail
    for position, key in enumerate(["functions", "structure", "leaders", "contact"], start=1):
        create_page(key, key=key, position=position, langs=("vi", "en"))
    assert _status("english-agency").status == compliance.OK
    ArticleTranslation.objects.filter(language="en", article__page_facts__key="leaders").update(
        status="draft", published_at=None
    )
    result = _status("english-agency")
    assert result.status == compliance.FAIL
    assert result.detail == "Not public in English: Leaders."
