"""Article metadata: Open Graph, Twitter card, Dublin Core and schema.org JSON-LD."""

import io
import json
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from lxml import html as lxml_html
from PIL import Image as PILImage

from cangxanh.images.models import ImageText
from cangxanh.news.models import ArticleTranslation, PersonPosition, Status

from ..conftest import SECTION_NAMES, TITLES

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_address(settings):
    # The address these tests read addresses against; what the site does without
    # SITE_URL, and with a forged Host, is tests/core/test_site_address.py's.
    settings.SITE_URL = "http://testserver"


BCP47 = {"vi": "vi", "en": "en", "ko": "ko", "ja": "ja", "zh-hans": "zh-Hans"}
OG_LOCALE = {"vi": "vi_VN", "en": "en_US", "ko": "ko_KR", "ja": "ja_JP", "zh-hans": "zh_CN"}
POSITIONS = {"vi": "Trưởng phòng Thông tin", "en": "Head of Information", "ko": "정보과장"}
ALTS = {"vi": "Cần cẩu ở cảng", "en": "Cranes at the port", "ko": "항구의 크레인"}
SOURCE_URL = "https://news.example/2025/incheon"


class Head:
    """A page's <head>, read the way a crawler reads it."""

    def __init__(self, response):
        assert response.status_code == 200
        self.raw = response.content.decode()
        self.tree = lxml_html.fromstring(response.content)

    def meta(self, key: str) -> list[str]:
        return self.tree.xpath("//head/meta[@property=$key or @name=$key]/@content", key=key)

    def one(self, key: str) -> str:
        [value] = self.meta(key)
        return value

    def json_ld(self) -> list[dict]:
        return [
            json.loads(script.text)
            for script in self.tree.xpath('//head/script[@type="application/ld+json"]')
        ]


def fetch(client, url: str) -> bytes:
    path = urlsplit(url)
    assert path.scheme == "http" and path.netloc == "testserver", url
    response = client.get(path.path)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


def iso(value: str) -> datetime:
    when = datetime.fromisoformat(value)
    assert when.utcoffset() == timedelta(hours=7), value  # Asia/Ho_Chi_Minh, with its offset
    return when


@pytest.fixture
def reprint(site_identity, make_article, image, source, person):
    PersonPosition.objects.create(person=person, language="ko", position=POSITIONS["ko"])
    ImageText.objects.create(image=image, language="ko", alt=ALTS["ko"])
    article = make_article(("vi", "en", "ko"), images=[image], source=source)
    article.source_url = SOURCE_URL
    article.save()
    ArticleTranslation.objects.create(
        article=article, language="ja", title="下書き", status=Status.DRAFT
    )
    return article


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_news_article_json_ld(client, reprint, lang):
    row = reprint.translations.get(language=lang)
    head = Head(client.get(row.get_absolute_url()))
    [data] = head.json_ld()
    canonical = "http://testserver" + row.get_absolute_url()

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == TITLES[lang]
    assert data["description"] == f"Lead {lang}"
    assert data["inLanguage"] == BCP47[lang]
    assert data["url"] == canonical
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical}
    assert iso(data["datePublished"]) == row.published_at.replace(microsecond=0)
    assert iso(data["dateModified"]) == max(row.updated_at, row.published_at).replace(microsecond=0)
    assert iso(data["dateModified"]) >= iso(data["datePublished"])
    assert data["articleSection"] == SECTION_NAMES[lang][0]
    # The author's position in the page's language.
    assert data["author"] == {
        "@type": "Person",
        "name": "Trần Thị Mai",
        "jobTitle": POSITIONS[lang],
    }

    publisher = data["publisher"]
    assert publisher["@type"] == "Organization"
    assert publisher["name"] == f"Portal {lang}"
    assert publisher["url"] == f"http://testserver/{lang}/"
    logo = publisher["logo"]
    assert logo["@type"] == "ImageObject"
    assert urlsplit(logo["url"]).path == static("cangxanh/logo.png")
    with PILImage.open(finders.find("cangxanh/logo.png")) as picture:
        assert picture.format == "PNG"
        assert picture.size == (logo["width"], logo["height"])
        assert min(picture.size) >= 112  # search engines' smallest logo

    # Images: absolute URLs of renditions that exist, the first at least 16:9 wide.
    assert len(data["image"]) == 2
    for url in data["image"]:
        assert url.startswith("http://testserver/media/")
        PILImage.open(io.BytesIO(fetch(client, url))).verify()

    # A reprint says what it is based on.
    assert data["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": SOURCE_URL,
        "publisher": {
            "@type": "Organization",
            "name": "Báo Thử Nghiệm",
            "url": "https://news.example/",
        },
    }
    vi_url = "http://testserver" + reprint.translations.get(language="vi").get_absolute_url()
    if lang == "vi":
        assert "translationOfWork" not in data
    else:
        assert data["translationOfWork"] == {
            "@type": "NewsArticle",
            "url": vi_url,
            "inLanguage": "vi",
        }


