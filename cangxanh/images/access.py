"""Who may load which library file: the rule behind the media view.

Readers get renditions, and only of pictures something public uses: the
images of an article with a translation visible now
(`ArticleTranslation.objects.published()`), or pictures that the body of such
a translation shows (`BodyImage`). Staff with `images.view_image` get the
renditions of any picture (previews, the admin). Originals go to nobody here
(staff download them through images.views.original).

`public_names` is the set of public originals' names, read in one query and
kept for as long as the content version stands (core.site.per_version):
publishing, unpublishing, a schedule reached and every change to an image or
article move the version, so the set is read again then, and each file
request in between costs a set lookup.
"""

import re

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from cangxanh.core.site import per_version

# The longest name a media request may ask for: an original's name (at most
# 100 characters, Image.file's max_length), the renditions folder and options.
MAX_NAME = 400
# What a stored name is made of: Django's get_valid_name keeps word characters,
# dots and hyphens; easy-thumbnails adds commas and underscores. No file system
# takes a longer file name than 255.
_SEGMENT = re.compile(r"[\w.,-]{1,255}")

VIEW_PERMISSION = "images.view_image"


def clean_media_name(path: str) -> str | None:
    """A requested media path as a storage name, or None when it cannot name a file:
    too long (the whole, or one segment), empty segments, `.` or `..`, characters no
    stored name has (a null byte, a backslash, `%` left by broken percent-encoding)."""
    if not path or len(path) > MAX_NAME:
        return None
    segments = path.split("/")
    for segment in segments:
        if segment in ("", ".", "..") or not _SEGMENT.fullmatch(segment):
            return None
    return path


def used_by(translations) -> Q:
    """The pictures these translations show: their articles' pictures and those in their
    bodies (a filter on Image). The media view asks it of what is public now; the
    newsroom of what is published, a schedule included."""
    from cangxanh.news.models import ArticleImage

    from .models import BodyImage

    return Q(
        pk__in=ArticleImage.objects.filter(article_id__in=translations.values("article_id")).values(
            "image_id"
        )
    ) | Q(
        pk__in=BodyImage.objects.filter(translation__in=translations.values("pk")).values(
            "image_id"
        )
    )


# Pictures readers see outside articles (a partner locality's picture, say): apps add
# a function that returns the ids of the pictures their public records show.
OTHER_PUBLIC_USES: list = []


def other_public_uses() -> set[int]:
    found: set[int] = set()
    for ids in OTHER_PUBLIC_USES:
        found.update(ids())
    return found


def _load_public_names() -> frozenset[str]:
    from cangxanh.news.models import ArticleTranslation

    from .models import Image

    public = ArticleTranslation.objects.published(timezone.now())
    shown = Q(used_by(public)) | Q(pk__in=other_public_uses())
    return frozenset(Image.objects.filter(shown).values_list("file", flat=True))


def public_names() -> frozenset[str]:
    """Names of the originals whose renditions readers may load (one query per
    content version and process; fresh inside a transaction)."""
    return per_version(("images", "public-names"), _load_public_names)


def is_staff_viewer(request) -> bool:
    """A signed-in user who may see any library picture. Asks nothing of the session
    store without a session cookie, so an anonymous answer keeps no `Vary: Cookie`."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = request.user
    return user.is_authenticated and user.has_perm(VIEW_PERMISSION)
