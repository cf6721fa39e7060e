"""Download a translation job as XLIFF 2.0, and upload it back (`xliff.py` does the work)."""

from django import forms
from django.contrib import messages
from django.contrib.admin import site as admin_site
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cangxanh.core import languages

from . import xliff
from .desk import access_job
from .roles import can_edit


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLIFF file"),
        help_text=gettext_lazy("The job file the agency sent back (.xlf or .xliff, XLIFF 2.0)."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > xliff.MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.")
                % {"size": filesizeformat(xliff.MAX_BYTES)}
            )
        return upload


@staff_member_required
@require_GET
def export_job(request, article_id: int, language: str):
    article, _original, _translation, _probe = access_job(request.user, article_id, language)
    data = xliff.job_export(article=article, language=language)
    response = HttpResponse(data, content_type="application/xliff+xml; charset=utf-8")
    name = f"article-{article.pk}-{article.original_language}-{language}.xlf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
@require_http_methods(["GET", "POST"])
def import_job(request, article_id: int, language: str):
    article, original, translation, probe = access_job(request.user, article_id, language)
    if not can_edit(request.user, probe):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    problems: list[str] = []
    status = 200
    if posted:
        if form.is_valid():
            try:
                result = xliff.job_import(
                    article=article,
                    language=language,
                    data=form.cleaned_data["file"].read(),
                    user=request.user,
                )
            except xliff.XliffError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("The job is imported. Texts taken: %(units)s; image texts saved: %(images)s.")
                    % {"units": result.units, "images": result.images},
                )
                if result.new_version:
                    messages.info(
                        request,
                        _(
                            "The translation is published: the imported text is a new version "
                            "waiting for approval, and readers see the current text until then."
                        ),
                    )
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(
                    reverse(
                        "editorial:desk", kwargs={"article_id": article.pk, "language": language}
                    )
                )
        status = 400
    return render(
        request,
        "editorial/xliff_import.html",
        admin_site.each_context(request)
        | {
            "title": _("Import a translation job"),
            "article": article,
            "original": original,
            "translation": translation,
            "language": languages.get(language),
            "source_language": languages.get(article.original_language),
            "form": form,
            "problems": problems,
            "export_url": reverse(
                "editorial:xliff-export", kwargs={"article_id": article.pk, "language": language}
            ),
            "desk_url": reverse(
                "editorial:desk", kwargs={"article_id": article.pk, "language": language}
            ),
        },
        status=status,
    )
