"""Translation jobs as XLIFF 2.0: export, an agency's edits, import, and every refusal."""

import copy
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.translation import override
from lxml import etree

from cangxanh.editorial import editing, roles, xliff
from cangxanh.editorial.models import PendingVersion, Revision
from cangxanh.images.models import ImageText
from cangxanh.news.models import ArticleTranslation, Status

pytestmark = pytest.mark.django_db

X = "{urn:oasis:names:tc:xliff:document:2.0}"
M = "{urn:oasis:names:tc:xliff:metadata:2.0}"
HREF = "https://incheon.example/hop-tac"
BODY = (
    "<h2>Hợp tác cảng biển</h2>"
    f'<p>Thành phố <strong>Hải Phòng</strong> ký kết với <a href="{HREF}">Incheon</a>.</p>'
    "<ul><li>Cảng biển</li><li>Du lịch</li></ul>"
    '<figure><img src="/media/cang.jpg" alt="Cảng"><figcaption>Cảng Lạch Huyện</figcaption>'
    "</figure>"
)
# What the agency writes, text piece by text piece of each source.
KOREAN = {
    "title": "하이퐁과 인천, 항만 협력 확대",
    "lead": "두 도시가 항만 협력 협약을 체결했다.",
    "body-1": {"Hợp tác cảng biển": "항만 협력"},
    "body-2": {
        "Thành phố ": "",
        "Hải Phòng": "하이퐁",
        " ký kết với ": "시는 ",
        "Incheon": "인천",
        ".": "과 협약을 체결했다.",
    },
    "body-3": {"Cảng biển": "항만"},
    "body-4": {"Du lịch": "관광"},
    "body-5": {"Cảng": "항구"},  # the body picture's alt text
    "body-6": {"Cảng Lạch Huyện": "락후옌 항"},
}


@pytest.fixture
def people(make_user):
    return {
        "approver": make_user("approver", roles.APPROVER),
        "editor": make_user("editor", roles.EDITOR, ["vi"]),
        "translator": make_user("translator", roles.TRANSLATOR, ["ko"]),
        "japanese": make_user("japanese", roles.TRANSLATOR, ["ja"]),
    }


@pytest.fixture
def rich(make_article, image, people):
    """A Vietnamese article with a heading, a paragraph with bold and a link, a list, a
    figure caption and an image; its text saved once, so it has revision #1."""
    article = make_article(["vi"], status=Status.DRAFT, images=[image])
    vi = article.translations.get()
    editing.translation_save_text(
        translation=vi,
        text={
            "title": vi.title,
            "slug": vi.slug,
            "lead": "Hai thành phố ký thỏa thuận.",
            "body": BODY,
        },
        user=people["editor"],
    )
    return article


def alt_unit(image) -> str:
    return f"image-{image.pk}-alt"


def caption_unit(image) -> str:
    return f"image-{image.pk}-caption"


def korean(image) -> dict:
    return KOREAN | {alt_unit(image): "항구의 크레인", caption_unit(image): "새벽의 항구"}


def agency(data: bytes, words: dict) -> bytes:
    """What an agency's tool does: a target per unit, made from the source, words replaced."""
    root = etree.fromstring(data)
    for unit in root.iter(f"{X}unit"):
        wanted = words.get(unit.get("id"))
        if wanted is None:
            continue
        segment = unit.find(f"{X}segment")
        old = segment.find(f"{X}target")
        if old is not None:
            segment.remove(old)
        target = copy.deepcopy(segment.find(f"{X}source"))
        target.tag = f"{X}target"
        if isinstance(wanted, str):
            for child in list(target):
                target.remove(child)
            target.text = wanted
        else:
            for element in target.iter():
                if element.text in wanted:
                    element.text = wanted[element.text]
                if element is not target and element.tail in wanted:
                    element.tail = wanted[element.tail]
        segment.append(target)
        segment.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def unit_of(root, unit_id):
    return next(u for u in root.iter(f"{X}unit") if u.get("id") == unit_id)


