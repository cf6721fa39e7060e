"""A small corpus in the five languages, written for these tests, and search helpers.

Each entry is one article's translation; `key` names it in assertions. The
texts are ours, chosen for what they contain: the competitor's failures ("Đà
Nẵng", "Cần Thơ", "vận tải biển", and "hàng hải … phóng viên" that is not Hải
Phòng), an unaccented "hai phong", city names in Chinese, Japanese and Korean.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cangxanh.news.models import Article, ArticleTranslation, Section, SectionTranslation, Status
from cangxanh.search import engine
from cangxanh.search.analyzer import parse_query
from cangxanh.search.index import index_rebuild

from ..editorial.conftest import make_user, people  # noqa: F401 - fixtures used here

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")

SECTIONS = {
    "ports": {
        "vi": ("Cảng biển", "cang-bien"),
        "en": ("Ports", "ports"),
        "ko": ("항만", "항만"),
        "ja": ("港湾", "港湾"),
        "zh-hans": ("港口", "港口"),
    },
    "culture": {
        "vi": ("Văn hóa", "van-hoa"),
        "en": ("Culture", "culture"),
        "ko": ("문화", "문화"),
        "ja": ("文化", "文化"),
        "zh-hans": ("文化", "文化"),
    },
}


@dataclass(frozen=True)
class Doc:
    key: str
    lang: str
    section: str
    day: str  # local date of publication, YYYY-MM-DD
    title: str
    lead: str
    body: str


CORPUS = [
    Doc(
        "vi-danang",
        "vi",
        "ports",
        "2024-03-05",
        "Đoàn doanh nghiệp Đà Nẵng khảo sát cảng Lạch Huyện",
        "Các doanh nghiệp logistics từ Đà Nẵng tìm hiểu tuyến vận tải biển mới.",
        "<p>Chuyến khảo sát kéo dài hai ngày.</p><p>Đoàn làm việc với các hãng <strong>vận tải biển</strong> về tuyến container đi Nhật Bản.</p>",
    ),
    Doc(
        "vi-cantho",
        "vi",
        "culture",
        "2024-02-10",
        "Lễ hội ẩm thực miền Tây tại Cần Thơ thu hút du khách quốc tế",
        "Du khách Hàn Quốc và Nhật Bản thưởng thức đặc sản sông nước.",
        "<p>Lễ hội diễn ra ở bến Ninh Kiều, Cần Thơ, trong ba ngày cuối tuần.</p>",
    ),
    Doc(
        "vi-haiphong",
        "vi",
        "ports",
        "2024-01-20",
        "Thành phố đón đoàn đại biểu Busan",
        "Lãnh đạo Hải Phòng và Busan bàn về hợp tác cảng biển xanh.",
        "<p>Hai thành phố cùng nhau phát triển cảng biển xanh và đào tạo nhân lực.</p>",
    ),
    Doc(
        # "hai" and "phong" only apart: hàng hải … phóng viên (and no Hải Phòng).
        "vi-hanghai",
        "vi",
        "culture",
        "2024-04-02",
        "Triển lãm ảnh về nghề hàng hải",
        "Các phóng viên ảnh giới thiệu cuộc sống của thủy thủ.",
        "<p>Triển lãm mở cửa miễn phí đến hết tháng.</p>",
    ),
    Doc(
        # Hai Phong written without accents (a reader's letter, printed as sent).
        "vi-unaccented",
        "vi",
        "culture",
        "2024-05-15",
        "Thu ban doc: mot ngay o hai phong",
        "Chung toi den thanh pho cang bang tau hoa tu Ha Noi.",
        "<p>Thu duoc dang nguyen van.</p>",
    ),
    Doc(
        "vi-phrase",
        "vi",
        "ports",
        "2023-11-30",
        "Kết nối giao thông và du lịch biển",
        "Tuyến đường ven biển giúp du lịch biển phát triển.",
        "<p>Giao thông thuận lợi thu hút du lịch. Biển đẹp quanh năm.</p>",
    ),
    Doc(
        "en-haiphong",
        "en",
        "ports",
        "2024-01-21",
        "Hai Phong welcomes a delegation from Busan",
        "Leaders of the two port cities discussed green ports.",
        "<p>The cities agreed to train harbour pilots together.</p>",
    ),
    Doc(
        "en-cities",
        "en",
        "culture",
        "2024-02-11",
        "Sister cities share their food festivals",
        "A festival in Can Tho welcomed visitors from partner cities.",
        "<p>Each city brought one dish.</p>",
    ),
    Doc(
        "zh-haiphong",
        "zh-hans",
        "ports",
        "2024-01-22",
        "海防市代表团访问釜山港",
        "海防与釜山两座港口城市讨论绿色港口合作。",
        "<p>代表团随后前往北九州，考察环境技术。</p>",
    ),
    Doc(
        "ja-kitakyushu",
        "ja",
        "ports",
        "2024-01-23",
        "北九州市の代表団が海防を訪問",
        "釜山に続いて、ハイフォン市と環境分野の協力を話し合った。",
        "<p>代表団は港湾施設を視察した。</p>",
    ),
    Doc(
        "ko-haiphong",
        "ko",
        "ports",
        "2024-01-24",
        "하이퐁시의 대표단, 부산항 방문",
        "하이퐁과 부산은 친환경 항만 협력을 논의했다.",
        "<p>대표단은 기타큐슈도 방문할 예정이다.</p>",
    ),
]


@pytest.fixture
def sections(db):
    made = {}
    for position, (key, names) in enumerate(SECTIONS.items()):
        section = Section.objects.create(key=key, position=position)
        for lang, (name, slug) in names.items():
            SectionTranslation.objects.create(section=section, language=lang, name=name, slug=slug)
        made[key] = section
    return made


def publish_time(day: str) -> datetime:
    return datetime.strptime(day, "%Y-%m-%d").replace(hour=9, tzinfo=LOCAL)


@pytest.fixture
def corpus(sections, site_identity):
    """The corpus, published and indexed; returns {key: ArticleTranslation}."""
    rows = {}
    for doc in CORPUS:
        article = Article.objects.create(section=sections[doc.section], original_language=doc.lang)
        rows[doc.key] = ArticleTranslation.objects.create(
            article=article,
            language=doc.lang,
            title=doc.title,
            lead=doc.lead,
            body=doc.body,
            status=Status.PUBLISHED,
            published_at=publish_time(doc.day),
        )
    index_rebuild()
    return rows


def keys(results, corpus) -> list[str]:
    names = {row.pk: key for key, row in corpus.items()}
    return [names.get(hit.id, hit.id) for hit in results.hits]


@pytest.fixture
def find(corpus):
    """find("da nang", "vi") -> the keys of the results in order (first page)."""

    def run(q, lang=None, **options):
        filters = engine.Filters(
            language=lang,
            section=options.pop("section", None),
            date_from=options.pop("date_from", None),
            date_to=options.pop("date_to", None),
        )
        results = engine.search(parse_query(q), filters, **options)
        return keys(results, corpus)

    return run


def later(hours: int = 1) -> datetime:
    from django.utils import timezone

    return timezone.now() + timedelta(hours=hours)


@contextmanager
def statements():
    """The statements sent meanwhile, each as (sql, its parameters as text)."""
    from django.db import connection

    sent: list[tuple[str, str]] = []

    def record(execute, sql, params, many, context):
        sent.append((sql, str(params)))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield sent
