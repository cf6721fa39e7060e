"""The picture picker of the body's editor: the image library searched by words (alt
text, caption, credit, file name) or month, with an upload, in a window the editor's
picture dialog opens ("Browse…"). Choosing a picture fills the dialog's address, alt
text and caption in the chosen language; the writer checks them and inserts.

django-prose-editor's Figure extension opens `pickerUrl?CKEditorFuncNum=N` and takes
the answer through `window.opener.CKEDITOR.tools.callFunction(N, address, details)`
(static/cangxanh/picker.js).
"""

import contextlib
import logging
import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import TruncMonth
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cangxanh.core import languages
from cangxanh.core.converters import MAX_YEAR, MIN_YEAR
from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure, rendition, unreadable
from cangxanh.images.storage import out_of_space, out_of_space_message
from cangxanh.images.validation import ImageUploadField

from .roles import user_languages
from .views import _context

logger = logging.getLogger(__name__)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class UploadForm(forms.Form):
    file = ImageUploadField(label=gettext_lazy("file"))
    alt = forms.CharField(
        label=gettext_lazy("alt text"),
        max_length=300,
        help_text=gettext_lazy("What the picture shows, for people who cannot see it."),
    )
    caption = forms.CharField(label=gettext_lazy("caption"), max_length=500, required=False)
    credit = forms.CharField(label=gettext_lazy("credit"), max_length=200, required=False)


def _month(value: str) -> tuple[int, int] | None:
    """A `YYYY-MM` the picker can filter by; anything else (month 13, year 0) is no filter."""
    found = MONTH.match(value)
    if not found:
        return None
    year, month = int(found.group(1)), int(found.group(2))
    return (year, month) if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12 else None


def _language(request) -> str:
    wanted = request.GET.get("lang", "")
    if wanted in languages.codes():
        return wanted
    mine = [code for code in languages.codes() if code in user_languages(request.user)]
    return mine[0] if mine else request.LANGUAGE_CODE


def library_src(image: Image) -> str:
    """The address a body keeps for a library picture (pages show its renditions)."""
    return settings.MEDIA_URL + image.file.name


def _item(image: Image, lang: str) -> dict:
    text = image.text(lang)
    return {
        "image": image,
        "src": library_src(image),
        "card": rendition(image, "card"),
        "alt": text.alt if text else "",
        "caption": text.caption if text else "",
        "described": text is not None,
    }


@staff_member_required
def picker(request):
    if not request.user.has_perm("images.view_image"):
        raise PermissionDenied
    lang = _language(request)
    may_upload = request.user.has_perm("images.add_image")
    upload = UploadForm(request.POST or None, request.FILES or None)
    chosen = None
    status = 200
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        if upload.is_valid():
            try:
                chosen = _upload(request.user, upload.cleaned_data, lang)
            except OSError as error:
                if not out_of_space(error):
                    raise
                logger.error("Upload refused, the disk is full: %s", error)
                upload.add_error("file", out_of_space_message())
                status = 507
            else:
                messages.success(request, _("The picture is in the library."))
                upload = UploadForm()
        else:
            status = 400

    # No NUL: PostgreSQL refuses it in a text comparison (a 500, not "no match").
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    found = Image.objects.with_texts().order_by("-created_at", "-id")
    if query:
        found = found.filter(
            Q(texts__alt__icontains=query)
            | Q(texts__caption__icontains=query)
            | Q(credit__icontains=query)
            | Q(file__icontains=query)
        ).distinct()
    month = _month(request.GET.get("month", ""))
    if month:
        found = found.filter(created_at__year=month[0], created_at__month=month[1])
    page = Paginator(found, 24).get_page(request.GET.get("page"))
    months = (
        Image.objects.annotate(month=TruncMonth("created_at"))
        .values_list("month", flat=True)
        .distinct()
        .order_by("-month")
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "editorial/picker.html",
        _context(
            request,
            title=_("Choose a picture"),
            is_popup=True,
            items=[_item(image, lang) for image in page.object_list],
            page=page,
            query=query,
            month=request.GET.get("month", ""),
            months=[m.strftime("%Y-%m") for m in months if m is not None],
            lang=lang,
            language_choices=languages.choices(),
            func_num=request.GET.get("CKEditorFuncNum", ""),
            upload=upload if may_upload else None,
            chosen=_item(chosen, lang) if chosen else None,
            keep=keep.urlencode(),
        ),
        status=status,
    )


def _upload(user, data: dict, lang: str) -> Image:
    with transaction.atomic():
        image = Image(credit=data["credit"])
        image.file.save(data["file"].name, data["file"], save=False)
        image.save()
        ImageText.objects.create(
            image=image, language=lang, alt=data["alt"], caption=data["caption"]
        )
    with contextlib.suppress(*unreadable()):  # its page tries again, and logs
        image_renditions_ensure(image=image)
    return Image.objects.with_texts().get(pk=image.pk)
