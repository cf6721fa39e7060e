"""Where a counted view came from, by kind only: a search engine, a social network,
this portal itself, another site, or nothing (direct: typed, a bookmark, an app).

Only the Referer header's host is read, and only its kind is kept (per day, in
`DailyReferrers`): never the address, the referring page or its host. Browsers
send most cross-site referrers as the origin alone anyway
(strict-origin-when-cross-origin).
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

# Imported by the page cache before Django is set up: no models here (their names
# are models.ReferrerKind), and core.site only when first asked.
SEARCH, SOCIAL, DIRECT, OTHER, INTERNAL = "search", "social", "direct", "other", "internal"
KINDS = (SEARCH, SOCIAL, DIRECT, OTHER, INTERNAL)

# Search engines whose name is the label before a country's or a generic ending
# (google.com.vn, google.co.jp, yahoo.co.jp, yandex.ru …), and those known by one domain.
SEARCH_NAMES = {"google", "bing", "yahoo", "yandex", "baidu", "naver", "coccoc", "duckduckgo"}
SEARCH_DOMAINS = {
    "search.brave.com", "ecosia.org", "qwant.com", "startpage.com", "sogou.com", "so.com",
    "seznam.cz", "search.daum.net", "ya.ru", "search.aol.com", "petalsearch.com", "yep.com",
    "kagi.com", "search.naver.com",
}  # fmt: skip
# Hosts of those names that are not their search (mail, documents, news …): other sites.
NOT_SEARCH = {"mail", "docs", "drive", "sites", "groups", "calendar", "meet", "chat",
              "classroom", "photos", "keep", "maps", "news", "finance", "blog", "cafe",
              "translate", "play", "support", "developers", "ads", "analytics",
              "accounts"}  # fmt: skip
# Social networks and messengers, by domain (subdomains included: m., l., lm., chat. …).
SOCIAL_DOMAINS = {
    "facebook.com", "fb.com", "fb.me", "messenger.com", "instagram.com", "threads.net",
    "zalo.me", "zaloapp.com", "zalo.vn", "x.com", "twitter.com", "t.co", "linkedin.com",
    "lnkd.in", "kakao.com", "kakaotalk.com", "cafe.daum.net", "line.me",
    "weibo.com", "weibo.cn", "t.cn", "youtube.com", "youtu.be", "tiktok.com", "reddit.com",
    "pinterest.com", "t.me", "telegram.org", "whatsapp.com", "vk.com", "douyin.com",
    "bilibili.com", "xiaohongshu.com", "blog.naver.com", "cafe.naver.com", "band.us",
}  # fmt: skip
# Android apps announce themselves as android-app://<package>/.
APPS = {
    "com.google.android.googlequicksearchbox": SEARCH,
    "com.google.android.gm": OTHER,
    "com.facebook.katana": SOCIAL, "com.facebook.orca": SOCIAL, "com.facebook.lite": SOCIAL,
    "com.zing.zalo": SOCIAL, "com.linkedin.android": SOCIAL, "com.kakao.talk": SOCIAL,
    "jp.naver.line.android": SOCIAL, "com.twitter.android": SOCIAL,
    "com.instagram.android": SOCIAL, "com.zhiliaoapp.musically": SOCIAL,
    "com.ss.android.ugc.trill": SOCIAL, "com.google.android.youtube": SOCIAL,
    "org.telegram.messenger": SOCIAL, "com.sina.weibo": SOCIAL,
}  # fmt: skip
# Endings a search engine's name may stand before: com, vn, com.vn, co.jp, co.kr, …
_ENDING_MAX_LABELS = 2
_ENDING_LABEL_MAX = 3


def _host(value: str) -> str:
    """A host as compared here: lowercase, without port or final dot (an IPv6
    literal without its brackets)."""
    host = value.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _within(host: str, domains: set[str]) -> bool:
    """`host` is one of `domains` or a subdomain of one."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))


def _search_engine(host: str) -> bool:
    if _within(host, SEARCH_DOMAINS):
        return True
    labels = host.split(".")
    for index, label in enumerate(labels):
        if label not in SEARCH_NAMES:
            continue
        ending = labels[index + 1 :]
        if not 1 <= len(ending) <= _ENDING_MAX_LABELS:
            continue
        if any(len(part) > _ENDING_LABEL_MAX for part in ending):
            continue
        return not any(label in NOT_SEARCH for label in labels[:index])
    return False


@lru_cache(maxsize=4096)
def host_kind(host: str, own: frozenset[str]) -> str:
    """The kind of a referring host, given this portal's own hosts."""
    if not host:
        return DIRECT
    if host in own or host.removeprefix("www.") in own:
        return INTERNAL
    if _search_engine(host):
        return SEARCH
    if _within(host, SOCIAL_DOMAINS):
        return SOCIAL
    return OTHER


@lru_cache(maxsize=8)
def _site_host(address: str) -> str:
    return _host(urlsplit(address).netloc)


def classify(referer: str | None, request_host: str | None = None) -> str:
    """The kind of a Referer header's value, for a request to `request_host`."""
    if not referer or not referer.strip():
        return DIRECT
    try:
        parts = urlsplit(referer.strip()[:2048])
        host = _host(parts.hostname or "") if parts.netloc else ""
    except ValueError:  # a malformed address (a bad port, brackets): not a site we know
        return OTHER
    if parts.scheme == "android-app":
        return APPS.get(host, OTHER)
    if parts.scheme not in ("http", "https") or not host:
        return OTHER
    from cangxanh.core.site import site_url

    own = {_site_host(site_url())}
    if request_host:
        own.add(_host(request_host))
    return host_kind(host, frozenset(own - {""}))


def kind_of(meta) -> str:
    """The referrer kind of a request, from its WSGI environ (or request.META)."""
    return classify(meta.get("HTTP_REFERER"), meta.get("HTTP_HOST") or meta.get("SERVER_NAME"))
