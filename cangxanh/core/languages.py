"""The portal's languages: codes, switcher labels, native names and formats.

Django's LANGUAGES says which languages are enabled; this module adds what a
reader sees of each (the switcher shows "Vi En Kr Ja Cn", like the office's
printed material) and how dates are written in it.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Language:
    code: str  # Django's code, also the URL prefix: vi, en, ko, ja, zh-hans
    bcp47: str  # for <html lang> and hreflang: zh-Hans
    label: str  # short switcher label
    native_name: str
    og_locale: str
    date_format: str  # Django date-format strings
    datetime_format: str
    thousands: str = ","  # digit-group separator: 8.034 in Vietnamese, 8,034 elsewhere

    def format_number(self, value: int) -> str:
        return f"{int(value):,}".replace(",", self.thousands)


_ALL = {
    "vi": Language("vi", "vi", "Vi", "Tiếng Việt", "vi_VN", "d/m/Y", "d/m/Y - H:i", "."),
    "en": Language("en", "en", "En", "English", "en_US", "j F Y", "j F Y, g:i A"),
    "ko": Language("ko", "ko", "Kr", "한국어", "ko_KR", "Y년 n월 j일", "Y년 n월 j일 H:i"),
    "ja": Language("ja", "ja", "Ja", "日本語", "ja_JP", "Y年n月j日", "Y年n月j日 H:i"),
    "zh-hans": Language(
        "zh-hans", "zh-Hans", "Cn", "简体中文", "zh_CN", "Y年n月j日", "Y年n月j日 H:i"
    ),
}


def enabled() -> list[Language]:
    """The enabled languages, in the order of settings.LANGUAGES."""
    return [_ALL[code] for code, _name in settings.LANGUAGES if code in _ALL]


def codes() -> list[str]:
    return [lang.code for lang in enabled()]


def get(code: str) -> Language:
    return _ALL.get(code) or _ALL[settings.LANGUAGE_CODE]


def choices() -> list[tuple[str, str]]:
    return [(lang.code, lang.native_name) for lang in enabled()]
