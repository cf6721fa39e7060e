"""The doors this change opened, pushed as an attacker or a careless colleague would:
refused with a clear message, nothing lost, nothing public without an approver."""

import pytest
from django.urls import reverse

from cangxanh.editorial import facts
from cangxanh.editorial.models import PendingImage, WorkflowEvent

from ..images.conftest import change_data
from .conftest import admin_article_post, pictures_post

PICKER = reverse("editorial:picture-picker")


@pytest.mark.parametrize(
    "params",
    [
        {"lang": "xx"},
        {"month": "2026-13"},
        {"month": "0000-00"},
        {"page": "-1"},
        {"page": "abc"},
        {"q": "\x00<script>"},
        {"q": "x" * 5000},
        {"CKEditorFuncNum": "</script><script>alert(1)</script>"},
    ],
)
def test_the_picker_takes_bad_parameters_calmly(client, people, image, params):
    client.force_login(people["editor"])
    response = client.get(PICKER, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_picture_steps_refuse_what_is_not_theirs(client, people, public, image):
    url = reverse("editorial:picture", args=[image.pk])
    client.force_login(people["editor"])
    client.post(
        reverse("admin:images_image_change", args=[image.pk]),
        change_data(image, credit="Ảnh: mới"),
    )
    assert PendingImage.objects.filter(image=image).exists()
    assert client.get(url).status_code == 405  # a link cannot publish or discard
    assert client.post(url, {"action": "delete-everything"}).status_code == 404
    client.force_login(people["translator"])
    client.post(url, {"action": "discard"})
    assert PendingImage.objects.filter(image=image).exists()  # not theirs to discard
    client.logout()
    assert client.post(url, {"action": "publish"}).status_code == 302  # to the login page
    image.refresh_from_db()
    assert image.credit != "Ảnh: mới"
    assert not WorkflowEvent.objects.filter(image=image).exists()
    assert client.post(
        reverse("editorial:picture", args=[987654]), {"action": "x"}
    ).status_code in {
        302,
        404,
    }


def test_a_crafted_picture_id_is_refused_and_the_form_keeps_its_text(client, people, public):
    client.force_login(people["editor"])
    before = facts.live(public)
    data = admin_article_post(public, people["editor"], vi={"title": "Tít đã gõ, không mất"})
    data |= pictures_post(before["images"], add=["987654"])
    response = client.post(
        reverse("admin:news_article_change", args=[public.pk]), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "not in the library: 987654" in page
    assert "Tít đã gõ, không mất" in page
    assert facts.working(public) == before


def test_junk_in_the_pictures_field_is_ignored_not_stored(client, people, public):
    client.force_login(people["editor"])
    before = facts.live(public)
    data = admin_article_post(public, people["editor"])
    data |= {"pictures-id": [*map(str, before["images"]), "-3", "abc", ""], "pictures-main": "x"}
    response = client.post(reverse("admin:news_article_change", args=[public.pk]), data)
    assert response.status_code == 302
    assert facts.working(public) == before
