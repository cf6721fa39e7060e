"""/editorial/visits/: the visit statistics, for approvers and administrators only,
with a chart, a table and CSV/XLSX for each chart state."""

import csv
import io
from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from cangxanh.stats.models import DailyReferrers, DailyViews

pytestmark = pytest.mark.django_db

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
URL = "/editorial/visits/"


@pytest.fixture
def readings(client, site_identity, make_article):
    """Three readers of a Vietnamese article (from Google, Zalo, and directly), one of its
    English translation, and older buckets (last week's, and 60 days ago)."""
    article = make_article(["vi", "en"])
    vi, en = (article.translations.get(language=lang) for lang in ("vi", "en"))
    for number, referer in enumerate(["https://www.google.com/", "https://chat.zalo.me/", None]):
        headers = {"HTTP_REFERER": referer} if referer else {}
        client.get(
            vi.get_absolute_url(),
            HTTP_USER_AGENT=CHROME,
            REMOTE_ADDR=f"198.51.100.{number + 1}",
            **headers,
        )
    client.get(en.get_absolute_url(), HTTP_USER_AGENT=CHROME, REMOTE_ADDR="198.51.100.9")
    today = timezone.localdate()
    DailyViews.objects.create(translation=vi, day=today - timedelta(days=6), count=40)
    DailyViews.objects.create(translation=en, day=today - timedelta(days=60), count=500)
    DailyReferrers.objects.create(day=today - timedelta(days=6), kind="search", count=40)
    return vi, en


def test_the_views_reach_the_buckets(readings):
    today = timezone.localdate()
    assert dict(DailyReferrers.objects.filter(day=today).values_list("kind", "count")) == {
        "search": 1, "social": 1, "direct": 2,
    }  # fmt: skip
    assert DailyViews.objects.filter(day=today).count() == 2


@pytest.mark.parametrize(
    ("role", "status"), [("approver", 200), ("editor", 403), ("translator", 403)]
)
def test_who_sees_the_visit_statistics(client, people, readings, role, status):
    client.force_login(people[role])
    assert client.get(URL, HTTP_ACCEPT_LANGUAGE="en").status_code == status
    download = client.get(URL + "?chart=top&days=7&format=csv")
    assert download.status_code == status
    menu = client.get("/editorial/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (f'href="{URL}"' in menu) == (status == 200)


def test_administrators_see_them_and_strangers_sign_in_first(client, django_user_model, readings):
    assert client.get(URL).status_code == 302
    admin = django_user_model.objects.create_superuser("admin", "a@example.test", "pw-123456")
    client.force_login(admin)
    assert client.get(URL).status_code == 200


def test_the_page_shows_each_chart_with_its_table_and_files(client, people, readings):
    client.force_login(people["approver"])
    response = client.get(URL + "?days=7", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Cache-Control"] == "private, no-store"
    page = lxml.html.fromstring(response.content.decode())
    figures = page.xpath("//dl[@class='cx-figures']//dd")
    assert [dd.text_content() for dd in figures] == ["44", "4", "4"]
    for chart in ("languages", "sections", "top", "referrers"):
        block = page.get_element_by_id(f"chart-{chart}")
        assert block.xpath(".//svg[@role='img']")
        assert block.xpath(".//table/caption")
        links = [a.get("href") for a in block.xpath(".//p[@class='cx-files']/a")]
        assert links == [
            f"{URL}?chart={chart}&days=7&format=csv",
            f"{URL}?chart={chart}&days=7&format=xlsx",
            f"{URL}?chart={chart}&days=7",
        ]
    top = page.get_element_by_id("chart-top").xpath(".//tbody/tr")
    assert [row.xpath("th")[0].text_content() for row in top] == [
        "Đoàn đại biểu thành phố Incheon thăm Hải Phòng (Vi)",
        "Incheon delegation visits Hai Phong (En)",
    ]
    current = page.xpath("//nav[@class='cx-choices']//a[@aria-current]")
    assert [a.text_content() for a in current] == ["Last 7 days"]
    assert "style=" not in response.content.decode().split("<body", 1)[1]


def test_a_chart_alone_and_its_csv_and_xlsx(client, people, readings):
    client.force_login(people["approver"])
    alone = lxml.html.fromstring(client.get(URL + "?chart=referrers&days=7").content.decode())
    assert [el.get("id") for el in alone.xpath("//section[@class='cx-figure']")] == [
        "chart-referrers"
    ]
    response = client.get(URL + "?chart=referrers&days=7&format=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    today = timezone.localdate()
    since = today - timedelta(days=6)
    assert response["Content-Disposition"] == (
        f'attachment; filename="visits-referrers-{since.isoformat()}-{today.isoformat()}.csv"'
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Day",
        "Search engines",
        "Social networks",
        "Direct",
        "Other sites",
        "This portal",
    ]
    assert len(rows) == 1 + 7
    assert rows[1] == [since.isoformat(), "40", "0", "0", "0", "0"]
    assert rows[-1] == [today.isoformat(), "1", "1", "2", "0", "0"]
    xlsx = client.get(URL + "?chart=languages&days=90&format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + 90
    assert sum(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == 43  # vi
    assert sum(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == 501  # en


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?chart=nope", 404),
        ("?chart=top&format=pdf", 404),
        ("?format=csv", 404),
        ("?days=abc", 200),
        ("?days=99999999999999999999999", 200),
        ("?days=%00&chart=top", 200),
    ],
)
def test_strange_addresses_are_answered_cleanly(client, people, readings, query, status):
    client.force_login(people["approver"])
    assert client.get(URL + query).status_code == status
