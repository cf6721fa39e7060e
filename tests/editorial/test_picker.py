"""The body editor's picture picker: the library searched, a picture uploaded, and a
body picture that says what it shows."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cangxanh.editorial.editor import BodyField
from cangxanh.images.models import Image, ImageText

from ..images.pictures import jpeg

PICKER = reverse("editorial:picture-picker")


def test_the_picker_searches_the_library_in_the_chosen_language(client, people, image, make_image):
    other = make_image("cho-dem.jpg", alts=["vi"])
    client.force_login(people["editor"])
    page = client.get(PICKER, {"CKEditorFuncNum": "3"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cần cẩu ở cảng" in text and "cho-dem.jpg vi" in text  # the editor's language
    assert f'data-src="/media/{image.file.name}"' in text
    assert 'data-func="3"' in text
    found = client.get(PICKER, {"q": "bình minh"}).content.decode()  # a caption's words
    assert f'data-id="{image.pk}"' in found and f'data-id="{other.pk}"' not in found
    english = client.get(PICKER, {"lang": "en"}).content.decode()
    assert "Cranes at the port" in english
    month = image.created_at.strftime("%Y-%m")
    assert f'data-id="{image.pk}"' in client.get(PICKER, {"month": month}).content.decode()
    assert f'data-id="{image.pk}"' not in client.get(PICKER, {"month": "1999-01"}).content.decode()


def test_an_editor_uploads_from_the_picker(client, people):
    client.force_login(people["editor"])
    response = client.post(
        PICKER + "?CKEditorFuncNum=1&lang=vi",
        {
            "file": SimpleUploadedFile("ben-tau.jpg", jpeg(1200, 800), content_type="image/jpeg"),
            "alt": "Bến tàu khách Bính",
            "caption": "Bến tàu lúc sáng sớm",
            "credit": "Ảnh: Sở Ngoại vụ",
        },
    )
    assert response.status_code == 200
    image = Image.objects.get()
    text = ImageText.objects.get(image=image)
    assert (text.language, text.alt, text.caption) == (
        "vi",
        "Bến tàu khách Bính",
        "Bến tàu lúc sáng sớm",
    )
    assert "data-chosen" in response.content.decode()


def test_a_bad_upload_keeps_what_was_typed(client, people):
    client.force_login(people["editor"])
    response = client.post(
        PICKER,
        {
            "file": SimpleUploadedFile("notes.jpg", b"not a picture", content_type="image/jpeg"),
            "alt": "Bến tàu",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'value="Bến tàu"' in response.content.decode()
    assert not Image.objects.exists()


def test_translators_may_look_but_not_upload(client, people):
    client.force_login(people["translator"])
    assert client.get(PICKER).status_code == 200
    response = client.post(
        PICKER, {"file": SimpleUploadedFile("x.jpg", jpeg(), content_type="image/jpeg")}
    )
    assert response.status_code == 403
    client.logout()
    assert client.get(PICKER).status_code == 302  # to the login page


@pytest.mark.parametrize("alt", ['alt=""', ""])
def test_a_body_picture_must_say_what_it_shows(db, alt):
    body = f'<figure class="figure"><img src="/media/images/2026/12/a.jpg" {alt}></figure>'
    with pytest.raises(ValidationError) as refused:
        BodyField().clean(body)
    assert [error.code for error in refused.value.error_list] == ["alt"]
    BodyField().clean(
        '<figure class="figure"><img src="/media/images/2026/12/a.jpg" alt="Cầu"></figure>'
    )


def test_the_editor_opens_the_picker_from_its_picture_dialog(client, people, make_article):
    article = make_article(["vi"])
    client.force_login(people["editor"])
    page = client.get(reverse("admin:news_article_change", args=[article.pk])).content.decode()
    assert "pickerUrl" in page and PICKER in page
