"""The body's editor and its cleaner agree: what the editor writes is kept, nothing else is.

`fixtures/editor-output.html` is HTML the real editor wrote, using every
feature it offers (test_editor_browser.py checks that it still does). The
paste fixtures are our own samples of what Word, Google Docs and LibreOffice
put on the clipboard.
"""

import json
import re
import tomllib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.core.management import call_command
from django.utils import translation
from django.utils.html import strip_tags
from django_prose_editor.config import allowlist_from_extensions
from django_prose_editor.widgets import AdminProseEditorWidget

from cangxanh.demo.markup import markup_to_html
from cangxanh.editorial import editor
from cangxanh.news import allowlist
from cangxanh.news.models import ArticleTranslation
from cangxanh.news.sanitize import sanitize_html, top_level_blocks

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(allowlist.__file__).parents[1] / "demo" / "content" / "articles"
REL = f' rel="{allowlist.LINK_REL}"'


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def flat(html: str) -> str:
    """Without the line breaks kept between top-level blocks."""
    return html.replace(">\n<", "><")


class _Inventory(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attributes, self.classes = set(), set(), set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name == "class":
                self.classes.update((tag, c) for c in value.split())
            else:
                self.attributes.add((tag, name))


def inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    return parser


# The allowlist and the editor's configuration


def test_the_allowlist_is_the_one_derived_from_the_editor_configuration():
    derived = allowlist_from_extensions(
        {name: config for name, config in allowlist.EXTENSIONS.items() if name != "Fullscreen"}
    )
    assert set(derived["tags"]) - {"thead"} == allowlist.ALLOWED_TAGS
    expected = {tag: set(names) for tag, names in derived["attributes"].items()}
    expected["a"] -= {"rel"}  # set by the cleaner on every link
    expected["img"] -= {"data-file"}  # only a file picker writes it
    expected["td"] |= {"style"}  # a pasted table's alignment
    expected["th"] |= {"style"}
    del expected["figure"]  # one class, not any class
    assert expected == allowlist.ALLOWED_ATTRIBUTES
    assert {"figure": {"figure"}, "figcaption": {"figure-caption"}} == allowlist.ALLOWED_CLASSES
    # Spelled out once, so a change to the configuration shows in review.
    assert {
        *("p", "br", "h2", "h3", "h4", "strong", "em", "s", "sub", "sup", "a"),
        *("ul", "ol", "li", "blockquote", "hr", "table", "tbody", "tr", "th", "td"),
        *("figure", "figcaption", "img"),
    } == allowlist.ALLOWED_TAGS


def test_switching_an_extension_off_takes_its_markup_out_of_the_allowlist(monkeypatch):
    for name in ("Table", "TableRow", "TableHeader", "TableCell"):
        monkeypatch.setitem(allowlist.EXTENSIONS, name, False)
    monkeypatch.setitem(allowlist.EXTENSIONS, "Heading", {"levels": [2]})
    tags, attributes, _classes = allowlist._derive()
    assert not {"table", "tbody", "tr", "td", "th", "h3", "h4"} & tags
    assert {"p", "h2", "ul", "figure"} <= tags
    assert "td" not in attributes


def test_everything_the_editor_writes_survives_cleaning():
    written = fixture("editor-output.html")
    # Unchanged, except that every link gets the cleaner's rel.
    with_rel = re.sub(r"(<a [^>]*)>", lambda m: m.group(1) + REL + ">", written)
    assert with_rel != written
    assert sanitize_html(written) == with_rel


def test_the_editor_writes_everything_the_allowlist_allows():
    written = inventory(fixture("editor-output.html"))
    assert written.tags == allowlist.ALLOWED_TAGS
    assert written.attributes == {
        (tag, name) for tag, names in allowlist.ALLOWED_ATTRIBUTES.items() for name in names
    }
    assert written.classes == {
        (tag, name) for tag, names in allowlist.ALLOWED_CLASSES.items() for name in names
    }


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()">Hi<script>alert(1)</script></p>', "<p>Hi</p>"),
        ("<style>p { color: red }</style><p>Text</p>", "<p>Text</p>"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "<p>x</p>"),
        (
            '<p><a href="https://a.example/" target="_blank" rel="opener">x</a></p>',
            f'<p><a href="https://a.example/"{REL}>x</a></p>',
        ),
        ('<p class="lead" id="x" style="color:red" lang="en" dir="ltr">a</p>', "<p>a</p>"),
        (
            '<p><u>under</u> <span style="color:red">red</span> <font face="Arial">font</font></p>',
            "<p>under red font</p>",
        ),
        ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="x"><p>a</p>', "<p>a</p>"),
        ('<iframe src="https://video.example/"></iframe><p>a</p>', "<p>a</p>"),
        (
            "<form><input name=q><select><option>Một</option></select><button>Gửi</button></form>",
            "",
        ),
        ("<!-- a note --><p>a</p>", "<p>a</p>"),
        (
            '<figure class="figure wide" id="f"><img src="/media/a.jpg" alt="A" title="T" '
            'data-file="7" loading="lazy"><figcaption class="x figure-caption">C</figcaption></figure>',
            '<figure class="figure"><img src="/media/a.jpg" alt="A">'
            '<figcaption class="figure-caption">C</figcaption></figure>',
        ),
        (
            '<table><tr><td colwidth="200" style="width:2pt">a</td>'
            '<td style="text-align:RIGHT">b</td><td style="text-align: justify;">c</td></tr></table>',
            '<table><tbody><tr><td>a</td><td style="text-align: right;">b</td><td>c</td></tr>'
            "</tbody></table>",
        ),
        (
            "<table><caption>Số liệu</caption><thead><tr><th scope=col>A</th></tr></thead>"
            "<tbody><tr><td>1</td></tr></tbody></table>",
            "<p>Số liệu</p><table><tbody><tr><th>A</th></tr><tr><td>1</td></tr></tbody></table>",
        ),
        (
            "<h1>Một</h1><h2>Hai</h2><h3>Ba</h3><h4>Bốn</h4>",
            "<h2>Một</h2><h3>Hai</h3><h4>Ba</h4><h4>Bốn</h4>",
        ),
        ("<h2>Hai</h2><h5>Năm</h5><h6>Sáu</h6>", "<h2>Hai</h2><h4>Năm</h4><h4>Sáu</h4>"),
        (
            "<div>Dòng một</div><div>Dòng hai<br>tiếp</div>",
            "<p>Dòng một</p><p>Dòng hai<br>tiếp</p>",
        ),
        ("Chữ trần <b>đậm</b><p>Đoạn</p>", "<p>Chữ trần <strong>đậm</strong></p><p>Đoạn</p>"),
        (
            "<ul><li>một</li>hai<p>ba</p></ul>",
            "<ul><li>một</li><li>hai</li><li><p>ba</p></li></ul>",
        ),
    ],
)
def test_nothing_outside_the_editor_survives(dirty, clean):
    assert flat(sanitize_html(dirty)) == clean