def set_target(data: bytes, unit_id: str, build) -> bytes:
    """Replace one unit's target by what `build(target, source)` makes of it."""
    root = etree.fromstring(data)
    segment = unit_of(root, unit_id).find(f"{X}segment")
    for old in segment.findall(f"{X}target"):
        segment.remove(old)
    target = etree.SubElement(segment, f"{X}target")
    build(target, segment.find(f"{X}source"))
    return etree.tostring(root)


def snapshot(article, language="ko"):
    """Everything an import could change for `language`, to compare before and after."""
    rows = list(
        ArticleTranslation.objects.filter(article=article, language=language).values(
            "title", "lead", "body", "slug", "status", "translated_from"
        )
    )
    return (
        rows,
        list(PendingVersion.objects.filter(translation__article=article).values()),
        Revision.objects.filter(translation__article=article).count(),
        sorted(
            ImageText.objects.filter(language=language).values_list("image_id", "alt", "caption")
        ),
    )


def check_structure(root) -> None:
    """The XLIFF 2.0 core rules the schema states (no XSD ships in a package we use):
    element order, required attributes, unique ids and inline codes pointing at data."""
    assert root.tag == f"{X}xliff" and root.get("version") == "2.0" and root.get("srcLang")
    files = root.findall(f"{X}file")
    assert files and [c.tag for c in root] == [f"{X}file"] * len(files)
    assert len({f.get("id") for f in files}) == len(files)
    for xfile in files:
        kinds = []
        for child in xfile:
            if child.tag == f"{X}notes":
                kinds.append("notes")
            elif child.tag == f"{X}unit":
                kinds.append("unit")
            else:
                assert not child.tag.startswith(X), child.tag  # only modules before notes
                kinds.append("module")
        assert kinds == sorted(kinds, key=["module", "notes", "unit"].index)
        assert kinds.count("notes") <= 1 and "unit" in kinds
        units = xfile.findall(f"{X}unit")
        assert len({u.get("id") for u in units}) == len(units)
        for unit in units:
            order = [etree.QName(c).localname for c in unit]
            assert order == sorted(
                order, key=["notes", "originalData", "segment", "ignorable"].index
            ), order
            assert order.count("notes") <= 1 and order.count("originalData") <= 1
            assert "segment" in order
            for note in unit.iter(f"{X}note"):
                assert note.text and note.text.strip()
            data_ids = [d.get("id") for d in unit.iter(f"{X}data")]
            assert len(set(data_ids)) == len(data_ids)
            for segment in unit.findall(f"{X}segment"):
                parts = [etree.QName(c).localname for c in segment]
                assert parts in (["source"], ["source", "target"]), parts
                assert segment.get("state", "initial") in {
                    "initial",
                    "translated",
                    "reviewed",
                    "final",
                }
                if "target" in parts:
                    assert root.get("trgLang")
                for side in segment:
                    ids = []
                    for code in side.iter(f"{X}pc", f"{X}ph"):
                        ids.append(code.get("id"))
                        refs = [code.get(a) for a in ("dataRef", "dataRefStart", "dataRefEnd")]
                        assert all(r in data_ids for r in refs if r is not None)
                        assert any(refs)
                    assert len(set(ids)) == len(ids)


# Export ------------------------------------------------------------------------------------------


