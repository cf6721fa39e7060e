"""Every interface string exists, translated, in all five catalogs."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2] / "cangxanh"
LOCALES = ["vi", "en", "ko", "ja", "zh_Hans"]


def catalog(locale: str, root: Path = PACKAGE) -> polib.POFile:
    return polib.pofile(str(root / "locale" / locale / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_is_complete_and_not_fuzzy(locale):
    po = catalog(locale)
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [], f"{locale}: untranslated messages"
    assert fuzzy == [], f"{locale}: fuzzy messages"


def test_catalogs_hold_every_string_in_the_source(tmp_path):
    """Extract the strings afresh; any not in the catalogs means makemessages was not run."""
    copy = tmp_path / "cangxanh"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "vi", "--no-location", "-v0"],
        cwd=copy,
        check=True,
        env={
            "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
            "PATH": "/usr/bin:/bin",
            "CANGXANH_VAR_DIR": str(tmp_path / "var"),
        },
    )
    fresh = {key(e) for e in catalog("vi", copy)}
    assert len(fresh) > 50, "extraction found almost nothing: the check itself is broken"
    for locale in LOCALES:
        have = {key(e) for e in catalog(locale) if not e.obsolete}
        assert fresh - have == set(), (
            f"{locale}: run `make messages-update` and translate the new strings"
        )


@pytest.mark.parametrize(
    ("lang", "home"),
    [("vi", "Trang chủ"), ("en", "Home"), ("ko", "홈"), ("ja", "ホーム"), ("zh-hans", "首页")],
)
def test_each_translation_loads(lang, home):
    with translation.override(lang):
        assert translation.gettext("Home") == home


def test_english_catalog_says_only_what_the_source_says():
    """English is the source language: `make messages` does not compile its catalog
    (every process would load it for nothing), which is right only while each English
    translation is its msgid, plural forms included."""
    differing = []
    for entry in catalog("en"):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if forms.get(0, entry.msgid) != entry.msgid or forms.get(1, entry.msgid_plural) != (
                entry.msgid_plural
            ):
                differing.append(entry.msgid)
        elif entry.msgstr not in ("", entry.msgid):
            differing.append(entry.msgid)
    assert differing == [], "English differs from the source: change the source text instead"