def test_absurdly_deep_nesting_is_still_cleaned():
    body = "<div><span>" * 2000 + "sâu<script>x()</script>" + "</span></div>" * 2000
    assert sanitize_html(body) == "sâu"


# Whitespace, empty blocks and stray breaks


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        (
            "<p></p><p> </p><p>&nbsp;</p><p><br></p><p><strong> </strong></p><h2></h2>"
            "<ul><li></li></ul><blockquote><p>&nbsp;</p></blockquote>",
            "",
        ),
        ("<p>a&nbsp;&nbsp;&nbsp;b  c\n d</p>", "<p>a b c d</p>"),
        ("<p>Cách 10&nbsp;km</p>", "<p>Cách 10&nbsp;km</p>"),
        ("<p>&nbsp; đầu và cuối &nbsp;<br></p>", "<p>đầu và cuối</p>"),
        ("<p><br>sau<br><br>đó</p>", "<p>sau<br><br>đó</p>"),
        ('<br><p>a</p><br class="Apple-interchange-newline">', "<p>a</p>"),
        ("<p>chữ<strong> </strong>chữ</p>", "<p>chữ chữ</p>"),
        (
            "<table><tr><td></td><td><p>x</p></td></tr></table>",
            "<table><tbody><tr><td></td><td><p>x</p></td></tr></tbody></table>",
        ),
        ("<figure><figcaption>Chỉ còn chú thích</figcaption></figure>", "<p>Chỉ còn chú thích</p>"),
    ],
)
def test_what_word_processors_leave_behind_goes(dirty, clean):
    assert flat(sanitize_html(dirty)) == clean