def test_export_is_an_xliff_2_job_with_notes_and_inline_codes(rich, image):
    data = xliff.job_export(article=rich, language="ko")
    root = etree.fromstring(data)
    check_structure(root)
    assert (root.get("srcLang"), root.get("trgLang")) == ("vi", "ko")
    xfile = root.find(f"{X}file")
    assert xfile.get("original") == f"cangxanh:article:{rich.pk}"
    meta = {m.get("type"): m.text for m in xfile.iter(f"{M}meta")}
    assert meta["article"] == str(rich.pk)
    assert meta["source-revision"] == "1"
    assert meta["exported-at"]

    ids = [u.get("id") for u in xfile.iter(f"{X}unit")]
    assert ids == [
        "title",
        "lead",
        *[f"body-{n}" for n in range(1, 7)],
        alt_unit(image),
        caption_unit(image),
    ]
    notes = {u.get("id"): u.find(f"{X}notes/{X}note").text for u in xfile.iter(f"{X}unit")}
    assert "heading" in notes["body-1"] and "paragraph" in notes["body-2"]
    assert "list item" in notes["body-3"] and "alt text" in notes["body-5"]
    assert "caption" in notes["body-6"]
    assert "Alt text" in notes[alt_unit(image)]

    # No Korean translation yet: no targets, every segment initial.
    assert not list(root.iter(f"{X}target"))
    assert {s.get("state") for s in root.iter(f"{X}segment")} == {"initial"}
    assert unit_of(root, alt_unit(image)).find(f"{X}segment/{X}source").text == "Cần cẩu ở cảng"

    paragraph = unit_of(root, "body-2")
    data_texts = {d.get("id"): d.text for d in paragraph.iter(f"{X}data")}
    codes = paragraph.find(f"{X}segment/{X}source").findall(f"{X}pc")
    assert [data_texts[c.get("dataRefStart")] for c in codes] == [
        "<strong>",
        f'<a href="{HREF}" rel="noopener noreferrer">',
    ]
    assert [c.text for c in codes] == ["Hải Phòng", "Incheon"]
    assert codes[1].get("type") == "link"
    # The structure is indented, the words are not touched.
    assert b"<source>Th\xc3\xa0nh ph\xe1\xbb\x91 <pc" in data


def test_export_writes_zh_hans_as_bcp47(rich):
    root = etree.fromstring(xliff.job_export(article=rich, language="zh-hans"))
    assert root.get("trgLang") == "zh-Hans"


# Round trips ---------------------------------------------------------------------------------------


def test_round_trip_keeps_the_original_structure_with_korean_words(rich, image, people):
    data = xliff.job_export(article=rich, language="ko")
    returned = agency(data, korean(image))
    # The agency's file claims another address for the link: the original's is used.
    returned = returned.replace(HREF.encode(), b"https://evil.example/")

    result = xliff.job_import(article=rich, language="ko", data=returned, user=people["translator"])

    ko = ArticleTranslation.objects.get(article=rich, language="ko")
    assert ko.status == Status.DRAFT
    assert ko.title == KOREAN["title"] and ko.lead == KOREAN["lead"]
    assert ko.body == (
        "<h2>항만 협력</h2>"
        f'<p><strong>하이퐁</strong>시는 <a href="{HREF}" rel="noopener noreferrer">인천</a>'
        "과 협약을 체결했다.</p>"
        "<ul><li>항만</li><li>관광</li></ul>"
        '<figure><img src="/media/cang.jpg" alt="항구"><figcaption>락후옌 항</figcaption></figure>'
    )
    assert "evil" not in ko.body
    text = ImageText.objects.get(image=image, language="ko")
    assert (text.alt, text.caption) == ("항구의 크레인", "새벽의 항구")
    vi = rich.translations.get(language="vi")
    assert ko.translated_from == vi.revisions.get(number=1)
    assert not editing.freshness(ko).outdated
    assert ko.revisions.get().note == "XLIFF"
    assert (result.units, result.images, result.new_version) == (10, 1, False)
    assert result.warnings == []

    # Exported again, the job is prefilled with the Korean, on the source's codes.
    root = etree.fromstring(xliff.job_export(article=rich, language="ko"))
    check_structure(root)
    paragraph = unit_of(root, "body-2").find(f"{X}segment")
    assert paragraph.get("state") == "translated"
    target = paragraph.find(f"{X}target")
    assert "".join(target.itertext()) == "하이퐁시는 인천과 협약을 체결했다."
    assert [c.get("dataRefStart") for c in target.iter(f"{X}pc")] == ["d1", "d3"]
    assert unit_of(root, alt_unit(image)).find(f"{X}segment/{X}target").text == "항구의 크레인"


