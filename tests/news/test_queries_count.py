"""Public pages read a fixed, small number of queries, whatever they show.

The counts are those of production: outside a test transaction, so the
chrome (site identity, sections, menu) is read once per content version and
not per page (`cangxanh.core.site.per_version`). An article page with one
image, one translation and one related article reads exactly as much as one
with four images, five translations and five related articles; so do the
home page and a section page. Counting a view adds the counter's own
queries and nothing else.
"""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure
from cangxanh.stats import counter
from tests.agency.conftest import create_page, leader_person, set_contacts
from tests.conftest import LANGS, jpeg_bytes

pytestmark = pytest.mark.django_db(transaction=True)

# The article, its related articles, and all their images (with texts in the page's language).
ARTICLE_QUERIES = 3
# The newest of every section, their first images, one ranking per most-read period.
HOME_QUERIES = 5
# The count of the section's articles, one page of them, their first images.
SECTION_QUERIES = 3

BOT = {"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


@pytest.fixture(autouse=True)
def _views_written_at_once(settings):
    settings.VIEWS_FLUSH_SECONDS = 0
    counter.reset()
    yield
    counter.reset()


@pytest.fixture
def pictures(db):
    def make(n: int) -> list[Image]:
        made = []
        for i in range(n):
            img = Image(credit=f"Ảnh {i}")
            img.file.save(f"photo-{i}.jpg", ContentFile(jpeg_bytes()), save=False)
            img.save()
            for lang in ("vi", "en"):
                ImageText.objects.create(
                    image=img, language=lang, alt=f"Alt {lang} {i}", caption=f"Caption {i}"
                )
            image_renditions_ensure(image=img)
            made.append(img)
        return made

    return make


def queries(client, url: str, **extra) -> int:
    # Warm: renditions made, the chrome of this content version read.
    assert client.get(url, **extra).status_code == 200
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(captured.captured_queries)


def small_site(make_article, pictures):
    """One article with one image and one translation, one related article."""
    (picture,) = pictures(1)
    article = make_article(["vi"], images=[picture])
    make_article(["vi"], images=[picture])
    return article.translations.get(language="vi").get_absolute_url()


def large_site(make_article, pictures):
    """One article with four images and five translations, five related articles."""
    images = pictures(4)
    for i in range(5):
        make_article(LANGS, images=images[i % 4 :] + images[: i % 4])
    article = make_article(LANGS, images=images)
    return article.translations.get(language="vi").get_absolute_url()


@pytest.mark.parametrize("build", [small_site, large_site], ids=["small", "large"])
def test_article_page_reads_a_fixed_number_of_queries(
    client, site_identity, make_article, pictures, build
):
    url = build(make_article, pictures)
    assert queries(client, url, **BOT) == ARTICLE_QUERIES


@pytest.mark.parametrize("build", [small_site, large_site], ids=["small", "large"])
def test_home_and_section_pages_read_a_fixed_number_of_queries(
    client, site_identity, section, make_article, pictures, build
):
    build(make_article, pictures)
    assert queries(client, "/vi/") == HOME_QUERIES
    assert queries(client, section.translation("vi").get_absolute_url()) == SECTION_QUERIES


def test_the_home_page_counts_the_same_with_readings(client, site_identity, make_article, pictures):
    url = large_site(make_article, pictures)
    for _ in range(5):  # newer stories on top: most read leaves out what is shown above it
        make_article(["vi"])
    for number in range(3):  # counted (three readers): today's buckets now rank these articles
        client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR=f"198.51.100.{10 + number}")
    html = client.get("/vi/").content.decode()
    assert 'class="most-read"' in html
    assert queries(client, "/vi/") == HOME_QUERIES


def test_counting_a_view_adds_only_the_counters_queries(
    client, site_identity, make_article, pictures
):
    from cangxanh.news.models import ArticleTranslation

    url = large_site(make_article, pictures)
    shown = queries(client, url, **BOT)  # a crawler's visit is not a view
    # A reader's first view (the warming requests are other readers').
    queries(client, url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.1")
    with CaptureQueriesContext(connection) as first_view:
        client.get(url, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.2")
    counted = len(first_view.captured_queries)
    row = next(t for t in ArticleTranslation.objects.all() if t.get_absolute_url() == url)
    with CaptureQueriesContext(connection) as captured:
        counter.record(row.pk, row.view_count, kind="direct")  # with its referrer's kind
    assert captured.captured_queries  # each view is written at once here
    assert counted == shown + len(captured.captured_queries)


def test_pictures_in_the_body_add_no_query_to_the_article_page(
    client, site_identity, make_article, pictures
):
    """Library pictures placed in the body are read in one query (whatever their
    number), remembered for the content version: a warm page reads what one with a
    plain body reads."""
    from cangxanh.images.bodies import body_pictures

    images = pictures(3)
    article = make_article(["vi"], images=images[:1])
    row = article.translations.get(language="vi")
    row.body = (
        "<p>Một</p>"
        + "".join(
            f'<p><img src="{img.file.url}" alt="Trong bài {n}"></p>' for n, img in enumerate(images)
        )
        + "<p>Hai</p>"
    )
    row.save()
    url = row.get_absolute_url()
    assert queries(client, url, **BOT) == ARTICLE_QUERIES
    page = client.get(url, **BOT).content.decode()
    assert page.count("<picture>") == 4 and 'alt="Trong bài 2"' in page

    # Not remembered yet (another language): one query for all three.
    with CaptureQueriesContext(connection) as captured:
        found = body_pictures(row.body, "en")
    assert len(captured.captured_queries) == 1
    assert sorted(found) == sorted(img.file.name for img in images)
    assert found[images[0].file.name].page_texts["en"].alt == "Alt en 0"


# The agency's pages (cangxanh.agency): /about/ reads its pages with their facts, people and
# positions, their pictures, the pictures' texts; a page reads itself in every language first.
ABOUT_QUERIES = 3
AGENCY_PAGE_QUERIES = 4


def small_agency(pictures):
    (photo,) = pictures(1)
    leaders = create_page("leaders", langs=["vi"], key="leaders")
    create_page("director", langs=["vi"], parent=leaders.pk, layout="leader", images=[photo])
    return leaders


def large_agency(pictures):
    photos = pictures(4)
    create_page("functions", key="functions", position=1)
    structure = create_page("structure", key="structure", position=2)
    for position in range(4):
        create_page(f"division{position}", parent=structure.pk, layout="division", phone="0225 1")
    leaders = create_page("leaders", key="leaders", position=3, images=[photos[0]])
    for position, photo in enumerate(photos):
        person = leader_person(f"Leader {position}", "Deputy").pk
        create_page(
            f"leader{position}", parent=leaders.pk, layout="leader", person=person, images=[photo]
        )
    create_page("contact", key="contact", layout="contact", images=[photos[1]])
    return leaders


@pytest.mark.parametrize("build", [small_agency, large_agency], ids=["small", "large"])
def test_agency_pages_read_a_fixed_number_of_queries(client, site_identity, pictures, build):
    set_contacts()
    leaders = build(pictures)
    assert queries(client, "/vi/about/") == ABOUT_QUERIES
    url = leaders.translations.get(language="vi").get_absolute_url()
    assert queries(client, url) == AGENCY_PAGE_QUERIES
