"""The city's names in each language, so that a search for one finds the others.

Data, not a thesaurus: only the names of the city the portal belongs to, as
its own articles write them (cangxanh/demo/content: Vietnamese "Hải Phòng",
English "Hai Phong" — the same words once folded —, Chinese 海防, Japanese
ハイフォン, Korean 하이퐁). A Japanese reader may type the Han spelling 海防
too, which the Japanese articles never use: any name finds the names the
searched language writes (in a search of every language, those of the
languages that write the name typed).
Korean 해방 is not one of them (it means "liberation"; 하이퐁 해방 is the
city's liberation), nor is a district, a street or a partner city.

The query side only (`engine.plan`): a unit of the query that is exactly one
of the names, or the words of a query that together are one, is looked for as
any of the names; the index is left as the texts write it. A quoted phrase is
looked for as written.
"""

from functools import cache

from .analyzer import tokens

# Each group: one place's names, by the language whose texts write them (a language
# may write it more than one way: Japanese articles write ハイフォン, and readers type
# 海防 too).
GROUPS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "vi": ("Hải Phòng",),
        "en": ("Hai Phong",),
        "ko": ("하이퐁",),
        "ja": ("ハイフォン", "海防"),
        "zh-hans": ("海防",),
    },
)


def _folded(name: str) -> tuple[str, ...]:
    return tuple(t.folded for t in tokens(name))


@cache
def _table(lang: str | None) -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Any name of a group → the other names to look for in `lang`; in every language
    (None), the names of the languages that write the name typed."""
    table = {}
    for group in GROUPS:
        spelled = {code: [_folded(n) for n in names] for code, names in group.items()}
        every = list(dict.fromkeys(name for names in spelled.values() for name in names))
        for name in every:
            if lang is None:
                wanted = [n for names in spelled.values() if name in names for n in names]
            else:
                wanted = spelled.get(lang, [])
            table[name] = tuple(dict.fromkeys(n for n in wanted if n != name))
    return table


def others(folded: tuple[str, ...], lang: str | None = None) -> tuple[tuple[str, ...], ...]:
    """The folded tokens of the other names of what `folded` names, as texts in `lang`
    write them; () for other words. A search in one language looks only for the names
    its texts use, so a Vietnamese search for "Hải Phòng" costs what any two words
    cost; a search in every language (None) for the names of the languages that write
    the name typed (海防: Chinese and Japanese, so ハイフォン too), since each other
    name is one more search over the whole index."""
    return _table(lang).get(tuple(folded), ())
