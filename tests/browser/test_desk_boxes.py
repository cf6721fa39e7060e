"""The translation desk's boxes grow with their text, in Debian's Chromium: a long
paragraph is read whole beside its original, in the same row, never clipped to three
lines. Chromium sizes them by CSS (`field-sizing: content`); where a browser lacks it,
`desk.js` sets each box's height as the text changes."""

import re

import pytest
from django.contrib.auth.models import Group

from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile
from cangxanh.news.models import ArticleTranslation, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "desk-pw-2026"
LONG_VI = " ".join(["Đoàn doanh nghiệp Busan tìm hiểu các tuyến tàu mới qua cảng Lạch Huyện."] * 14)
LONG_KO = " ".join(["부산 기업 대표단은 락후옌 항을 거치는 새 항로를 살펴보았다."] * 14)
SHORT_KO = "짧은 문단."


@pytest.fixture
def desk_address(make_article, django_user_model):
    article = make_article(["vi", "ko"], status=Status.DRAFT)
    ArticleTranslation.objects.filter(article=article, language="vi").update(
        body=f"<p>{LONG_VI}</p><p>Đoạn ngắn.</p>"
    )
    ArticleTranslation.objects.filter(article=article, language="ko").update(
        body=f"<p>{LONG_KO}</p><p>{SHORT_KO}</p>"
    )
    user = django_user_model.objects.create_user("dich-gia", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=roles.TRANSLATOR))
    StaffProfile.objects.create(user=user, languages=["ko"])
    return f"/editorial/desk/{article.pk}/ko/"


def _sign_in(context, base: str):
    page = context.new_page()
    page.goto(base + "/admin/login/?next=/editorial/")
    page.fill("#id_username", "dich-gia")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r".*/editorial/$"))
    return page


def _height(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["height"]


def _whole(page, selector: str) -> bool:
    """Whether the box shows all its text, nothing scrolled out of sight."""
    return page.locator(selector).evaluate("box => box.scrollHeight <= box.clientHeight + 1")


def test_a_long_paragraph_gets_a_taller_box_than_a_short_one(live_server, chromium, desk_address):
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = _sign_in(context, live_server.url)
        page.goto(live_server.url + desk_address)
        long_box, short_box = "#id_seg-0", "#id_seg-1"
        assert page.locator(long_box).input_value() == LONG_KO

        assert _height(page, long_box) > 2 * _height(page, short_box)
        assert _whole(page, long_box) and _whole(page, short_box)
        # Row by row: the next paragraph starts below the long box, beside its original.
        below = page.locator(long_box).bounding_box()
        assert page.locator(short_box).bounding_box()["y"] >= below["y"] + below["height"]

        # Typing grows the short box, and emptying the long one shrinks it.
        page.fill(short_box, LONG_KO)
        page.fill(long_box, SHORT_KO)
        assert _height(page, short_box) > 2 * _height(page, long_box)
        assert _whole(page, short_box)


def test_without_field_sizing_the_script_sets_the_height(live_server, chromium, desk_address):
    with chromium() as browser:
        # A browser without `field-sizing`: the support query says no, and a style sheet
        # (inline, hence the policy bypassed for this test only) turns the property off.
        context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        context.add_init_script(
            """(() => {
                const supports = CSS.supports.bind(CSS);
                CSS.supports = (...args) =>
                    String(args[0]).includes("field-sizing") ? false : supports(...args);
            })();"""
        )
        page = _sign_in(context, live_server.url)
        page.goto(live_server.url + desk_address)
        page.add_style_tag(content=".desk-table textarea { field-sizing: fixed !important; }")
        long_box, short_box = "#id_seg-0", "#id_seg-1"

        page.fill(short_box, LONG_KO)
        page.fill(long_box, SHORT_KO)
        assert _height(page, short_box) > 2 * _height(page, long_box)
        assert _whole(page, short_box) and _whole(page, long_box)
