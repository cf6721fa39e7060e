"""The statistics page, its files, the newsroom's figures and the ministries' forms."""

import csv
import io

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_the_statistics_page_shows_tables_and_charts_of_public_records_only(client, figures):
    html = client.get("/en/statistics/").content.decode()
    for caption in (
        "Partner localities by country",
        "Delegations by year and direction",
        "Foreign NGO aid by sector",
    ):
        assert caption in html
    assert html.count("<table") >= 5 and 'scope="col"' in html and "<svg" in html
    assert "<canvas" not in html
    assert "Secret Member" not in html and "P0000001" not in html
    # The internal Chinese delegation is not counted anywhere.
    by_country = client.get(
        "/en/statistics/?chart=delegations-by-country&year=2025&direction=all&format=csv"
    )
    text = by_country.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1:] == [["South Korea", "1"]]


def test_one_address_per_chart_state_and_its_files_agree(client, figures):
    page = client.get("/en/statistics/?chart=delegations-by-year&direction=in").content.decode()
    assert "Delegations by year and direction" in page and "Foreign NGO aid by sector" not in page
    book = load_workbook(
        io.BytesIO(
            client.get("/en/statistics/?chart=delegations-by-year&direction=in&format=xlsx").content
        )
    )
    values = [[c.value for c in row] for row in book.active.iter_rows()]
    assert values[1:] == [[2024, 1, 0], [2025, 1, 0]]
    aid = client.get("/en/statistics/?chart=aid-by-sector&year=all&format=csv").content.decode(
        "utf-8-sig"
    )
    assert list(csv.reader(io.StringIO(aid)))[1] == ["Health", "110000", "44000"]
    for junk in ("?chart=nope", "?chart=aid-by-year&format=pdf", "?format=csv"):
        assert client.get("/en/statistics/" + junk).status_code == 404
    assert client.get("/en/statistics/?year=abc&direction=%00").status_code == 200


@pytest.mark.parametrize("lang", ["vi", "en", "ko", "ja", "zh-hans"])
def test_the_registry_pages_answer_in_every_language(client, figures, lang):
    for path in ("partners/", "partners/incheon/", "delegations/", "agreements/", "statistics/"):
        response = client.get(f"/{lang}/{path}")
        assert response.status_code == 200, path
        assert "P0000001" not in response.content.decode()


def test_the_newsroom_counts_everything_and_makes_the_ministries_forms(client, people, figures):
    client.force_login(people["officer"])
    page = client.get("/editorial/registries/figures/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Phòng Hợp tác" in page.content.decode()
    units = client.get(
        "/editorial/registries/figures/?chart=by-unit&year=all&direction=all&format=csv"
    )
    assert "Phòng Hợp tác,4" in units.content.decode("utf-8-sig")  # the internal one too

    form3 = load_workbook(
        io.BytesIO(client.get("/editorial/registries/figures/?report=03&report_year=2025").content)
    )
    cells = [c.value for row in form3.active.iter_rows() for c in row]
    assert "Đoàn 2025 CN" in cells  # the office's report holds internal records
    form4 = load_workbook(
        io.BytesIO(client.get("/editorial/registries/figures/?report=04&report_year=2025").content)
    )
    rows = [[c.value for c in row] for row in form4.active.iter_rows()]
    project = next(r for r in rows if r and r[1] == "Imaginary Aid")
    assert project[3] == "Trạm y tế xã" and project[13] == pytest.approx(110000.0)
    assert (
        client.get("/editorial/registries/figures/?report=05&report_year=2025").status_code == 404
    )
    assert client.get("/editorial/registries/figures/?report=04&report_year=abc").status_code == 404
    client.force_login(people["translator"])
    assert (
        client.get("/editorial/registries/figures/?report=04&report_year=2025").status_code == 403
    )


def test_no_members_personal_data_anywhere_readers_or_machines_look(client, figures):
    from cangxanh.search.analyzer import parse_query
    from cangxanh.search.engine import Filters, search

    paths = ["/sitemap.xml", "/sitemap-registry.xml", "/api/v1/delegations/?lang=vi&limit=100"]
    for lang in ("vi", "en", "ko", "ja", "zh-hans"):
        paths += [f"/{lang}/", f"/{lang}/feed/"] + [
            f"/{lang}/{page}/" for page in ("partners", "delegations", "agreements", "statistics")
        ]
    paths += [
        f"/en/statistics/?chart={c}&format=csv"
        for c in ("delegations-by-country", "delegations-by-purpose")
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode("utf-8", "replace")
        assert "Secret Member" not in body and "P0000001" not in body, path
    for words in ("Secret Member", "P0000001", "Phòng Hợp tác"):
        assert search(parse_query(words), Filters()).total == 0


def test_the_map_is_svg_with_every_partner_a_link(client, figures):
    from lxml import html as lxml_html

    page = lxml_html.fromstring(client.get("/en/partners/").content)
    maps = page.xpath("//figure[contains(@class, 'registry-map')]/*[local-name()='svg']")
    assert len(maps) == 2
    world = maps[0]
    links = {
        a.get("href") or a.get("{http://www.w3.org/1999/xlink}href")
        for a in world.xpath(".//*[local-name()='a']")
    }
    assert {"/en/partners/incheon/", "/en/partners/busan/"} <= links


def test_ties_for_the_last_places_go_by_country_code_in_every_language():
    from collections import Counter

    from django.utils import translation

    from cangxanh.registry.statistics import _top, country_name

    # Fourteen countries seen once: eleven are named, three go to "other countries".
    codes = ["NL", "DE", "VN", "KR", "JP", "CN", "FR", "US", "GB", "IT", "ES", "BE", "CU", "LA"]
    counts = Counter(codes)
    for lang in ("en", "vi", "ja"):
        with translation.override(lang):
            named = [label for label, _count in _top(counts)][:-1]
            assert named == [country_name(code) for code in sorted(codes)[:11]]


def test_ties_follow_the_readers_alphabet(people, make_partner):
    """Countries with as many partners are listed as readers of the language sort them:
    in Vietnamese, Đức (Germany) comes after Cuba and before Hà Lan (the Netherlands),
    not after every other letter as code points would put it."""
    from django.utils import translation

    from cangxanh.registry import history, statistics

    for slug, country in (("hamburg", "DE"), ("rotterdam", "NL"), ("havana", "CU")):
        partner = make_partner(slug)
        partner.country = country
        partner.save()
        history.publish(partner, people["approver"])
    for lang, expected in (
        ("vi", ["Cuba", "Đức", "Hà Lan"]),
        ("en", ["Cuba", "Germany", "Netherlands"]),
    ):
        with translation.override(lang):
            assert [row.label for row in statistics.partners_by_country(lang).rows] == expected
