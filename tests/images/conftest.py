"""Admin form data for the media library's tests (the `staff` session is in tests/conftest.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cangxanh.images.models import Image

from ..conftest import management


def add_data(name: str, content: bytes, **fields) -> dict:
    """The image admin's add form, filled in as an editor would."""
    return {
        "file": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        "credit": "Ảnh: Sở Ngoại vụ",
        "focal_x": "50",
        "focal_y": "50",
        **management("texts", 2),
        "texts-0-language": "vi",
        "texts-0-alt": "Cần cẩu trên cầu cảng",
        "texts-0-caption": "Cảng Lạch Huyện",
        "texts-1-language": "en",
        "texts-1-alt": "Cranes on the quay",
        "texts-1-caption": "Lach Huyen port",
        **fields,
    }


def change_data(image: Image, **fields) -> dict:
    """The change form of an existing image as the admin shows it, with changes."""
    texts = list(image.texts.order_by("pk"))
    data = {
        "credit": image.credit,
        "focal_x": str(image.focal_x),
        "focal_y": str(image.focal_y),
        **management("texts", len(texts), len(texts)),
    }
    for index, row in enumerate(texts):
        data |= {
            f"texts-{index}-id": str(row.pk),
            f"texts-{index}-image": str(image.pk),
            f"texts-{index}-language": row.language,
            f"texts-{index}-alt": row.alt,
            f"texts-{index}-caption": row.caption,
        }
    return data | fields


@pytest.fixture
def upload(staff, django_capture_on_commit_callbacks):
    """Upload through the admin, run what waits for the commit (the renditions)."""

    def post(name: str, content: bytes, **fields) -> Image:
        with django_capture_on_commit_callbacks(execute=True):
            response = staff.post(
                reverse("admin:images_image_add"), add_data(name, content, **fields)
            )
        assert response.status_code == 302, response.content.decode()[:3000]
        return Image.objects.latest("pk")

    return post


@pytest.fixture
def change(staff, django_capture_on_commit_callbacks):
    def post(image: Image, lang: str = "en", **fields):
        with django_capture_on_commit_callbacks(execute=True):
            return staff.post(
                reverse("admin:images_image_change", args=[image.pk]),
                change_data(image, **fields),
                HTTP_ACCEPT_LANGUAGE=lang,
            )

    return post
