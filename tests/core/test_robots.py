"""robots.txt, read by two kinds of parser that must agree on every path.

Python's `urllib.robotparser` takes the first rule whose path is a prefix of
the address, literally; Google's parser (RFC 9309) takes the longest matching
rule, with `*` and `$` as wildcards, and prefers Allow on a tie. A file only
of Disallow lines reads the same to both; the evaluator below is Google's rule,
written here so the test does not trust the file's own assumptions.
"""

import re
from urllib.robotparser import RobotFileParser

import pytest

PATHS = {
    # path: whether a crawler may fetch it
    "/": True,
    "/vi/": True,
    "/vi/hop-tac-quoc-te/doan-dai-bieu-1/": True,
    "/en/a/1/": True,
    "/vi/feed/": True,
    "/en/international-cooperation/feed/atom/": True,
    "/vi/sitemap/": True,
    "/sitemap.xml": True,
    "/sitemap-articles-vi.xml?p=2": True,
    "/media/renditions/x.jpg": True,
    "/static/cangxanh/logo.png": True,
    "/vi/searching-for-partners-2/": True,  # an article slug, not the search page
    "/admin/": False,
    "/admin/login/?next=/admin/": False,
    "/editorial/": False,
    "/editorial/images/3/original/": False,
    "/preview/1/": False,
    "/vi/search/?q=x": False,
    "/en/search/": False,
    "/ko/search/?q=%ED%95%AD%EA%B5%AC": False,
    "/ja/search/": False,
    "/zh-hans/search/?q=x&page=2": False,
}


def rules_of(text: str) -> list[tuple[bool, str]]:
    """The (allow, path) rules of the group for every user agent."""
    rules = []
    applies = False
    for line in text.splitlines():
        field, _, value = line.partition(":")
        field, value = field.strip().lower(), value.strip()
        if field == "user-agent":
            applies = value == "*"
        elif applies and field in {"allow", "disallow"} and value:
            rules.append((field == "allow", value))
    return rules


def _pattern(rule: str) -> re.Pattern:
    anchored = rule.endswith("$")
    body = re.escape(rule.removesuffix("$")).replace(r"\*", ".*")
    return re.compile(body + ("$" if anchored else ""))


def longest_match_allows(rules: list[tuple[bool, str]], path: str) -> bool:
    """Google's reading: the longest matching rule wins, Allow on a tie; none matching allows."""
    best: tuple[int, bool] | None = None
    for allow, rule in rules:
        if _pattern(rule).match(path):
            candidate = (len(rule), allow)
            if best is None or candidate > best:
                best = candidate
    return True if best is None else best[1]


def test_the_evaluator_reads_wildcards_and_length_the_way_google_does():
    rules = [(True, "/"), (False, "/*/search/"), (True, "/p$"), (False, "/p")]
    assert longest_match_allows(rules, "/vi/search/?q=x") is False
    assert longest_match_allows(rules, "/vi/") is True
    assert longest_match_allows(rules, "/p") is True
    assert longest_match_allows(rules, "/page") is False
    # The file issue 11 found: Python's parser, first match first, allowed /admin/.
    first_match = RobotFileParser()
    first_match.parse(["User-agent: *", "Allow: /", "Disallow: /admin/"])
    assert first_match.can_fetch("*", "/admin/") is True
    assert longest_match_allows([(True, "/"), (False, "/admin/")], "/admin/") is False


@pytest.fixture
def robots(client) -> str:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=86400"
    return response.content.decode()


def test_robots_txt_holds_only_disallow_rules_and_the_sitemap(robots, settings):
    lines = [line for line in robots.splitlines() if line]
    assert lines[0] == "User-agent: *"
    assert not [line for line in lines if line.lower().startswith("allow")]
    assert "Disallow: /" not in lines
    for code, _name in settings.LANGUAGES:
        assert f"Disallow: /{code}/search/" in lines
    disallowed = [line for line in lines if line.startswith("Disallow:")]
    assert not [line for line in disallowed if "*" in line or "$" in line], "no wildcards"
    assert lines[-1] == "Sitemap: https://portal.example/sitemap.xml"


@pytest.mark.parametrize("path, allowed", PATHS.items())
def test_both_parsers_read_every_path_the_same_way(robots, path, allowed):
    python = RobotFileParser()
    python.parse(robots.splitlines())
    rules = rules_of(robots)
    assert python.can_fetch("AnyBot", path) is allowed
    assert python.can_fetch("*", path) is allowed
    assert longest_match_allows(rules, path) is allowed


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.SITE_URL = "https://portal.example"


def test_the_sitemap_line_is_on_the_site_address_whatever_the_host(client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "forged.example"]
    text = client.get("/robots.txt", HTTP_HOST="forged.example").content.decode()
    assert "Sitemap: https://portal.example/sitemap.xml" in text.splitlines()
    assert "forged.example" not in text
    python = RobotFileParser()
    python.parse(text.splitlines())
    assert python.site_maps() == ["https://portal.example/sitemap.xml"]
