"""The city's names in each language, so that a search for one finds the others.

Data, not a thesaurus: only the names of the city the portal belongs to, as
its own articles write them (cangxanh/demo/content: Vietnamese "Hải Phòng",
English "Hai Phong" — the same words once folded —, Chinese 海防, Japanese
ハイフォン, Korean 하이퐁). A Japanese reader may type the Han spelling 海防
too, which the Japanese articles never use: each name finds every other.
Korean 해방 is not one of them (it means "liberation"; 하이퐁 해방 is the
city's liberation), nor is a district, a street or a partner city.

The query side only (`engine.plan`): a unit of the query that is exactly one
of the names, or the words of a query that together are one, is looked for as
any of the names; the index is left as the texts write it. A quoted phrase is
looked for as written.
"""

from functools import lru_cache

from .analyzer import tokens

GROUPS: tuple[tuple[str, ...], ...] = (("Hải Phòng", "海防", "ハイフォン", "하이퐁"),)


@lru_cache(maxsize=1)
def _table() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    table = {}
    for group in GROUPS:
        names = [tuple(t.folded for t in tokens(name)) for name in group]
        for name in names:
            table[name] = tuple(other for other in names if other != name)
    return table


def others(folded: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """The folded tokens of the other names of what `folded` names; () for other words."""
    return _table().get(tuple(folded), ())