def test_round_trip_through_the_pages(client, rich, image, people):
    client.force_login(people["translator"])
    export_url = reverse("editorial:xliff-export", args=[rich.pk, "ko"])
    response = client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xliff+xml; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="article-{rich.pk}-vi-ko.xlf"'

    import_url = reverse("editorial:xliff-import", args=[rich.pk, "ko"])
    page = client.get(import_url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    assert export_url in page.content.decode()

    upload = SimpleUploadedFile("job.xlf", agency(response.content, korean(image)))
    response = client.post(import_url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == reverse("editorial:desk", args=[rich.pk, "ko"])
    ko = ArticleTranslation.objects.get(article=rich, language="ko")
    assert ko.title == KOREAN["title"]
    assert "<strong>하이퐁</strong>" in ko.body
    shown = [str(m) for m in response.wsgi_request._messages]
    assert shown == ["The job is imported. Texts taken: 10; image texts saved: 1."]


def test_a_partial_job_keeps_the_other_texts(rich, image, people):
    returned = agency(xliff.job_export(article=rich, language="ko"), korean(image))
    xliff.job_import(article=rich, language="ko", data=returned, user=people["translator"])
    ko = ArticleTranslation.objects.get(article=rich, language="ko")
    before = ko.body

    # A second job translates only the third segment again; everything else is left out.
    job = etree.fromstring(xliff.job_export(article=rich, language="ko"))
    xfile = job.find(f"{X}file")
    for unit in list(xfile.iter(f"{X}unit")):
        if unit.get("id") != "body-3":
            xfile.remove(unit)
    partial = agency(etree.tostring(job), {"body-3": {"Cảng biển": "항구"}})
    result = xliff.job_import(article=rich, language="ko", data=partial, user=people["translator"])

    ko.refresh_from_db()
    assert ko.body == before.replace("<li>항만</li>", "<li>항구</li>")
    assert ko.title == KOREAN["title"] and ko.lead == KOREAN["lead"]
    assert ImageText.objects.get(image=image, language="ko").alt == "항구의 크레인"
    assert (result.units, result.images) == (1, 0)


def test_a_job_for_a_published_translation_becomes_a_new_version(client, rich, image, people):
    ko = ArticleTranslation.objects.create(
        article=rich,
        language="ko",
        title="인천시 대표단 하이퐁 방문",
        lead="기존 요약",
        body="<h2>옛 제목</h2><p>옛 문단.</p>",
        status=Status.PUBLISHED,
        published_at=rich.created_at,
    )
    returned = agency(xliff.job_export(article=rich, language="ko"), korean(image))
    result = xliff.job_import(article=rich, language="ko", data=returned, user=people["translator"])

    assert result.new_version
    pending = PendingVersion.objects.get(translation=ko)
    assert pending.title == KOREAN["title"] and "<strong>하이퐁</strong>" in pending.body
    ko.refresh_from_db()
    assert ko.title == "인천시 대표단 하이퐁 방문" and ko.body == "<h2>옛 제목</h2><p>옛 문단.</p>"
    page = client.get(ko.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert "옛 문단." in html and "하이퐁시는" not in html


def test_an_original_changed_since_the_export_is_imported_with_a_warning(rich, image, people):
    data = xliff.job_export(article=rich, language="ko")
    vi = rich.translations.get(language="vi")
    editing.translation_save_text(
        translation=vi,
        text={
            "title": vi.title,
            "slug": vi.slug,
            "lead": vi.lead,
            "body": "<p>Đoạn mới.</p>" + BODY,
        },
        user=people["editor"],
    )
    with override("en"):
        result = xliff.job_import(
            article=rich, language="ko", data=agency(data, korean(image)), user=people["translator"]
        )
    assert result.warnings == [
        "The original changed after this job was exported: the translation is marked as "
        "made from revision #1."
    ]
    ko = ArticleTranslation.objects.get(article=rich, language="ko")
    # Put together on the layout the agency translated (revision #1), and outdated.
    assert ko.body.startswith("<h2>항만 협력</h2><p><strong>하이퐁</strong>")
    assert ko.translated_from.number == 1
    assert editing.freshness(ko).outdated


# Refusals: each leaves everything as it was --------------------------------------------------------


def refused(article, data, user, language="ko") -> list[str]:
    before = snapshot(article, language)
    with override("en"), pytest.raises(xliff.XliffError) as caught:
        xliff.job_import(article=article, language=language, data=data, user=user)
    assert snapshot(article, language) == before
    return caught.value.messages


@pytest.fixture
def korean_draft(rich, image, people):
    """The Korean translation after a first job, and a second job, translated."""
    first = agency(xliff.job_export(article=rich, language="ko"), korean(image))
    xliff.job_import(article=rich, language="ko", data=first, user=people["translator"])
    return agency(
        xliff.job_export(article=rich, language="ko"), korean(image) | {"title": "새 제목"}
    )


def test_a_job_for_another_article_is_refused(make_article, rich, korean_draft, people):
    other = make_article(["vi"], status=Status.DRAFT)
    assert refused(other, korean_draft, people["translator"]) == [
        f"This file is for article #{rich.pk}, not #{other.pk}."
    ]
    # The same for the article itself after all: it is accepted.
    xliff.job_import(article=rich, language="ko", data=korean_draft, user=people["translator"])
    assert ArticleTranslation.objects.get(article=rich, language="ko").title == "새 제목"


def test_a_job_into_another_language_is_refused(rich, korean_draft, people):
    japanese = xliff.job_export(article=rich, language="ja")
    assert refused(rich, japanese, people["translator"]) == [
        "This file is a translation into 日本語, not into 한국어."
    ]


def test_a_job_from_another_source_language_is_refused(rich, korean_draft, people):
    english = korean_draft.replace(b'srcLang="vi"', b'srcLang="en"')
    assert refused(rich, english, people["translator"]) == [
        "This file translates from English, but the original of this article is in Tiếng Việt."
    ]


def test_broken_markup_in_one_segment_refuses_the_whole_job(rich, korean_draft, people):
    def unclosed(target, source):
        target.text = "항만 "
        etree.SubElement(target, f"{X}sc", id="1", dataRef="d1").tail = "하이퐁"

    def injected(target, source):
        etree.SubElement(target, f"{X}pc", id="9", dataRefStart="d99", dataRefEnd="d2").text = "x"

    data = set_target(korean_draft, "body-2", unclosed)
    assert refused(rich, data, people["translator"]) == [
        "Paragraph 2: “<strong>” is opened but never closed."
    ]
    data = set_target(korean_draft, "body-1", injected)
    assert refused(rich, data, people["translator"]) == [
        "Heading 1: the inline code <pc> d99/d2 is not in the original."
    ]
    data = set_target(korean_draft, "title", lambda target, source: None)
    assert refused(rich, data, people["translator"]) == ["Title: it may not be empty."]


def test_unknown_units_and_what_is_not_a_job_are_refused(rich, korean_draft, people):
    root = etree.fromstring(korean_draft)
    extra = copy.deepcopy(unit_of(root, "body-1"))
    extra.set("id", "body-99")
    root.find(f"{X}file").append(extra)
    assert refused(rich, etree.tostring(root), people["translator"]) == [
        "The file has units this job does not know: body-99."
    ]
    assert refused(rich, b"Title;Lead\nxin chao;", people["translator"]) == [
        "The file is not well-formed XML (line 1)."
    ]
    xliff1 = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"/>'
    assert refused(rich, xliff1, people["translator"]) == ["This is not an XLIFF 2 file."]


def test_an_xml_bomb_is_refused_at_once(rich, korean_draft, people):
    entities = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE xliff [<!ENTITY e0 "lol">{entities}]>'
        f'<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0">&e9;</xliff>'
    ).encode()
    started = time.monotonic()
    assert refused(rich, bomb, people["translator"]) == [
        "The file declares a DOCTYPE or entities, which are not accepted."
    ]
    assert time.monotonic() - started < 1


def test_a_translator_without_korean_gets_403_and_changes_nothing(
    client, rich, korean_draft, people
):
    japanese = people["japanese"]
    with pytest.raises(PermissionDenied):
        xliff.job_import(article=rich, language="ko", data=korean_draft, user=japanese)
    client.force_login(japanese)
    assert client.get(reverse("editorial:xliff-export", args=[rich.pk, "ko"])).status_code == 403
    import_url = reverse("editorial:xliff-import", args=[rich.pk, "ko"])
    assert client.get(import_url).status_code == 403
    before = snapshot(rich)
    upload = SimpleUploadedFile("job.xlf", korean_draft)
    assert client.post(import_url, {"file": upload}).status_code == 403
    assert snapshot(rich) == before
    # Their own language works.
    assert client.get(reverse("editorial:xliff-export", args=[rich.pk, "ja"])).status_code == 200


def test_unknown_article_or_language_and_the_original_language_are_404(client, rich, people):
    client.force_login(people["approver"])
    for article_id, language in [(rich.pk + 100, "ko"), (rich.pk, "fr"), (rich.pk, "vi")]:
        for name in ("editorial:xliff-export", "editorial:xliff-import"):
            assert client.get(reverse(name, args=[article_id, language])).status_code == 404


def test_errors_are_listed_in_the_users_language(client, make_article, rich, korean_draft, people):
    other = make_article(["vi"], status=Status.DRAFT)
    client.force_login(people["translator"])
    url = reverse("editorial:xliff-import", args=[other.pk, "ko"])
    before = snapshot(other)
    expected = {
        "en": f"This file is for article #{rich.pk}, not #{other.pk}.",
        "vi": f"Tệp này dành cho bài viết #{rich.pk}, không phải #{other.pk}.",
    }
    for language, message in expected.items():
        upload = SimpleUploadedFile("job.xlf", korean_draft)
        response = client.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert snapshot(other) == before

    # No file at all: the form says so, in Vietnamese too.
    response = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.content.decode()


def test_a_file_over_5_mib_is_refused_by_the_page(client, rich, people, settings):
    client.force_login(people["translator"])
    url = reverse("editorial:xliff-import", args=[rich.pk, "ko"])
    upload = SimpleUploadedFile("job.xlf", b" " * (xliff.MAX_BYTES + 1))
    response = client.post(url, {"file": upload}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The file is too large: at most 5.0\xa0MB." in response.content.decode()
    assert not ArticleTranslation.objects.filter(article=rich, language="ko").exists()


def test_codes_written_by_id_or_as_spanning_pairs_are_understood(rich, image, people):
    """Tools differ: some keep only a code's id, some turn <pc> into <sc>…<ec>."""

    def by_id_and_spanning(target, source):
        target.text = "항만의 "
        etree.SubElement(target, f"{X}pc", id="1").text = "하이퐁"
        etree.SubElement(target, f"{X}sc", id="2", dataRef="d3").tail = "인천"
        etree.SubElement(target, f"{X}ec", startRef="2", dataRef="d4").tail = "."

    data = agency(xliff.job_export(article=rich, language="ko"), korean(image))
    data = set_target(data, "body-2", by_id_and_spanning)
    xliff.job_import(article=rich, language="ko", data=data, user=people["translator"])
    body = ArticleTranslation.objects.get(article=rich, language="ko").body
    assert (
        f'<p>항만의 <strong>하이퐁</strong><a href="{HREF}" rel="noopener noreferrer">인천</a>.</p>'
        in body
    )


def test_zh_hans_is_accepted_in_both_spellings(rich, people):
    for spelling in (b"zh-Hans", b"zh-hans"):
        data = xliff.job_export(article=rich, language="zh-hans")
        data = agency(data, {"title": f"海防 {spelling.decode()}"})
        data = data.replace(b'trgLang="zh-Hans"', b'trgLang="' + spelling + b'"')
        xliff.job_import(article=rich, language="zh-hans", data=data, user=people["approver"])
        zh = ArticleTranslation.objects.get(article=rich, language="zh-hans")
        assert zh.title == f"海防 {spelling.decode()}"
    # Only the title was translated: the body's untranslated segments are not shown, the
    # picture stays.
    assert zh.body == '<figure><img src="/media/cang.jpg" alt="Cảng"></figure>'


def test_empty_alt_text_and_a_caption_without_alt_text_are_refused(rich, image, people):
    data = agency(xliff.job_export(article=rich, language="ko"), {"title": "제목"})
    empty_alt = set_target(data, alt_unit(image), lambda target, source: None)
    assert refused(rich, empty_alt, people["translator"]) == [
        "Alt text of image 1: it may not be empty."
    ]
    caption_only = agency(data, {caption_unit(image): "새벽의 항구"})
    assert refused(rich, caption_only, people["translator"]) == [
        "Caption of image 1: a caption needs the alt text of its image too."
    ]