# Pasting from word processors

WORD = (
    "<h2>Hợp tác cảng xanh Hải Phòng – Rotterdam</h2>"
    "<p>Sáng 19/10, đoàn công tác của <strong>Sở Ngoại vụ</strong> đã làm việc với "
    "<em>Cảng vụ Rotterdam</em> về chuyển đổi số.</p>"
    "<h3>Nội dung chính</h3>"
    "<ul><li><p>Số hóa thủ tục cảng biển</p>"
    "<ul><li><p>Thí điểm tại bến Lạch Huyện</p></li></ul></li>"
    "<li><p>Giảm phát thải tại khu bến <strong>container</strong></p></li></ul>"
    "<p>Hai bên thống nhất các bước tiếp theo:</p>"
    "<ol><li><p>Ký biên bản ghi nhớ trong quý I/2024.</p></li>"
    "<li><p>Tổ chức tọa đàm về cảng xanh.</p></li></ol>"
    f'<p>Xem thêm tại <a href="https://www.portofrotterdam.com/en"{REL}>trang của Cảng Rotterdam</a>.</p>'
    "<table><tbody><tr><th><p>Chỉ số</p></th><th><p>Năm 2023</p></th></tr>"
    "<tr><td><p>Hàng qua cảng (triệu tấn)</p></td><td><p>165,4</p></td></tr></tbody></table>"
    "<blockquote><p>“Chúng tôi chọn vài việc vừa sức, làm được ngay và đo được kết quả.”</p>"
    "</blockquote>"
    "<p>Nước thải giảm 12&nbsp;% nhờ xử lý CO<sub>2</sub>.</p>"
)
GOOGLE_DOCS = (
    "<h2>Giao lưu thanh niên Việt – Hàn</h2>"
    "<p>Đoàn gồm <strong>25 sinh viên</strong> của <em>Đại học Inha</em> đến Hải Phòng.</p>"
    "<ul><li><p>Thăm Nhà hát Thành phố</p></li><li><p>Giao lưu văn nghệ</p>"
    "<ul><li><p>Tối thứ Bảy, 20 giờ</p></li></ul></li></ul>"
    f'<p>Đăng ký tại <a href="https://www.example.org/dang-ky"{REL}>trang đăng ký</a>.</p>'
    "<table><tbody><tr><th><p>Ngày</p></th><th><p>Hoạt động</p></th></tr>"
    "<tr><td><p>12/8</p></td><td><p>Đón đoàn tại sân bay Cát Bi</p></td></tr></tbody></table>"
    "<p>Công thức nước: H<sub>2</sub>O</p>"
)
LIBREOFFICE = (
    "<h2>Lịch tiếp khách quốc tế tuần này</h2>"
    "<p>Sở Ngoại vụ tiếp <strong>ba đoàn</strong> khách, trong đó có đoàn <em>Fukuoka</em> "
    "và đoàn <s>Osaka</s> Incheon.</p>"
    "<ol><li><p>Thứ Hai: đoàn Fukuoka</p></li><li><p>Thứ Tư: đoàn Incheon</p></li></ol>"
    "<table><tbody><tr><th><p>Đoàn</p></th><th><p>Số người</p></th></tr>"
    "<tr><td><p>Fukuoka</p></td><td><p>12</p></td></tr></tbody></table>"
    f'<p>Liên hệ: <a href="mailto:ngoaivu@example.gov.vn"{REL}>ngoaivu@example.gov.vn</a>'
    "<sup>1</sup></p>"
)
JUNK = [
    "mso", "o:p", "MsoNormal", "Symbol", "Times New Roman", "·", "supportLists", "StartFragment",
    "font-", "Cambria", "panose", "@page", "docs-internal-guid", "Apple-interchange", "lang=",
    "class=", "style=", "dir=", "<span", "<b>", "<i>", "<font", "<div", "<meta", "<p></p>",
    "&nbsp;&nbsp;", "alert",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("word-paste.html", WORD),
        ("google-docs-paste.html", GOOGLE_DOCS),
        ("libreoffice-paste.html", LIBREOFFICE),
    ],
)
def test_a_paste_from_a_word_processor_keeps_its_structure_and_drops_the_rest(name, expected):
    cleaned = sanitize_html(fixture(name))
    assert flat(cleaned) == expected
    assert [junk for junk in JUNK if junk in cleaned] == []
    assert sanitize_html(cleaned) == cleaned


