"""Sorting words the way a language's readers expect, for the short lists the portal
sorts in Python (partner localities, countries, organisations).

Vietnamese has its own alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v
x y, and its tones (none, grave, hook, tilde, acute, dot below) decide only between
words whose letters are the same. Sorting by code point puts "Đức" after "Trung
Quốc"; this puts it after "Cuba". Other languages sort by their case-folded letters
without accents, then with them ("Áustria" among the A), which is their order for the
Latin and Korean scripts (Chinese and Japanese names, listed by their characters' code
points, keep the order they have everywhere else on the portal).
"""

import unicodedata

_VI_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_VI_RANK = {letter: rank for rank, letter in enumerate(_VI_ALPHABET)}
# Marks that make another letter of the alphabet, and the tones in their order.
_LETTERS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _vi_letters(text: str):
    """(letter, tone) for each letter of `text`, case folded."""
    for char in unicodedata.normalize("NFC", text.casefold()):
        decomposed = unicodedata.normalize("NFD", char)
        base, tone = decomposed[0], 0
        for mark in decomposed[1:]:
            if mark in _TONES:
                tone = _TONES[mark]
            else:
                base = _LETTERS.get((base, mark), base)
        yield base, tone


def key(text: str, lang: str):
    """The sort key of `text` for readers of `lang` (a Django language code)."""
    if lang != "vi":
        folded = unicodedata.normalize("NFKD", text.casefold())
        bare = "".join(char for char in folded if not unicodedata.combining(char))
        return bare, folded  # accents decide only between the same letters
    letters = list(_vi_letters(text))
    # A letter outside the alphabet (a digit, a space, a foreign letter) sorts by its
    # code point among the others, after the space.
    primary = tuple(
        (0, _VI_RANK[base]) if base in _VI_RANK else (1, ord(base)) if base != " " else (-1, 0)
        for base, _tone in letters
    )
    return primary, tuple(tone for _base, tone in letters)
