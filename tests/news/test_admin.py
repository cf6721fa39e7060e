"""The back office of this stage: Django's admin, used as staff use it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cangxanh.images.models import Image
from cangxanh.news.models import Article, ArticleTranslation, Status

from ..conftest import jpeg_bytes, management

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept", "lang", "word"),
    [("vi", "vi", "Bài viết"), ("en", "en", "Articles")],
)
def test_admin_speaks_vietnamese_and_english(staff, section, accept, lang, word):
    response = staff.get("/admin/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}"' in html
    assert word in html


def test_staff_create_an_article_with_translations_and_publish_it(staff, section, person):
    data = {
        "section": section.pk,
        "original_language": "vi",
        "author": person.pk,
        "source": "",
        "source_url": "",
        **management("translations", 2),
        "translations-0-language": "vi",
        "translations-0-title": "Đoàn công tác Hải Phòng thăm Busan",
        "translations-0-slug": "",
        "translations-0-lead": "Tóm tắt.",
        "translations-0-body": "<p>Nội dung.</p><script>alert(1)</script>",
        "translations-0-status": Status.DRAFT,
        "translations-1-language": "en",
        "translations-1-title": "Hai Phong delegation visits Busan",
        "translations-1-slug": "",
        "translations-1-lead": "Summary.",
        "translations-1-body": "<p>Text.</p>",
        "translations-1-status": Status.DRAFT,
    }
    response = staff.post(reverse("admin:news_article_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    vi = article.translations.get(language="vi")
    assert vi.slug == "doan-cong-tac-hai-phong-tham-busan"
    assert "<script>" not in vi.body and "Nội dung." in vi.body

    # A draft is not public, but staff can preview it.
    assert staff.get(vi.get_absolute_url()).status_code == 404
    preview = staff.get(reverse("news-preview", kwargs={"translation_id": vi.pk}))
    assert preview.status_code == 200
    assert "Đoàn công tác Hải Phòng thăm Busan" in preview.content.decode()

    response = staff.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_now", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    assert set(article.translations.values_list("status", flat=True)) == {Status.PUBLISHED}
    staff.logout()
    assert staff.get(vi.get_absolute_url()).status_code == 200


def test_a_second_translation_in_the_same_language_is_refused_with_a_message(
    staff, section, person
):
    data = {
        "section": section.pk,
        "original_language": "vi",
        **management("translations", 2),
    }
    for index in (0, 1):
        data |= {
            f"translations-{index}-language": "vi",
            f"translations-{index}-title": f"Tiêu đề {index}",
            f"translations-{index}-body": "<p>x</p>",
            f"translations-{index}-status": Status.DRAFT,
        }
    response = staff.post(reverse("admin:news_article_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not Article.objects.exists()
    assert not ArticleTranslation.objects.exists()


def test_staff_upload_an_image_with_alt_text_per_language(staff):
    upload = SimpleUploadedFile("cang.jpg", jpeg_bytes(800, 450), content_type="image/jpeg")
    data = {
        "file": upload,
        "credit": "Ảnh: Sở Ngoại vụ",
        **management("texts", 2),
        "texts-0-language": "vi",
        "texts-0-alt": "Cần cẩu trên cầu cảng",
        "texts-0-caption": "Cảng Lạch Huyện",
        "texts-1-language": "en",
        "texts-1-alt": "Cranes on the quay",
        "texts-1-caption": "Lach Huyen port",
    }
    response = staff.post(reverse("admin:images_image_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert (image.width, image.height) == (800, 450)
    assert image.text("en").alt == "Cranes on the quay"

    changelist = staff.get(reverse("admin:images_image_changelist")).content.decode()
    assert re.search(r'<img src="[^"]+" width="160" height="90"', changelist)


def test_an_upload_that_is_not_an_image_is_refused(staff):
    upload = SimpleUploadedFile("cang.jpg", b"not an image at all", content_type="image/jpeg")
    data = {"file": upload, "credit": "", **management("texts", 0)}
    response = staff.post(reverse("admin:images_image_add"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Upload a valid image" in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_admin_page_opens(staff, make_article, image, source, lang, django_user_model):
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = django_user_model.objects.get(username="chief")
    make_article(["vi", "en"], images=[image], source=source)
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        pages = [("changelist", [])]
        if model_admin.has_add_permission(request):
            pages.append(("add", []))
        pages += [("change", [obj.pk]) for obj in model.objects.all()[:1]]
        for name, args in pages:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}", args=args)
            response = staff.get(url, HTTP_ACCEPT_LANGUAGE=lang)
            assert response.status_code == 200, url


@pytest.mark.parametrize(
    ("accept", "message"),
    [
        ("vi", "Vui lòng sửa các lỗi dưới đây."),
        ("ko", "아래 오류를 고쳐 주십시오."),
        ("ja", "以下のエラーを修正してください。"),
    ],
)
def test_a_refused_admin_form_says_so_in_the_users_language(staff, section, accept, message):
    data = {
        "section": "",
        "original_language": "vi",
        **management("translations", 1),
        "translations-0-language": "vi",
        "translations-0-title": "Tít được giữ lại",
        "translations-0-body": "<p>Nội dung.</p>",
    }
    response = staff.post(reverse("admin:news_article_add"), data, HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Tít được giữ lại" in html  # what was typed is kept
    assert not Article.objects.exists()