def test_word_lists_read_by_a_browser_become_lists_again():
    # What the editor makes of Word's list paragraphs: the marker and its
    # no-break spaces are left in front of the text.
    nbsp = "\u00a0"
    pasted = (
        f"<p>Hai bên thống nhất:</p><p>·{nbsp * 7} Số hóa</p><p>o{nbsp * 2} Lạch Huyện</p>"
        f"<p>·{nbsp * 7} <strong>Giảm</strong> phát thải</p><p>1.{nbsp * 5} Ký kết</p>"
        f"<p>2.{nbsp * 5} Tọa đàm</p><p>- 10{nbsp}km là một đoạn văn, không phải danh sách</p>"
    )
    assert flat(sanitize_html(pasted)) == (
        "<p>Hai bên thống nhất:</p>"
        "<ul><li><p>Số hóa</p></li><li><p>Lạch Huyện</p></li>"
        "<li><p><strong>Giảm</strong> phát thải</p></li></ul>"
        "<ol><li><p>Ký kết</p></li><li><p>Tọa đàm</p></li></ol>"
        "<p>- 10&nbsp;km là một đoạn văn, không phải danh sách</p>"
    )


# The demo content


def demo_bodies():
    for path in sorted(DEMO.glob("*.toml")):
        for language, text in tomllib.loads(path.read_text()).items():
            if isinstance(text, dict) and "body" in text:
                yield f"{path.stem}:{language}", markup_to_html(text["body"])


def test_the_demo_bodies_keep_every_tag_and_every_word():
    bodies = dict(demo_bodies())
    assert len(bodies) > 100
    for key, body in bodies.items():
        cleaned = sanitize_html(body)
        assert re.findall(r"</?[a-z0-9]+", cleaned) == re.findall(r"</?[a-z0-9]+", body), key
        assert unescape(strip_tags(cleaned)) == unescape(strip_tags(body)), key
        assert sanitize_html(cleaned) == cleaned, key


def test_a_body_is_cut_into_its_top_level_blocks():
    body = sanitize_html(
        "<p>Một</p>\n<ul><li><p>a</p></li><li><p>b</p></li></ul><img src='/media/x.jpg' alt='x>y'>"
        "<table><tr><td><p>ô</p></td></tr></table><hr><blockquote><p>c</p><p>d</p></blockquote>"
    )
    assert top_level_blocks(body) == [
        "<p>Một</p>",
        "<ul><li><p>a</p></li><li><p>b</p></li></ul>",
        '<img src="/media/x.jpg" alt="x&gt;y">',
        "<table><tbody><tr><td><p>ô</p></td></tr></tbody></table>",
        "<hr>",
        "<blockquote><p>c</p><p>d</p></blockquote>",
    ]
    assert top_level_blocks("") == []
    # A body stored before this cleaner could have loose text: it is kept.
    assert top_level_blocks("<p>Một</p>hai<h2>Ba</h2>bốn") == [
        "<p>Một</p>",
        "hai<h2>Ba</h2>",
        "bốn",
    ]


