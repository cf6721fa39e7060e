"""What readers receive of an uploaded picture: renditions only, without metadata,
and only once something public uses the picture.

A phone's JPEG carries a GPS position in its EXIF, an XMP packet, a comment and
a colour profile that is not sRGB. Uploaded through the admin and shown in an
article (main picture and inside the body), none of it may reach an anonymous
reader, in any language, through any address a page names; its original stays
private (staff download it); before publication and after unpublishing, its
renditions answer 404 to readers.

These tests run outside a test transaction, like production: what the media
view knows about public pictures is kept per content version, and every step
here must move that version.
"""

import io
import logging
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage

from cangxanh.editorial.workflow import perform
from cangxanh.images.models import BodyImage, Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure
from cangxanh.images.storage import media_sweep, originals, originals_move
from cangxanh.news.models import Article, ArticleImage, ArticleTranslation, Status

from ..conftest import LANGS, TITLES, management
from . import pictures

pytestmark = pytest.mark.django_db(transaction=True)

EXIF_MARK = b"Exif\x00\x00"
ALTS = {
    "vi": "Bến cảng lúc bình minh",
    "en": "The harbour at dawn",
    "ko": "새벽의 항구",
    "ja": "夜明けの港",
    "zh-hans": "黎明时的港口",
}
# What must not appear in anything a reader receives (besides the GPS IFD itself).
SECRETS = (
    EXIF_MARK,
    pictures.XMP_NAMESPACE,
    pictures.COMMENT,
    pictures.PROFILE_DESCRIPTION.encode(),
    b"CangXanh Test Camera",
)


def five_languages(name: str) -> dict:
    """The admin's add form with alt text in every language (publishing needs it)."""
    fields = {**management("texts", len(LANGS))}
    for index, lang in enumerate(LANGS):
        fields[f"texts-{index}-language"] = lang
        fields[f"texts-{index}-alt"] = f"{ALTS[lang]} ({name})"
        fields[f"texts-{index}-caption"] = f"Caption {lang}"
    return fields


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def chief(staff, django_user_model):
    return django_user_model.objects.get(username="chief")


def rendition_urls(image: Image) -> set[str]:
    image.refresh_from_db()
    return {
        default_storage.url(entry[kind])
        for entries in image.renditions["purposes"].values()
        for entry in entries
        for kind in ("webp", "fallback")
    }


def media_urls(page: str) -> set[str]:
    """Every media address a page names: src, srcset, og:image, JSON-LD and the rest."""
    found = re.findall(r"(?:https?://[^/\s\"']+)?/media/[^\s\"'<>,)\\]+", page)
    return {re.sub(r"^https?://[^/]+", "", url) for url in found}


def content(response) -> bytes:
    """The whole body, the file of a streamed answer closed."""
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def status(client, url: str) -> int:
    response = client.get(url)
    content(response)
    return response.status_code


def assert_clean_picture(data: bytes) -> PILImage.Image:
    for secret in SECRETS:
        assert secret not in data, secret
    picture = PILImage.open(io.BytesIO(data))
    picture.load()
    exif = picture.getexif()
    assert len(exif) == 0 and not exif.get_ifd(0x8825)  # no EXIF, no GPS IFD
    assert "icc_profile" not in picture.info and "xmp" not in picture.info
    assert "comment" not in picture.info and "exif" not in picture.info
    return picture


@pytest.fixture
def story(upload, section, person, site_identity):
    """A draft article in five languages: a phone photo as its main picture and again
    inside a paragraph of its body (empty alt), another only in a body figure, both
    named by their library addresses."""
    main = upload("phone.jpg", pictures.tagged_jpeg(), **five_languages("main"))
    inline = upload(
        "inline.jpg", pictures.tagged_jpeg(color=(20, 20, 200)), **five_languages("inline")
    )
    article = Article.objects.create(section=section, author=person)
    ArticleImage.objects.create(article=article, image=main, position=0)
    for lang in LANGS:
        ArticleTranslation.objects.create(
            article=article,
            language=lang,
            title=TITLES[lang],
            lead=f"Lead {lang}",
            body=(
                "<p>Đoạn một.</p>"
                f'<figure class="figure"><img src="{inline.file.url}" alt="Body alt {lang}">'
                "<figcaption>Trong bài</figcaption></figure>"
                f'<p>Đoạn hai <img src="{main.file.url}" alt=""> giữa câu.</p><p>Đoạn ba.</p>'
            ),
            status=Status.DRAFT,
        )
    return article, main, inline


