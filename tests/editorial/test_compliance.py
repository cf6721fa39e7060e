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
    # Home, search, the article and the list of each other kind (the agency, the
    # calendar, documents, questions, consultations), in five languages.
    assert "40 pages" in result.detail
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


def _fix_links(page: str) -> dict[str, str]:
    """The "put it right" links of the page, by check."""
    import re

    rows = re.findall(r'<tr data-check="([^"]+)"[^>]*>(.*?)</tr>', page, re.S)
    found = {}
    for code, row in rows:
        link = re.search(r'<a href="([^"]+)">', row)
        if link:
            found[code] = link.group(1).replace("&amp;", "&")
    return found


def test_every_put_it_right_link_opens_for_whoever_is_shown_it(
    client, people, make_user, site_identity, make_article, make_image
):
    from cangxanh.editorial import roles

    make_article(("vi", "en"), images=[make_image("harbour.jpg", alts=("vi",))])
    administrator = make_user("administrator", roles.ADMINISTRATOR)
    for user, footer_link in ((people["approver"], False), (administrator, True)):
        client.force_login(user)
        page = client.get("/editorial/compliance/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        links = _fix_links(page)
        # Failing here: the footer, English agency pages, alt texts; no documents yet.
        assert {"english-agency", "alt-texts", "documents-files"} <= set(links), links
        assert ("footer" in links) is footer_link
        for code, url in links.items():
            assert client.get(url).status_code == 200, (user.username, code, url)
    # The footer is a site setting: the approver learns who can put it right.
    client.force_login(people["approver"])
    page = client.get("/editorial/compliance/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    row = page[page.index('data-check="footer"') :]
    assert "An administrator can put it right." in row[: row.index("</tr>")]


def test_every_kind_of_page_must_carry_dublin_core(site_identity, make_article, monkeypatch):
    from ..agency.conftest import create_page

    make_article(LANGS)
    create_page("functions", key="functions", langs=("vi", "en"))
    result = _status("dublin-core")
    assert result.status == compliance.OK, result.detail
    # The article in five languages, the page and /about/ in two.
    assert result.detail.startswith("9 pages checked")
    real = compliance._render_now

    def without_dc(path):
        response = real(path)
        if "/about/" in path:
            response.content = response.content.replace(b'name="DC.identifier"', b'name="x"')
        return response

    monkeypatch.setattr(compliance, "_render_now", without_dc)
    result = _status("dublin-core")
    assert result.status == compliance.FAIL
    assert "/en/about/ (DC.identifier)" in result.detail


def test_the_check_asks_nothing_of_the_network_and_renders_each_page_once(
    site_identity, make_article, monkeypatch
):
    import socket

    from ..agency.conftest import create_page

    make_article(LANGS)
    create_page("functions", key="functions")

    def refuse(*args, **kwargs):
        raise AssertionError("the compliance check opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    seen = []
    real = compliance._render_now

    def counted(path):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(compliance, "_render_now", counted)
    results = dict((check.code, result) for check, result in compliance.run_all())
    for code in ("machine-readable", "metadata", "dublin-core", "accessibility"):
        assert results[code].status == compliance.OK, (code, results[code].detail)
    assert len(seen) == len(set(seen))  # one render per page, shared by the checks
    assert "/vi/about/" in seen and "/ko/calendar/" in seen