def test_json_ld_without_source_author_position_or_image(client, site_identity, make_article):
    article = make_article(("ko", "zh-hans"))
    row = article.translations.get(language="zh-hans")
    [data] = Head(client.get(row.get_absolute_url())).json_ld()
    assert "isBasedOn" not in data
    assert "image" not in data
    assert data["inLanguage"] == "zh-Hans"
    assert data["author"] == {"@type": "Person", "name": "Trần Thị Mai"}  # no position in zh


def test_reprint_without_the_original_address_names_its_source(
    client, site_identity, make_article, source
):
    article = make_article(("vi",), source=source)
    [data] = Head(client.get(article.translations.get().get_absolute_url())).json_ld()
    assert data["isBasedOn"] == {
        "@type": "CreativeWork",
        "publisher": {
            "@type": "Organization",
            "name": "Báo Thử Nghiệm",
            "url": "https://news.example/",
        },
    }


def test_headline_is_at_most_110_characters(client, site_identity, make_article):
    title = "Hội nghị xúc tiến đầu tư " * 10
    article = make_article(("vi",), titles={"vi": title.strip()})
    [data] = Head(client.get(article.translations.get().get_absolute_url())).json_ld()
    assert len(data["headline"]) <= 110
    assert data["headline"].endswith("…")
    assert title.startswith(data["headline"][:-1])


def test_json_ld_cannot_close_its_script_element(client, site_identity, make_article):
    title = 'A </script><script>alert("x")</script> & <!-- title'
    article = make_article(("en",), titles={"en": title})
    ArticleTranslation.objects.filter(article=article).update(lead="</SCRIPT> lead & more")
    head = Head(client.get(article.translations.get().get_absolute_url()))
    script = head.raw.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    [data] = head.json_ld()
    assert data["headline"] == title
    assert data["description"] == "</SCRIPT> lead & more"


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_open_graph_and_twitter_card(client, reprint, lang):
    row = reprint.translations.get(language=lang)
    head = Head(client.get(row.get_absolute_url()))
    canonical = "http://testserver" + row.get_absolute_url()

    assert head.one("description") == f"Lead {lang}"
    assert head.one("og:type") == "article"
    assert head.one("og:title") == TITLES[lang]
    assert head.one("og:description") == f"Lead {lang}"
    assert head.one("og:url") == canonical
    assert head.tree.xpath('//head/link[@rel="canonical"]/@href') == [canonical]
    assert head.one("og:site_name") == f"Portal {lang}"
    assert head.one("og:locale") == OG_LOCALE[lang]
    # The other published languages; the Japanese draft is not one of them.
    assert set(head.meta("og:locale:alternate")) == {
        OG_LOCALE[code] for code in ("vi", "en", "ko") if code != lang
    }
    image = head.one("og:image")
    picture = PILImage.open(io.BytesIO(fetch(client, image)))
    assert picture.format == "JPEG" and head.one("og:image:type") == "image/jpeg"
    assert picture.size == (int(head.one("og:image:width")), int(head.one("og:image:height")))
    assert head.one("og:image:alt") == ALTS[lang]
    assert iso(head.one("article:published_time")) == row.published_at.replace(microsecond=0)
    assert iso(head.one("article:modified_time")) >= iso(head.one("article:published_time"))
    assert head.one("article:section") == SECTION_NAMES[lang][0]
    assert head.one("article:author") == "Trần Thị Mai"

    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:title") == TITLES[lang]
    assert head.one("twitter:description") == f"Lead {lang}"
    assert head.one("twitter:image") == image
    assert head.one("twitter:image:alt") == ALTS[lang]