# The body's form field


class BodyForm(forms.Form):
    body = editor.body_formfield(ArticleTranslation._meta.get_field("body"))


@pytest.mark.parametrize(
    "body",
    [
        '<p><a href="https://example.org/">a</a> <a href="http://example.org/">b</a></p>',
        '<p><a href="mailto:ngoaivu@example.gov.vn">c</a> <a href="/vi/doi-ngoai/">d</a></p>',
        '<p><a href="#muc-2">e</a></p><figure class="figure"><img src="/media/images/a.jpg" '
        'alt="A"></figure>',
    ],
)
def test_links_and_library_images_are_accepted(body):
    form = BodyForm(data={"body": body})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["body"] == sanitize_html(body)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<p><a href="javascript:alert(1)">x</a></p>', "The link to “javascript:alert(1)”"),
        ('<p><a href="tel:+842253842000">x</a></p>', "The link to “tel:+842253842000”"),
        ('<p><a href="www.example.org">x</a></p>', "links must start with https://"),
        ('<p><img src="file:///C:/Users/a/clip_image001.png"></p>', "is not in the image library"),
        ('<p><img src="https://lh7.googleusercontent.com/x"></p>', "Upload it under Images first"),
        ('<p><img src="data:image/png;base64,' + "A" * 5000 + '"></p>', "…” is not in the image"),
    ],
)
def test_what_cleaning_would_remove_is_refused_with_a_message_and_kept_in_the_form(body, message):
    form = BodyForm(data={"body": body})
    with translation.override("en"):
        assert not form.is_valid()
        assert any(message in error for error in form.errors["body"])
    assert form["body"].value() == body  # shown again as typed: nothing is lost


def test_the_refusal_speaks_the_editors_language():
    form = BodyForm(data={"body": '<p><a href="tel:+842253842000">x</a></p>'})
    with translation.override("vi"):
        assert form.errors["body"] == [
            "Không thể giữ liên kết tới “tel:+842253842000”: liên kết phải bắt đầu bằng "
            "https://, http:// hoặc mailto:, hoặc bằng / nếu là địa chỉ trên trang này."
        ]


def test_the_admin_field_is_the_editor_with_our_configuration_and_local_files():
    field = BodyForm.base_fields["body"]
    assert isinstance(field.widget, AdminProseEditorWidget)
    assert field.required is False
    assert field.help_text == editor.HELP_TEXT
    html = field.widget.render("body", "<p>Xin chào</p>")
    config = json.loads(
        unescape(re.search(r'data-django-prose-editor-configurable="([^"]*)"', html)[1])
    )
    assert config["extensions"]["Heading"] == {"levels": [2, 3, 4]}
    assert config["extensions"]["Link"] == {"enableTarget": False}
    assert "Underline" not in config["extensions"] and "NoSpellCheck" not in config["extensions"]
    media = str(field.widget.media)
    addresses = re.findall(r'(?:src|href)="([^"]+)"', media) + re.findall(r'": "([^"]+)"', media)
    assert addresses and all(a.startswith("/static/django_prose_editor/") for a in addresses)
    assert '<script type="importmap">' in media


def test_collectstatic_with_the_manifest_storage_ships_the_editor(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "editor.js",
        "configurable.js",
        "editor.css",
        "overrides.css",
        "material-icons.woff2",
    ):
        assert (tmp_path / paths[f"django_prose_editor/{name}"]).exists()
    media = str(BodyForm().media)
    assert f"/static/{paths['django_prose_editor/editor.js']}" in media
    assert f"/static/{paths['django_prose_editor/configurable.js']}" in media
