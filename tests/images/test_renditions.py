"""Renditions: the files made, their sizes, the focal point's crop, and the pages
that use them (with <picture>, without a query or a file read per image)."""

import logging
import re
import shutil
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure, plan, rendition
from cangxanh.images.storage import originals

from . import pictures

pytestmark = pytest.mark.django_db


def open_rendition(name: str) -> PILImage.Image:
    with default_storage.open(name, "rb") as fh:
        picture = PILImage.open(fh)
        picture.load()
    return picture


def widths(image: Image, purpose: str) -> list[int]:
    return [entry["width"] for entry in image.renditions["purposes"][purpose]]


def library_image(content: bytes, name: str = "anh.jpg", **fields) -> Image:
    """An image stored without the admin (as older code or a script would)."""
    image = Image(credit="Báo Test", **fields)
    image.file.save(name, ContentFile(content), save=False)
    image.save()
    ImageText.objects.create(image=image, language="vi", alt=f"Ảnh {name}", caption="Chú thích")
    return image


def test_every_width_is_made_as_webp_and_jpeg_with_the_recorded_size(upload):
    image = upload("cang.jpg", pictures.jpeg(1600, 900))
    assert widths(image, "card") == [320, 480, 720]
    assert widths(image, "wide") == [640, 960, 1280]
    # 1920 is wider than the original; its own 1600 is kept instead.
    assert widths(image, "full") == [720, 1080, 1440, 1600]
    for purpose, entries in image.renditions["purposes"].items():
        for entry in entries:
            webp, fallback = open_rendition(entry["webp"]), open_rendition(entry["fallback"])
            assert (webp.format, fallback.format) == ("WEBP", "JPEG")
            assert webp.size == fallback.size == (entry["width"], entry["height"])
            if purpose != "full":
                assert entry["width"] * 9 == entry["height"] * 16
    # Recorded by easy-thumbnails too, once each.
    from easy_thumbnails.models import Thumbnail

    assert Thumbnail.objects.count() == 2 * (3 + 3 + 4)


def test_a_small_original_is_never_enlarged(upload):
    image = upload("nho.png", pictures.png(700, 500))
    assert widths(image, "card") == [320, 480, 700]
    assert widths(image, "wide") == [640]
    assert widths(image, "full") == [700]
    for entries in image.renditions["purposes"].values():
        for entry in entries:
            assert open_rendition(entry["fallback"]).width <= 700


def test_plan_keeps_crops_inside_the_picture():
    spec = {"widths": (640, 960, 1280), "ratio": (16, 9), "src": 960}
    # A tall picture: the widest 16:9 crop is its full width.
    assert plan(900, 2000, spec) == [(640, 360), (900, 506)]
    # A panorama: the widest 16:9 crop is limited by its height (400 × 16/9 = 711).
    assert plan(3000, 400, spec) == [(640, 360), (711, 400)]


def test_transparency_keeps_a_png_fallback_and_an_alpha_webp(upload):
    image = upload("logo.png", pictures.transparent_png())
    entry = image.renditions["purposes"]["full"][0]
    assert entry["fallback"].endswith(".png") and entry["webp"].endswith(".webp")
    assert open_rendition(entry["fallback"]).mode == "RGBA"
    assert open_rendition(entry["webp"]).mode == "RGBA"
    # An alpha channel with nothing transparent in it gets a JPEG fallback.
    opaque = upload("nen.png", pictures.opaque_rgba_png())
    assert opaque.renditions["purposes"]["full"][0]["fallback"].endswith(".jpg")


def test_an_upright_photo_is_cut_upright(upload):
    image = upload("doc.jpg", pictures.rotated_jpeg(1200, 675))  # shown 675 × 1200
    full = image.renditions["purposes"]["full"]
    assert [(e["width"], e["height"]) for e in full] == [(675, 1200)]
    assert open_rendition(full[0]["webp"]).size == (675, 1200)


def card_colour(image: Image) -> tuple[int, int, int]:
    entry = image.renditions["purposes"]["card"][0]
    picture = open_rendition(entry["fallback"]).convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2))


def is_red(rgb) -> bool:
    return rgb[0] > 150 and rgb[2] < 80


def is_blue(rgb) -> bool:
    return rgb[2] > 150 and rgb[0] < 80


def test_the_focal_point_moves_the_crop_and_a_new_point_makes_new_files(
    upload, change, staff, site_identity, make_article, django_capture_on_commit_callbacks
):
    image = upload("hai-mau.png", pictures.halves(1600, 400), focal_x="5")
    assert is_red(card_colour(image))  # the left, red half
    old = image.renditions
    article = make_article(["vi"], images=[image])
    url = article.translations.get(language="vi").get_absolute_url()
    staff.get(url)

    response = change(image, focal_x="95")
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (5, 50)  # readers see it: it waits for approval
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("editorial:picture", args=[image.pk]), {"action": "publish"})
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (95, 50)
    assert is_blue(card_colour(image))  # now the right, blue half
    new_names = {e["fallback"] for e in image.renditions["purposes"]["card"]}
    old_names = {e["fallback"] for e in old["purposes"]["card"]}
    assert new_names.isdisjoint(old_names)
    assert all(
        "target-95%2C50" in r.url or "target-95,50" in r.url for r in [rendition(image, "card")]
    )
    # The whole picture does not depend on the focal point: same files.
    assert image.renditions["purposes"]["full"] == old["purposes"]["full"]

    # A reader's page at once uses the new crop (the home page's lead story is 16:9).
    home = staff.get("/vi/").content.decode()
    assert "target-95%2C50" in home and "target-5%2C50" not in home