def test_no_image_means_a_small_card_and_no_og_image(client, site_identity, make_article):
    article = make_article(("vi",))
    head = Head(client.get(article.translations.get().get_absolute_url()))
    assert head.one("twitter:card") == "summary"
    assert head.meta("og:image") == [] and head.meta("twitter:image") == []


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_dublin_core(client, reprint, lang):
    row = reprint.translations.get(language=lang)
    head = Head(client.get(row.get_absolute_url()))
    assert head.tree.xpath('//head/link[@rel="schema.DC"]/@href') == [
        "http://purl.org/dc/elements/1.1/"
    ]
    assert head.one("DC.title") == TITLES[lang]
    assert head.one("DC.creator") == "Trần Thị Mai"
    assert iso(head.one("DC.date")) == row.published_at.replace(microsecond=0)
    assert head.one("DC.description") == f"Lead {lang}"
    assert head.one("DC.publisher") == f"Portal {lang}"
    assert head.one("DC.identifier") == "http://testserver" + row.get_absolute_url()
    assert head.one("DC.language") == BCP47[lang]


def test_publisher_is_the_office_when_one_is_named(client, site_identity, make_article):
    from cangxanh.core.models import SiteIdentity
    from cangxanh.core.site import site_identity_changed

    SiteIdentity.objects.filter(language="vi").update(publisher="Sở Ngoại vụ")
    site_identity_changed()
    article = make_article(("vi",))
    head = Head(client.get(article.translations.get().get_absolute_url()))
    [data] = head.json_ld()
    assert data["publisher"]["name"] == "Sở Ngoại vụ"
    assert head.one("DC.publisher") == "Sở Ngoại vụ"
    assert head.one("og:site_name") == "Portal vi"


def test_metadata_follows_site_url(client, reprint, settings):
    settings.SITE_URL = "https://portal.example"
    row = reprint.translations.get(language="en")
    head = Head(client.get(row.get_absolute_url()))
    [data] = head.json_ld()
    assert head.one("og:url") == data["url"] == "https://portal.example" + row.get_absolute_url()
    assert head.one("og:image").startswith("https://portal.example/media/")
    assert data["publisher"]["logo"]["url"].startswith("https://portal.example/static/")


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_home_page_card_and_website_json_ld(client, site_identity, make_article, lang):
    make_article(("vi", "en", "ko"))
    head = Head(client.get(f"/{lang}/"))
    assert head.one("og:type") == "website"
    assert head.one("og:title") == f"Portal {lang}"
    assert head.one("og:description") == f"Slogan {lang}"
    assert head.one("og:url") == f"http://testserver/{lang}/"
    assert head.one("og:site_name") == f"Portal {lang}"
    assert head.one("og:locale") == OG_LOCALE[lang]
    assert len(head.meta("og:locale:alternate")) == 4
    assert head.tree.xpath('//head/link[@rel="canonical"]/@href') == [f"http://testserver/{lang}/"]
    [data] = head.json_ld()
    assert data["@type"] == "WebSite"
    assert data["name"] == f"Portal {lang}"
    assert data["url"] == f"http://testserver/{lang}/"
    assert data["inLanguage"] == BCP47[lang]


@pytest.mark.parametrize("lang", ["vi", "en", "ko"])
def test_section_page_card(client, site_identity, make_article, lang):
    make_article(("vi",))
    name, slug = SECTION_NAMES[lang]
    response = client.get(f"/{lang}/{slug}/")
    head = Head(response)
    assert head.one("og:type") == "website"
    assert head.one("og:title") == name
    assert unquote(head.one("og:url")) == f"http://testserver/{lang}/{slug}/"
    assert head.one("og:site_name") == f"Portal {lang}"
    assert head.json_ld() == []
    # Section pages say which language is x-default, as the sitemap does.
    [x_default] = head.tree.xpath('//head/link[@hreflang="x-default"]/@href')
    assert x_default == f"http://testserver/vi/{SECTION_NAMES['vi'][1]}/"


def test_one_set_of_social_tags_per_article_page(client, reprint):
    head = Head(client.get(reprint.translations.get(language="vi").get_absolute_url()))
    for key in ("og:type", "og:title", "og:url", "twitter:card", "description"):
        assert len(head.meta(key)) == 1, key
