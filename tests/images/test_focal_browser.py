"""The focal point picker in a real browser: a click sets the point, the preview
shows the crop it gives, and saving makes renditions cut around it."""

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from cangxanh.images.models import Image, ImageText
from cangxanh.images.renditions import image_renditions_ensure

from ..conftest import ARTIFACTS
from . import pictures
from .test_renditions import card_colour, is_blue, is_red

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def centre_colour(locator) -> tuple[int, int, int]:
    shot = PILImage.open(io.BytesIO(locator.screenshot())).convert("RGB")
    return shot.getpixel((shot.width // 2, shot.height // 2))


def test_a_click_sets_the_focal_point_and_saving_cuts_around_it(
    live_server, chromium, django_user_model
):
    ARTIFACTS.mkdir(exist_ok=True)
    django_user_model.objects.create_superuser("photo", "photo@example.test", "pw-123456")
    image = Image(credit="Sở Ngoại vụ")
    image.file.save("hai-mau.png", ContentFile(pictures.halves(1600, 400)), save=False)
    image.save()
    ImageText.objects.create(image=image, language="en", alt="Red and blue")
    image_renditions_ensure(image=image)

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-US")
        page.goto(f"{live_server.url}/admin/images/image/{image.pk}/change/")
        page.fill("#id_username", "photo")
        page.fill("#id_password", "pw-123456")
        page.click("input[type=submit]")
        page.wait_for_load_state("networkidle")

        picture = page.locator(".focal__image")
        crop = page.locator(".focal__crop img")
        box = picture.bounding_box()
        page.mouse.click(box["x"] + box["width"] * 0.1, box["y"] + box["height"] * 0.5)
        assert (page.input_value("#id_focal_x"), page.input_value("#id_focal_y")) == ("10", "50")
        assert page.locator(".focal__dot").is_visible()
        assert is_red(centre_colour(crop))

        page.mouse.click(box["x"] + box["width"] * 0.9, box["y"] + box["height"] * 0.5)
        assert page.input_value("#id_focal_x") == "90"
        assert is_blue(centre_colour(crop))
        # Typed numbers move the point too.
        page.fill("#id_focal_x", "15")
        assert is_red(centre_colour(crop))
        page.fill("#id_focal_x", "90")
        page.screenshot(path=str(ARTIFACTS / "image-focal-point.png"), full_page=True)

        page.click("input[name=_save]")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/admin/images/image/")

    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (90, 50)
    assert is_blue(card_colour(image))
