"""What the compliance self-check asks of the documents (editorial.compliance)."""

from django.db.models import Exists, OuterRef

from cangxanh.news.models import ArticleTranslation

from .models import KIND, DocumentFacts, DocumentFile


def published_documents():
    """The facts of the documents readers can see now."""
    public = ArticleTranslation.objects.published().of_kind(KIND)
    return DocumentFacts.objects.filter(article__in=public.values("article_id"))


def documents_without_files() -> list[DocumentFacts]:
    """Published documents whose live facts list no file: readers get only a summary."""
    listed = DocumentFile.objects.filter(document_id=OuterRef("article_id"), listed=True)
    return list(published_documents().filter(~Exists(listed)).order_by("-issued_on", "article_id"))