def act(article, action: str, user, **kwargs) -> None:
    """One workflow step for every language, the original first."""
    rows = sorted(article.translations.all(), key=lambda t: t.language != "vi")
    for row in rows:
        perform(row, action, user, **kwargs)


def assert_answers(client, urls, expected: int, cache_control: str | None = None) -> None:
    for url in sorted(urls):
        response = client.get(url)
        content(response)
        assert response.status_code == expected, url
        if cache_control:
            assert response["Cache-Control"] == cache_control, url


def test_a_phones_photo_reaches_readers_only_as_clean_renditions_and_only_while_public(
    story, staff, chief, anonymous, settings
):
    article, main, inline = story
    urls = rendition_urls(main) | rendition_urls(inline)
    assert len(urls) == 40 and all(url.startswith("/media/renditions/images/") for url in urls)
    # The original's library address (what bodies name) and its storage.
    assert main.file.url.startswith("/media/images/")
    assert Path(originals().path(main.file.name)).is_file()
    assert not default_storage.exists(main.file.name)
    assert set(BodyImage.objects.values_list("image_id", flat=True)) == {main.pk, inline.pk}

    # A draft: nothing for readers, everything for staff (previews, the admin).
    assert_answers(anonymous, urls, 404, "private, no-store")
    assert_answers(staff, urls, 200, "private, no-store")

    # Scheduled for tomorrow: still nothing for readers.
    act(article, "publish", chief, publish_at=timezone.now() + timedelta(days=1))
    assert all(t.is_scheduled for t in ArticleTranslation.objects.all())
    assert_answers(anonymous, urls, 404, "private, no-store")
    assert_answers(staff, urls, 200)

    # Published now: public renditions, cacheable by anyone.
    # (Published again after unpublishing, a translation keeps its time unless given one.)
    act(article, "unpublish", chief)
    act(article, "publish", chief, publish_at=timezone.now())
    assert_answers(anonymous, urls, 200, "public, max-age=31536000, immutable")
    response = anonymous.get(sorted(urls)[0])
    content(response)
    assert "Cookie" not in response.get("Vary", "")  # one copy for every reader

    fetched = set()
    for lang in LANGS:
        row = article.translations.get(language=lang)
        for address in (row.get_absolute_url(), row.get_absolute_url() + "?print=1"):
            response = anonymous.get(address)
            assert response.status_code == 200, address
            page = response.content.decode()
            for secret in SECRETS:
                assert secret.decode("latin-1") not in page
            assert "/media/images/" not in page  # the body's library addresses were replaced
            names = media_urls(page)
            assert names and all(url.startswith("/media/renditions/images/") for url in names)
            # The body's two pictures and the main one, each a <picture> with a WebP source.
            assert page.count('<source type="image/webp"') == 3
            assert f'alt="Body alt {lang}"' in page
            # The main figure's alt, and the body's empty alt filled from the library.
            assert page.count(f'alt="{ALTS[lang]} (main)"') == 2
            fetched |= names
    assert fetched <= urls and len(fetched) > 10
    for url in sorted(fetched | urls):
        response = anonymous.get(url)
        assert response.status_code == 200, url
        picture = assert_clean_picture(content(response))
        assert picture.format in ("WEBP", "JPEG")

    # The original: 404 at its old address for everyone; whole, for staff, as a download.
    for address in (main.file.url, "/media/" + main.file.name):
        assert status(anonymous, address) == 404
    original = staff.get(reverse("image-original", args=[main.pk]))
    assert original.status_code == 200
    assert content(original) == pictures.tagged_jpeg()
    assert original["Content-Type"] == "image/jpeg"
    assert original["Content-Disposition"].startswith("attachment;")
    assert 'filename="phone.jpg"' in original["Content-Disposition"]
    assert original["X-Content-Type-Options"] == "nosniff"
    assert original["Cache-Control"] == "private, no-store"

    # Unpublished: nothing for readers again (and no cached answer said otherwise).
    act(article, "unpublish", chief)
    assert_answers(anonymous, urls, 404, "private, no-store")
    assert_answers(staff, urls, 200)