def test_making_renditions_again_makes_nothing(upload):
    image = upload("cang.jpg", pictures.jpeg())
    record = image.renditions
    assert image_renditions_ensure(image=image) == 0
    # Even with the record lost, the files are found, not made again.
    Image.objects.filter(pk=image.pk).update(renditions={})
    image.refresh_from_db()
    assert image_renditions_ensure(image=image) == 0
    assert Image.objects.get(pk=image.pk).renditions == record


def pictures_in(page: str) -> list[str]:
    return re.findall(r"<picture>.*?</picture>", page, flags=re.S)


def article_page(client, make_article, count: int):
    images = [library_image(pictures.jpeg(1600, 900), f"anh-{n}.jpg") for n in range(count)]
    for image in images:
        image_renditions_ensure(image=image)
    article = make_article(["vi"], images=images)
    return article.translations.get(language="vi").get_absolute_url()


def test_the_article_page_uses_picture_with_webp_srcset_and_sizes(
    client, site_identity, make_article
):
    url = article_page(client, make_article, 3)
    page = client.get(url).content.decode()
    found = pictures_in(page)
    assert len(found) == 3
    for index, markup in enumerate(found):
        source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', markup)
        assert source, markup
        assert re.fullmatch(r"(\S+\.webp \d+w)(, \S+\.webp \d+w)*", source.group(1))
        assert "720w" in source.group(1) and "1600w" in source.group(1)
        img = re.search(r"<img [^>]+>", markup).group(0)
        assert re.search(r'srcset="\S+\.jpg 720w, ', img)
        assert 'width="1440" height="810"' in img
        assert f'sizes="{source.group(2)}"' in img
        assert 'alt="Ảnh anh-' in img
        assert ('fetchpriority="high"' in img) == (index == 0)
        assert ('loading="lazy"' in img) == (index > 0)
    # The addresses work (the app serves media in the embedded setup).
    first_webp = re.search(r'srcset="(\S+\.webp)', found[0]).group(1)
    response = client.get(first_webp)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[8:12] == b"WEBP"


def queries(client, url: str) -> int:
    client.get(url)  # warm: anything made once is made now
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_more_images_do_not_mean_more_queries(client, site_identity, make_article):
    # Both articles first: each is then the other's related article (a card with an image).
    with_one, with_three = (
        article_page(client, make_article, 1),
        article_page(client, make_article, 3),
    )
    assert queries(client, with_one) == queries(client, with_three)


def test_cards_with_images_cost_no_query_either(client, site_identity, section, make_article):
    from cangxanh.news.models import ArticleImage

    def illustrate(article):
        image = library_image(pictures.jpeg(1600, 900), f"the-{article.pk}.jpg")
        image_renditions_ensure(image=image)
        ArticleImage.objects.create(article=article, image=image, position=0)

    url = section.translation("vi").get_absolute_url()  # one list of cards
    articles = [make_article(["vi"]) for _ in range(6)]
    illustrate(articles[0])
    with_one = queries(client, url)
    for article in articles[1:]:
        illustrate(article)
    assert len(pictures_in(client.get(url).content.decode())) == 6
    assert queries(client, url) == with_one


def test_pages_read_no_image_file(client, settings, site_identity, make_article):
    url = article_page(client, make_article, 3)
    before = pictures_in(client.get(url).content.decode())
    shutil.rmtree(Path(settings.STORAGES["originals"]["OPTIONS"]["location"]) / "images")
    after = pictures_in(client.get(url).content.decode())
    assert after == before and len(after) == 3


def test_an_image_without_renditions_gets_them_on_its_first_page_view(
    client, site_identity, make_article
):
    image = library_image(pictures.jpeg(1200, 675))
    assert image.renditions == {}
    article = make_article(["vi"], images=[image])
    url = article.translations.get(language="vi").get_absolute_url()
    page = client.get(url).content.decode()
    assert len(pictures_in(page)) == 1
    record = Image.objects.get(pk=image.pk).renditions
    assert widths(Image.objects.get(pk=image.pk), "full") == [720, 1080, 1200]
    client.get(url)
    assert Image.objects.get(pk=image.pk).renditions == record


def test_an_unreadable_stored_image_is_left_out_never_an_error_page(
    client, site_identity, make_article, caplog
):
    # A bomb stored before the library had limits, and a file gone from disk.
    name = originals().save("images/old/bomb.png", ContentFile(pictures.forged_png(30000, 30000)))
    bomb = Image.objects.create(file=name, width=30000, height=30000)
    missing = library_image(pictures.jpeg(), "gone.jpg")
    originals().delete(missing.file.name)
    fine = library_image(pictures.jpeg(), "fine.jpg")
    article = make_article(["vi"], images=[bomb, missing, fine])
    with caplog.at_level(logging.ERROR, logger="cangxanh.images.renditions"):
        response = client.get(article.translations.get(language="vi").get_absolute_url())
    assert response.status_code == 200
    assert len(pictures_in(response.content.decode())) == 1
    assert len([r for r in caplog.records if "No renditions" in r.getMessage()]) == 2


def test_the_admin_lists_preview_size_and_focal_point_and_offers_the_picker(upload, staff):
    image = upload("cang.jpg", pictures.jpeg(1600, 900), focal_x="30", focal_y="60")
    listing = staff.get(reverse("admin:images_image_changelist")).content.decode()
    assert re.search(r'<img src="[^"]+480x270[^"]+\.jpg" width="160" height="90"', listing)
    assert "1600 × 900" in listing and "30%, 60%" in listing

    page = staff.get(
        reverse("admin:images_image_change", args=[image.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "data-focal" in page and "cangxanh/focal.js" in page
    assert 'class="focal__image" src="/media/' in page
    assert re.search(r'<input type="number" name="focal_x" value="30"[^>]*max="100"', page)
    assert "Click the picture on the point that must stay visible" in page
