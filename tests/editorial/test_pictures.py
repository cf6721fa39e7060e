"""A picture readers see keeps its file, credit, focal point and texts until an
approver publishes its new version; any other picture changes at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cangxanh.editorial.models import Action, PendingImage, WorkflowEvent
from cangxanh.images.models import Image, ImageText

from ..conftest import LANGS
from ..images.conftest import change_data
from ..images.pictures import jpeg
from .conftest import public_bytes


def post_change(client, image, user, django_capture_on_commit_callbacks, **fields):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("admin:images_image_change", args=[image.pk]),
            change_data(image, **fields),
            HTTP_ACCEPT_LANGUAGE="en",
        )


def text_field(image, lang, name):
    rows = list(image.texts.order_by("pk"))
    index = next(i for i, row in enumerate(rows) if row.language == lang)
    return f"texts-{index}-{name}"


CHANGES = {
    "credit": lambda image: {"credit": "Ảnh: Trung tâm Báo chí"},
    "focal point": lambda image: {"focal_x": "20", "focal_y": "80"},
    "alt text": lambda image: {text_field(image, "en", "alt"): "Cranes over a green harbour"},
    "caption": lambda image: {text_field(image, "vi", "caption"): "Cảng xanh lúc hoàng hôn"},
    "file": lambda image: {"file": SimpleUploadedFile("harbour-2.jpg", jpeg(1400, 800))},
}


@pytest.mark.parametrize("kind", list(CHANGES))
@pytest.mark.parametrize("role", ["editor", "approver"])
def test_a_public_pictures_change_waits_for_an_approver(
    client, people, public, image, role, kind, django_capture_on_commit_callbacks
):
    before = public_bytes(client, public)
    live = (image.file.name, image.credit, image.focal_x, image.focal_y)
    response = post_change(
        client, image, people[role], django_capture_on_commit_callbacks, **CHANGES[kind](image)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert (image.file.name, image.credit, image.focal_x, image.focal_y) == live
    assert PendingImage.objects.filter(image=image).exists()
    assert public_bytes(client, public) == before  # every language, byte for byte

    # The approver finds it in the queue and on the picture's page, and publishes it.
    client.force_login(people["approver"])
    queue = client.get(reverse("editorial:queue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("admin:images_image_change", args=[image.pk]) in queue
    page = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    assert reverse("editorial:picture", args=[image.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("editorial:picture", args=[image.pk]), {"action": "publish"})
    assert response.status_code == 302
    assert not PendingImage.objects.filter(image=image).exists()
    assert WorkflowEvent.objects.filter(image=image, action=Action.PUBLISH).exists()
    assert public_bytes(client, public) != before


def test_an_editor_cannot_publish_a_pictures_new_version(
    client, people, public, image, django_capture_on_commit_callbacks
):
    post_change(client, image, people["editor"], django_capture_on_commit_callbacks, credit="X")
    client.post(reverse("editorial:picture", args=[image.pk]), {"action": "publish"})
    image.refresh_from_db()
    assert image.credit != "X"
    assert PendingImage.objects.filter(image=image).exists()
    # The editor may take it back.
    client.post(reverse("editorial:picture", args=[image.pk]), {"action": "discard"})
    assert not PendingImage.objects.filter(image=image).exists()
    assert WorkflowEvent.objects.filter(image=image, action=Action.DISCARD).exists()


def test_a_picture_nobody_sees_changes_at_once(
    client, people, make_image, django_capture_on_commit_callbacks
):
    loose = make_image("loose.jpg", alts=["vi", "en"])
    response = post_change(
        client, loose, people["editor"], django_capture_on_commit_callbacks, credit="Ảnh: Sở"
    )
    assert response.status_code == 302
    loose.refresh_from_db()
    assert loose.credit == "Ảnh: Sở"
    assert not PendingImage.objects.exists()


def test_the_form_shows_the_waiting_version_and_saving_it_again_keeps_it(
    client, people, public, image, django_capture_on_commit_callbacks
):
    field = text_field(image, "en", "alt")
    post_change(
        client,
        image,
        people["editor"],
        django_capture_on_commit_callbacks,
        credit="Ảnh: Mới",
        **{field: "New English alt"},
    )
    page = client.get(reverse("admin:images_image_change", args=[image.pk])).content.decode()
    assert 'value="Ảnh: Mới"' in page and 'value="New English alt"' in page
    # Saving the form as shown changes nothing of what waits.
    waiting = PendingImage.objects.get(image=image)
    data = change_data(image, credit="Ảnh: Mới", **{field: "New English alt"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:images_image_change", args=[image.pk]), data)
    again = PendingImage.objects.get(image=image)
    assert (again.credit, again.texts) == (waiting.credit, waiting.texts)
    assert ImageText.objects.get(image=image, language="en").alt != "New English alt"


def test_translators_do_not_change_pictures_in_the_library(
    client, people, public, image, django_capture_on_commit_callbacks
):
    response = post_change(
        client, image, people["translator"], django_capture_on_commit_callbacks, credit="Z"
    )
    assert response.status_code == 403
    image.refresh_from_db()
    assert image.credit != "Z"
    assert not PendingImage.objects.exists()
    assert Image.objects.filter(pk=image.pk, credit="Z").count() == 0
    assert set(LANGS)  # the public fixture holds all five languages
