"""Export and import of translation jobs as XLIFF 2 (not built yet)."""

from django.http import Http404


def export_job(request, article_id: int, language: str):
    raise Http404


def import_job(request, article_id: int, language: str):
    raise Http404
