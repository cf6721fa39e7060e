"""Documents built through the real models: types, issuers and fields with their names,
published documents with their facts and files, and the private storage they use."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from cangxanh.documents import services
from cangxanh.documents.models import (
    KIND,
    DocumentFacts,
    DocumentFile,
    DocumentRelation,
    DocumentType,
    DocumentTypeName,
    Field,
    FieldName,
    Issuer,
    IssuerName,
    documents_storage,
)
from cangxanh.documents.numbers import number_key
from cangxanh.documents.validation import check_upload
from cangxanh.editorial.revisions import mark_approved
from cangxanh.news.models import Article, ArticleTranslation, Status
from cangxanh.search.index import article_entries_update

from . import files

TEXTS = {
    "vi": (
        "Quy chế quản lý đoàn ra, đoàn vào",
        "Quyết định ban hành Quy chế quản lý thống nhất các hoạt động đối ngoại.",
    ),
    "en": (
        "Rules on delegations abroad and visiting delegations",
        "Decision issuing the rules on the unified management of foreign affairs.",
    ),
    "ko": ("출입국 대표단 관리 규정", "대외 활동 통합 관리 규정을 공포하는 결정"),
}
PDF_SENTENCE = files.SENTENCE  # in the PDF only: never in a title, summary or notes


@pytest.fixture(autouse=True)
def _documents_storage(settings, tmp_path):
    """The private documents storage in this test's own folder."""
    settings.STORAGES = settings.STORAGES | {
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "documents"},
        }
    }
    field = DocumentFile._meta.get_field("file")
    previous = field.storage
    field.storage = documents_storage()
    yield
    field.storage = previous


@pytest.fixture(autouse=True)
def _saigon(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test ends in the site's language: a request leaves its own active, and the
    validation tests read messages in the default one."""
    yield
    translation.deactivate()


def _term(model, names_model, key, names, position=0):
    term = model.objects.create(key=key, position=position)
    for lang, name in names.items():
        names_model.objects.create(term=term, language=lang, name=name)
    return term


@pytest.fixture
def taxonomy(db):
    return {
        "decision": _term(
            DocumentType,
            DocumentTypeName,
            "decision",
            {"vi": "Quyết định", "en": "Decision", "ko": "결정"},
        ),
        "decree": _term(
            DocumentType, DocumentTypeName, "decree", {"vi": "Nghị định", "en": "Decree"}, 1
        ),
        "plan": _term(DocumentType, DocumentTypeName, "plan", {"vi": "Kế hoạch", "en": "Plan"}, 2),
        "city": _term(
            Issuer,
            IssuerName,
            "ubnd-hai-phong",
            {"vi": "UBND thành phố Hải Phòng", "en": "Hai Phong People's Committee"},
        ),
        "government": _term(
            Issuer, IssuerName, "chinh-phu", {"vi": "Chính phủ", "en": "Government"}
        ),
        "foreign": _term(
            Field, FieldName, "doi-ngoai", {"vi": "Đối ngoại", "en": "Foreign affairs"}
        ),
        "it": _term(Field, FieldName, "cntt", {"vi": "Công nghệ thông tin"}),
    }


def stored_file(article, data: bytes, name: str = "van-ban.pdf", *, language="vi", listed=True):
    """A file stored as the admin stores it, its text read, listed or not."""
    upload = ContentFile(data, name=name)
    row = services.file_store(
        article=article, upload=upload, checked=check_upload(name, upload), language=language
    )
    services.file_read_text(row)
    if listed:
        count = DocumentFile.objects.filter(document=article, listed=True).count()
        DocumentFile.objects.filter(pk=row.pk).update(listed=True, position=count)
        row.refresh_from_db()
    return row


@pytest.fixture
def pdf_bytes():
    return files.fpdf_document([f"Điều 1. {PDF_SENTENCE}", "Điều 2. Hiệu lực thi hành."])


@pytest.fixture
def make_document(db, taxonomy):
    """A published document (facts written as `apply` would), its texts in `langs`, its
    files listed, indexed as the workflow indexes it."""

    def make(
        number="62/2025/QĐ-UBND",
        *,
        langs=("vi", "en"),
        type="decision",
        issuer="city",
        field="foreign",
        issued_on=date(2025, 6, 24),
        effective_on=date(2025, 8, 1),
        legal_status="in_force",
        signer="Nguyễn Văn Tùng",
        pdf: bytes | None = None,
        status=Status.PUBLISHED,
        published_at=None,
        titles=None,
        leads=None,
    ) -> Article:
        article = Article.objects.create(kind=KIND, original_language=langs[0])
        DocumentFacts.objects.create(
            article=article,
            number=number,
            number_key=number_key(number),
            type=taxonomy[type],
            issuer=taxonomy[issuer],
            field=taxonomy[field] if field else None,
            signer=signer,
            issued_on=issued_on,
            effective_on=effective_on,
            legal_status=legal_status,
        )
        if pdf is not None:
            stored_file(article, pdf, f"{number_key(number).replace(' ', '-')}.pdf")
        published_at = published_at or timezone.now() - timedelta(hours=2)
        for lang in langs:
            title, lead = TEXTS[lang]
            row = ArticleTranslation.objects.create(
                article=article,
                language=lang,
                title=(titles or {}).get(lang, title),
                lead=(leads or {}).get(lang, lead),
                body="",
                status=status,
                published_at=published_at if status == Status.PUBLISHED else None,
            )
            if status == Status.PUBLISHED:
                mark_approved(row)
        article_entries_update(article)
        return article

    return make


def relate(source, target, relation="amends"):
    DocumentRelation.objects.create(source=source, target=target, relation=relation)