def test_the_original_download_is_for_staff_who_may_see_images(
    upload, anonymous, django_user_model
):
    image = upload("phone.jpg", pictures.tagged_jpeg())
    url = reverse("image-original", args=[image.pk])

    response = anonymous.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert pictures.COMMENT not in response.content and EXIF_MARK not in response.content

    desk = django_user_model.objects.create_user("desk", password="pw-123456", is_staff=True)
    anonymous.force_login(desk)
    response = anonymous.get(url)
    assert response.status_code == 403 and EXIF_MARK not in content(response)
    # Nor does such a user see an unused picture's renditions.
    assert status(anonymous, sorted(rendition_urls(image))[0]) == 404

    desk.user_permissions.add(Permission.objects.get(codename="view_image"))
    anonymous.force_login(django_user_model.objects.get(pk=desk.pk))
    response = anonymous.get(url)
    assert response.status_code == 200 and content(response) == pictures.tagged_jpeg()
    assert status(anonymous, sorted(rendition_urls(image))[0]) == 200
    assert status(anonymous, reverse("image-original", args=[999_999])) == 404


def test_the_admin_links_the_original_beside_the_size(upload, staff):
    image = upload("phone.jpg", pictures.tagged_jpeg())
    page = staff.get(
        reverse("admin:images_image_change", args=[image.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    link = reverse("image-original", args=[image.pk])
    assert f'<a href="{link}" download>Download the original</a>' in page
    assert "1600 × 900" in page
    # The file field's own link is the library address: for staff, it shows a rendition.
    response = staff.get(image.file.url)
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    assert response["Location"].startswith("/media/renditions/images/")
    assert status(staff, response["Location"]) == 200


BAD_PATHS = [
    "/media/renditions/",
    "/media/" + "a" * 5000,
    "/media/renditions/images/" + "x" * 5000 + ".jpg.720x0_q80.webp",
    "/media/renditions/images/" + "x" * 300 + ".jpg.720x0_q80.webp",
    # Short enough in characters, too long in bytes for a file system's name.
    "/media/renditions/images/" + "%E1%BA%A5" * 120 + ".jpg.720x0_q80.webp",
    "/media/renditions/../originals/images/2026/01/a.jpg",
    "/media/renditions/images/..%2F..%2F..%2Fsettings.py",
    "/media/renditions//images/a.jpg.720x0_q80.webp",
    "/media/renditions/images/a.jpg.720x0_q80.webp%00",
    "/media/renditions/images/%00.jpg.720x0_q80.webp",
    "/media/renditions/images/%ff%fe.jpg.720x0_q80.webp",
    "/media/renditions/images/%E1%BA.jpg.720x0_q80.webp",
    "/media/renditions/images\\..\\..\\x.jpg.720x0_q80.webp",
    "/media/renditions/images/nothing.jpg.720x0_q80.webp",
    "/media/renditions/images/nothing.jpg",
    "/media/images/2026/01/phone.jpg",
    "/media/%2e%2e/%2e%2e/etc/passwd",
    "/media/renditions/images/a.jpg.720x0_q80.webp?x=%ff",
    "/media/renditions/images/a b.jpg.720x0_q80.webp",
    "/media/renditions/images/a.jpg.720x0_q80.webp\n",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_anything_else_under_media_is_404_never_500(staff, anonymous, path):
    for client in (anonymous, staff):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        if "\n" not in path:  # a newline never reaches the media view
            assert response["Cache-Control"] == "private, no-store"


def test_a_name_too_long_for_the_file_system_is_404_for_staff_too(upload, staff):
    image = upload("phone.jpg", pictures.tagged_jpeg())
    folder = image.renditions["purposes"]["card"][0]["webp"].rsplit("/", 1)[0]
    response = staff.get(f"/media/{folder}/" + "ấ" * 120 + ".jpg.720x0_q80.webp")
    assert response.status_code == 404


def test_renditions_keep_the_orientation_and_the_colours(upload):
    # Red in a profile whose red is sRGB's blue: it must look blue, as its maker saw it.
    image = upload("upright.jpg", pictures.tagged_jpeg(1200, 675, orientation=6))
    full = image.renditions["purposes"]["full"]
    assert [(e["width"], e["height"]) for e in full] == [(675, 1200)]
    for kind in ("webp", "fallback"):
        with default_storage.open(full[0][kind], "rb") as fh:
            picture = assert_clean_picture(fh.read()).convert("RGB")
        assert picture.size == (675, 1200)
        red, _green, blue = picture.getpixel((picture.width // 2, picture.height // 2))
        assert blue > 150 and red < 60, (kind, picture.getpixel((337, 600)))
        # The green mark of the top left corner is now at the top right (turned upright).
        r, g, b = picture.getpixel((picture.width - 10, 10))
        assert g > 150 and r < 80 and b < 80


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # Without a profile, pixels as they are (the colours of sRGB's blue).
        ("no-profile.jpg", pictures.tagged_jpeg(color=(20, 20, 200), profile=False)),
        ("tagged.png", pictures.tagged_png()),
        ("tagged-alpha.png", pictures.tagged_png(transparent=True)),
        ("tagged.webp", pictures.tagged_webp()),
    ],
)
def test_every_kind_of_upload_loses_its_metadata(upload, name, content):
    image = upload(name, content)
    for entries in image.renditions["purposes"].values():
        for entry in entries:
            for kind in ("webp", "fallback"):
                with default_storage.open(entry[kind], "rb") as fh:
                    picture = assert_clean_picture(fh.read()).convert("RGBA")
                red, _green, blue, _alpha = picture.getpixel(
                    (picture.width // 2, picture.height // 2)
                )
                assert blue > 150 and red < 60


def test_a_broken_colour_profile_is_dropped_not_fatal(upload, caplog):
    broken = pictures.encode(
        pictures.plain(1600, 900, (200, 20, 20)), "JPEG", icc_profile=b"x" * 200
    )
    with caplog.at_level(logging.WARNING, logger="cangxanh.images.renditions"):
        image = upload("broken-profile.jpg", broken)
    entry = image.renditions["purposes"]["card"][0]
    with default_storage.open(entry["fallback"], "rb") as fh:
        picture = assert_clean_picture(fh.read()).convert("RGB")
    assert picture.getpixel((10, 10))[0] > 150  # the pixels as they were: red
    assert any("colour profile" in r.getMessage() for r in caplog.records)


# --- Pictures inside bodies -----------------------------------------------------


def body_article(make_article, body: str, lang: str = "vi", **kwargs):
    article = make_article([lang], **kwargs)
    row = article.translations.get(language=lang)
    row.body = body
    row.save()
    return row


def library_picture(name: str = "trong-bai.jpg") -> Image:
    image = Image(credit="Sở Ngoại vụ")
    image.file.save(name, ContentFile(pictures.jpeg()), save=False)
    image.save()
    ImageText.objects.create(image=image, language="vi", alt="Ảnh trong bài", caption="")
    return image


def test_a_body_picture_is_public_only_through_a_public_text(
    make_article, site_identity, anonymous
):
    image = library_picture()
    draft = body_article(
        make_article, f'<p>Một</p><img src="{image.file.url}" alt="x">', status=Status.DRAFT
    )
    assert list(BodyImage.objects.values_list("translation_id", "image_id")) == [
        (draft.pk, image.pk)
    ]
    assert status(anonymous, draft.get_absolute_url()) == 404
    image_renditions_ensure(image=image)
    url = sorted(rendition_urls(image))[0]
    assert status(anonymous, url) == 404

    draft.status, draft.published_at = Status.PUBLISHED, timezone.now() - timedelta(minutes=1)
    draft.save()
    assert status(anonymous, url) == 200

    # The writer takes the picture out of the text: it is no longer public.
    draft.body = "<p>Một</p>"
    draft.save()
    assert not BodyImage.objects.exists()
    assert status(anonymous, url) == 404


def test_body_pictures_are_written_as_renditions_and_strangers_are_left_out(
    make_article, site_identity, anonymous, settings, caplog
):
    settings.SITE_URL = "https://portal.example"
    image = library_picture()
    other = library_picture("khac.jpg")
    row = body_article(
        make_article,
        f'<p>Một</p><figure class="figure"><img src="https://portal.example{image.file.url}" '
        'alt="Lễ ký kết" width="50"><figcaption>Chú thích</figcaption></figure>'
        f'<p>Hai <img src="{other.file.url}"> và <img src="/media/images/2020/01/khong-co.jpg" '
        'alt="không có"></p><p>Ba</p>',
    )
    with caplog.at_level(logging.WARNING, logger="cangxanh.core.templatetags.portal"):
        page = anonymous.get(row.get_absolute_url()).content.decode()
    body = page.split('class="article__body prose"', 1)[1].split("</div>", 1)[0]
    pictures_found = re.findall(r"<picture>.*?</picture>", body, flags=re.S)
    assert len(pictures_found) == 2
    first, second = pictures_found
    assert 'alt="Lễ ký kết"' in first and 'alt="Ảnh trong bài"' in second  # the library's
    assert 'width="1440" height="810"' in first and 'width="50"' not in body
    assert 'sizes="(min-width: 62rem) 41.5rem' in first and 'loading="lazy"' in first
    assert re.search(r'srcset="/media/renditions/images/\S+\.webp 720w, ', first)
    assert "khong-co" not in body and "/media/images/" not in page
    assert "<figcaption>Chú thích</figcaption>" in body
    assert any("khong-co.jpg" in r.getMessage() for r in caplog.records)
    # Both pictures are now readers' to load.
    for picture in (image, other):
        assert status(anonymous, sorted(rendition_urls(picture))[0]) == 200


def test_the_preview_shows_body_pictures_as_renditions_too(make_article, site_identity, staff):
    image = library_picture()
    row = body_article(
        make_article, f'<p>Một</p><img src="{image.file.url}" alt="Xem trước">', status=Status.DRAFT
    )
    page = staff.get(reverse("news-preview", args=[row.pk])).content.decode()
    assert 'alt="Xem trước"' in page and "/media/images/" not in page
    assert "/media/renditions/images/" in page


def test_an_image_uploaded_after_a_body_named_it_is_linked(make_article, site_identity):
    name = Image._meta.get_field("file").generate_filename(None, "sau.jpg")  # images/<y>/<m>/
    row = body_article(make_article, f'<p>Một</p><img src="/media/{name}" alt="Sau">')
    assert not BodyImage.objects.exists()
    image = library_picture("sau.jpg")
    assert image.file.name == name
    assert list(BodyImage.objects.values_list("translation_id", "image_id")) == [(row.pk, image.pk)]


# --- Installs from before: originals in the media storage ------------------------


def test_existing_originals_move_to_the_private_storage_under_the_same_name(db):
    name = "images/2025/01/cu.jpg"
    default_storage.save(name, ContentFile(pictures.tagged_jpeg()))
    default_storage.save("images/2025/01/renditions/cu.jpg.720x0_q82.jpg", ContentFile(b"old"))
    default_storage.save("images/2025/01/bo-roi.jpg", ContentFile(b"orphan"))
    image = Image.objects.create(file=name, width=1600, height=900)

    report = originals_move([name, "images/2025/01/khong-co.jpg"])
    assert report.moved == [name] and report.missing == ["images/2025/01/khong-co.jpg"]
    assert not default_storage.exists(name)
    with originals().open(name, "rb") as fh:
        assert fh.read() == pictures.tagged_jpeg()
    assert Image.objects.get(pk=image.pk).file.name == name
    again = originals_move([name])  # idempotent
    assert again.moved == [] and again.already == [name]

    # An interrupted run left a copy in both: the media one goes when they agree.
    default_storage.save(name, ContentFile(pictures.tagged_jpeg()))
    assert originals_move([name]).moved == [name] and not default_storage.exists(name)

    swept = media_sweep()
    assert swept.removed == ["images/2025/01/renditions/cu.jpg.720x0_q82.jpg"]
    assert swept.moved == ["images/2025/01/bo-roi.jpg"]
    assert not default_storage.exists("images/2025/01/bo-roi.jpg")
    assert originals().exists("images/2025/01/bo-roi.jpg")
    assert media_sweep().removed == [] and media_sweep().moved == []


def test_renditions_command_moves_what_is_left_and_remakes_old_renditions(db):
    from django.core.management import call_command

    name = "images/2025/02/cu.jpg"
    default_storage.save(name, ContentFile(pictures.tagged_jpeg()))
    default_storage.save("images/2025/02/renditions/cu.jpg.720x0_q82.jpg", ContentFile(b"old"))
    image = Image.objects.create(file=name, width=1600, height=900)
    out = io.StringIO()
    call_command("renditions", stdout=out)
    assert not default_storage.exists(name) and originals().exists(name)
    assert not default_storage.exists("images/2025/02/renditions/cu.jpg.720x0_q82.jpg")
    image.refresh_from_db()
    entry = image.renditions["purposes"]["full"][0]
    with default_storage.open(entry["fallback"], "rb") as fh:
        assert_clean_picture(fh.read())
    assert "Moved 1 original" in out.getvalue()


def test_originals_must_not_live_inside_media(settings, tmp_path):
    from cangxanh.images.checks import check_originals_storage

    settings.STORAGES = {
        **settings.STORAGES,
        "originals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": Path(settings.MEDIA_ROOT) / "originals"},
        },
    }
    assert [e.id for e in check_originals_storage(None)] == ["cangxanh.E102"]
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "originals"}
    assert [e.id for e in check_originals_storage(None)] == ["cangxanh.E101"]
