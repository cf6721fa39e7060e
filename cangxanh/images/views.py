"""The one way to an uploaded original: a download for staff who may see the library.

Originals keep what the camera wrote (a GPS position, often) and live in the
private originals storage (images.storage). Readers get renditions only.
"""

from pathlib import PurePath

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import validation
from .access import VIEW_PERMISSION
from .models import Image


def _content_type(fh) -> str:
    # From the file's first bytes, as at upload: never from its name.
    try:
        header = validation.read_header(fh)
    except ValidationError:
        return "application/octet-stream"
    return validation.ACCEPTED[header.format][1]


@require_safe
def original(request, image_id: int):
    """`/editorial/images/<id>/original/`: the file as uploaded, as an attachment.

    Anonymous visitors are sent to the login page; a signed-in user who is not
    staff or lacks `images.view_image` gets 403.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not (user.is_active and user.is_staff and user.has_perm(VIEW_PERMISSION)):
        raise PermissionDenied
    image = get_object_or_404(Image, pk=image_id)
    storage = image.file.storage
    try:
        fh = storage.open(image.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(
        fh,
        as_attachment=True,
        filename=PurePath(image.file.name).name,
        content_type=_content_type(fh),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
