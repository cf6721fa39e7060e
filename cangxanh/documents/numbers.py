"""Document numbers as people type them: `62/2025/QĐ-UBND`, `qd-ubnd 62`, `62/2025`.

A number becomes tokens: accents and đ folded, lower case, split on anything
that is not a letter or a digit, leading zeros dropped (05/2024 and 5/2024 are
one number): `62/2025/QĐ-UBND` → `62 2025 qd ubnd`. `number_key` is what a
document stores; a query matches when every one of its tokens is among the
key's, in any order. The search engine's rule that words stand together is
deliberately not used: `qd-ubnd 62` must find `62/2025/QĐ-UBND`.

Pure functions; the folding is done here rather than borrowed from
`cangxanh.search.analyzer`, which sits in a layer above this app (and stems
English plurals, which a number must never be).
"""

import re
import unicodedata

# A pasted paragraph is not a number: only its start is looked at.
MAX_QUERY_CHARS = 200
MAX_TOKENS = 16

# Abbreviations of Vietnamese document types and issuing bodies, folded: a query made
# of one of these and a number is a document number, not words to search for.
ABBREVIATIONS = frozenset(
    {
        # Types: decision, decree, circular, joint circular, directive, plan, official
        # letter, resolution, notice, report, instruction, conclusion, submission,
        # official dispatch, programme, regulation, appendix, standing committee.
        "qd",
        "nd",
        "tt",
        "ttlt",
        "ct",
        "kh",
        "cv",
        "nq",
        "tb",
        "bc",
        "hd",
        "kl",
        "ttr",
        "cd",
        "ctr",
        "qc",
        "pl",
        "ubtvqh",
        # Issuers: people's committee and council, government, prime minister, national
        # assembly, ministries, the foreign affairs department.
        "ubnd",
        "hdnd",
        "cp",
        "ttg",
        "qh",
        "btttt",
        "bng",
        "bca",
        "bqp",
        "btc",
        "bnv",
        "bkhdt",
        "bgddt",
        "byt",
        "bxd",
        "bct",
        "btp",
        "sngv",
        "ngv",
        "vpcp",
        "btv",
    }
)

_LETTER_FOLD = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "ı": "i"})
_TOKEN_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: `QĐ-UBND` → `qd-ubnd`, full-width digits made plain."""
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_LETTER_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _token(token: str) -> str:
    # 05 and 5 are the same number; 0 stays 0.
    return (token.lstrip("0") or "0") if token.isdigit() else token


def tokens(text: str) -> list[str]:
    """The tokens of a number or a query, in order, without repeats."""
    found: list[str] = []
    for match in _TOKEN_RE.finditer(fold(text[:MAX_QUERY_CHARS])):
        token = _token(match.group())
        if token not in found:
            found.append(token)
    return found[:MAX_TOKENS]


def number_key(number: str) -> str:
    """What a document stores for its number: `62/2025/QĐ-UBND` → `62 2025 qd ubnd`."""
    return " ".join(tokens(number))


def query_tokens(query: str) -> list[str]:
    """What a query needs to find in a key: each token, anywhere in it."""
    return tokens(query)


def matches(query: str, key: str) -> bool:
    """Whether every token of `query` is in `key` (a `number_key`), in any order."""
    wanted = query_tokens(query)
    return bool(wanted) and set(wanted) <= set(key.split())


def looks_like_number(query: str) -> bool:
    """Whether a search box should try the query as a document number first.

    It needs a digit, and a slash or a known abbreviation: `62/2025`, `qd-ubnd 62`
    and `QĐ 62` are numbers; `2025` and `hội nghị 2025` are words.
    """
    text = (query or "")[:MAX_QUERY_CHARS]
    if not any(c.isdigit() for c in text):
        return False
    if "/" in text or "／" in text:
        return True
    return any(token in ABBREVIATIONS for token in tokens(text))


def only_number(query: str) -> bool:
    """Whether the query is a number and nothing else: it looks like one, and each of its
    tokens is digits or a known abbreviation (`qd-ubnd 62`, `QĐ 62`, `62/2025/QĐ-UBND`;
    not `decision 62/2025`). Its pieces then mean that number only, the same in every
    language: standing apart in a text ("QĐ" in one line, "62" in another), they
    mention no number.
    """
    return looks_like_number(query) and all(
        token.isdigit() or token in ABBREVIATIONS for token in tokens(query)
    )
