"""The portal behind a caching edge (Varnish, a CDN): cache tags and exact purges.

Tags. Every cacheable public page carries the keys of what it shows, in
`xkey` (Varnish's xkey vmod) and `Surrogate-Key` (Fastly and CDNs like it),
space-separated. They are collected per request (a context variable that
DeliveryMiddleware opens): views add theirs, and the `card` template tag adds
the key of each article it shows, so lists, related lists and the home page's
blocks are tagged without anyone listing them.

    cx          every page: site identity, footer, menu, sections, people (purge all)
    a<id>       an article's page in every language, and every card of it
    r<section>  news article pages, whose related list is that section's newest
    s<section>  a section's pages
    home, feed, sitemap
    k-<app>     the pages of another public app (k-documents, k-agenda, k-search …);
                k-api, the open data API's answers, goes with every change
    articles    a page listing more than MAX_ARTICLE_KEYS articles, instead of their keys

Purges. When public content changes (delivery.apps, beside the content
version's bump), the keys of what changed are sent at commit as one
`PURGE` with `xkey-purge: <keys>` to every edge in EDGE_PURGE_URLS, from a
thread of this process: the editor's save never waits on an edge, and a
failure is logged, never raised. An article: its `a<id>`, its section's
`s<id>` (the old one too when it moved), `r<id>` when what is public in the
section changed, `home`, `feed`, `sitemap`, `k-search`, `articles`; another
kind's: its app's key (and sitemap, search); anything else of a public app:
that app's key; the site's own settings, sections and people: `cx`; with
each, `k-api`. Without edges nothing is read or sent.

Scheduled changes need no purge: every public page's max-age (and the
stale-while-revalidate after it) ends by the next scheduled change
(`bounded`, applied by DeliveryMiddleware and the page cache), so no edge
holds a page past it.
"""

import atexit
import contextvars
import http.client
import logging
import os
import re
import threading
import time
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.db import transaction

log = logging.getLogger(__name__)

GLOBAL = "cx"
HOME, FEED, SITEMAP, SEARCH = "home", "feed", "sitemap", "k-search"
API = "k-api"  # the open data API's answers: every kind of content is in them
MANY = "articles"
# Article keys on one page before they give way to MANY (a section page shows 20,
# the home page about 30): the headers stay short for any edge.
MAX_ARTICLE_KEYS = 100
# Keys in one purge before it becomes a purge of everything.
MAX_PURGE_KEYS = 200
TIMEOUT = 2.0  # seconds an edge has to answer a PURGE
# A purge waits this long after the commit: requests that began before it and
# render what was there before are done by then, so an edge does not fetch
# them again. With Redis, every process reads the new content version within
# delivery.version.POLL_SECONDS, which is added.
SETTLE_SECONDS = 0.05
HEADERS = ("xkey", "Surrogate-Key")
# The reference edge's configuration, shipped with the project.
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "cangxanh.vcl"

# --- Tags: what a page shows ------------------------------------------------------

_keys: contextvars.ContextVar[set | None] = contextvars.ContextVar("cangxanh_edge", default=None)


def begin() -> contextvars.Token:
    """Start collecting the keys of the request being served (DeliveryMiddleware)."""
    return _keys.set({GLOBAL})


def end(token: contextvars.Token) -> None:
    _keys.reset(token)


def add(*keys: str) -> None:
    """Tag the page being rendered with `keys` (nothing outside a request)."""
    collected = _keys.get()
    if collected is not None:
        collected.update(keys)


def article(article_id: int) -> None:
    """The page shows this article (its page, or a card of it)."""
    collected = _keys.get()
    if collected is not None:
        collected.add(f"a{article_id}")


def header_value(keys) -> str:
    """The keys as the tag headers carry them, sorted, with MANY for a long list."""
    articles = [key for key in keys if _ARTICLE.fullmatch(key)]
    if len(articles) > MAX_ARTICLE_KEYS:
        keys = {key for key in keys if not _ARTICLE.fullmatch(key)} | {MANY}
    return " ".join(sorted(keys))


_ARTICLE = re.compile(r"a\d+")


def tag(response) -> None:
    """Put the collected keys on a public page's response."""
    value = header_value(_keys.get() or {GLOBAL})
    for name in HEADERS:
        response[name] = value


@lru_cache(maxsize=64)
def app_key(module: str) -> str | None:
    """The key of a view's pages by its module's app: `k-<label>`; None for news,
    whose views say what they show."""
    config = apps.get_containing_app_config(module)
    if config is None or config.label == "news":
        return None
    return f"k-{config.label}"


# --- Lifetimes: nothing kept past the next scheduled change -----------------------

_DIRECTIVE = re.compile(r"\b(max-age|s-maxage|stale-while-revalidate)\s*=\s*(\d+)", re.IGNORECASE)


def _directives(value: str) -> dict[str, int]:
    return {name.lower(): int(number) for name, number in _DIRECTIVE.findall(value)}


@lru_cache(maxsize=256)
def _lifetime(value: str) -> int:
    """How long an edge may keep an answer with this Cache-Control, stale included."""
    found = _directives(value)
    fresh = max(found.get("max-age", 0), found.get("s-maxage", 0))
    return fresh + found.get("stale-while-revalidate", 0)


def bounded(value: str, due: float, now: float | None = None) -> str:
    """Cache-Control `value` cut so that nothing kept under it, fresh or stale,
    outlives the scheduled change at `due` (a Unix time; 0: none)."""
    if not due:
        return value
    left = due - (time.time() if now is None else now)
    if left >= _lifetime(value):
        return value
    left = max(0, int(left))
    found = _directives(value)
    fresh = min(max(found.get("max-age", 0), found.get("s-maxage", 0)), left)

    def cut(match) -> str:
        name, number = match.group(1), int(match.group(2))
        if name.lower() == "stale-while-revalidate":
            return f"{name}={max(0, min(number, left - fresh))}"
        return f"{name}={min(number, left)}"

    return _DIRECTIVE.sub(cut, value)


# Longer than any public answer's lifetime, stale included (a page's is at most
# PAGE_CACHE_MAX_AGE plus PAGE_CACHE_STALE): a change further off cuts nothing.
FAR = 7 * 86400


def bounded_headers(headers: list, due: float) -> list:
    """A stored page's (name, value) headers with its Cache-Control `bounded` (on every
    page-cache hit: a scheduled change further off than FAR costs one comparison)."""
    if not due or due - time.time() > FAR:
        return headers
    out = []
    for name, value in headers:
        if name == "Cache-Control":
            value = bounded(value, due)
        out.append((name, value))
    return out


# --- Purges: what a change shows up on ------------------------------------------


def enabled() -> bool:
    return bool(settings.EDGE_PURGE_URLS)


def _kind_key(code: str) -> str | None:
    """The key of the pages of another kind's app (from where its pages are made)."""
    from cangxanh.news import kinds

    kind = kinds.get(code)
    made_by = kind and (kind.url or kind.list_url)
    return app_key(made_by.__module__) if made_by else f"k-{code}"


def article_keys(
    article_id: int,
    kind: str | None,
    sections=(),
    listed_changed: bool = True,
) -> set[str]:
    """What shows an article: its pages and cards, the lists it is in."""
    from cangxanh.news import kinds

    keys = {f"a{article_id}", MANY}
    found = kinds.get(kind) if kind else None
    if kind is None or kind == kinds.NEWS:
        keys |= {HOME, FEED, SITEMAP}
        for section_id in sections:
            if section_id is not None:
                keys.add(f"s{section_id}")
                if listed_changed:
                    keys.add(f"r{section_id}")
    else:
        key = _kind_key(kind)
        if key:
            keys.add(key)
        if found is None or found.in_sitemap:
            keys.add(SITEMAP)
    if found is None or found.searchable:
        keys.add(SEARCH)
    return keys


# What a translation's row holds that decides which lists it is in.
_LISTED = ("status", "published_at", "language")


def before_save(sender, instance, raw=False, **kwargs) -> None:
    """pre_save of articles and translations: what the row held, for `keys_of`."""
    if raw or not enabled() or instance.pk is None:
        return
    from cangxanh.news.models import Article, ArticleTranslation

    if isinstance(instance, ArticleTranslation):
        instance._edge_before = (
            ArticleTranslation.objects.filter(pk=instance.pk).values_list(*_LISTED).first()
        )
    elif isinstance(instance, Article):
        instance._edge_before = (
            Article.objects.filter(pk=instance.pk).values_list("section_id", flat=True).first()
        )


def _listed(row) -> bool:
    from cangxanh.news.models import Status

    return row is not None and row[0] == Status.PUBLISHED


def keys_of(instance, deleted: bool = False) -> set[str]:
    """The keys of the pages that show `instance` of a public app."""
    from cangxanh.news.models import Article, ArticleImage, ArticleTranslation

    if isinstance(instance, ArticleTranslation):
        row = (
            Article.objects.filter(pk=instance.article_id).values_list("kind", "section_id").first()
        )
        kind, section_id = row or (None, None)
        now = None if deleted else tuple(getattr(instance, name) for name in _LISTED)
        before = getattr(instance, "_edge_before", None)
        changed = (now != before) and (_listed(now) or _listed(before))
        return article_keys(instance.article_id, kind, [section_id], changed)
    if isinstance(instance, Article):
        before = getattr(instance, "_edge_before", instance.section_id)
        return article_keys(instance.pk, instance.kind, {instance.section_id, before})
    if isinstance(instance, ArticleImage):
        return _article_ids_keys([instance.article_id])
    label = instance._meta.app_label
    if label == "images":
        return _image_keys(instance)
    if label in ("core", "news"):
        return {GLOBAL}  # the site's identity and links, sections, people, sources
    key = f"k-{label}"
    from cangxanh.news import sitemaps

    return {key, SITEMAP} if label in sitemaps.OTHER_SITEMAPS else {key}


def _article_ids_keys(article_ids) -> set[str]:
    from cangxanh.news.models import Article

    keys: set[str] = set()
    for pk, kind, section_id in Article.objects.filter(pk__in=list(article_ids)).values_list(
        "pk", "kind", "section_id"
    ):
        keys |= article_keys(pk, kind, [section_id], listed_changed=False)
    return keys


def _image_keys(instance) -> set[str]:
    """A picture shows on the articles that use it (cards included) and on other
    apps' records (a partner's picture)."""
    from cangxanh.images import access
    from cangxanh.images.models import BodyImage, Image
    from cangxanh.news.models import ArticleImage

    if isinstance(instance, BodyImage):
        from cangxanh.news.models import ArticleTranslation

        ids = ArticleTranslation.objects.filter(pk=instance.translation_id).values_list(
            "article_id", flat=True
        )
        return _article_ids_keys(ids)
    image_id = instance.pk if isinstance(instance, Image) else getattr(instance, "image_id", None)
    if image_id is None:
        return {GLOBAL}
    ids = set(ArticleImage.objects.filter(image_id=image_id).values_list("article_id", flat=True))
    ids |= set(
        BodyImage.objects.filter(image_id=image_id).values_list(
            "translation__article_id", flat=True
        )
    )
    if len(ids) > MAX_ARTICLE_KEYS:
        return {GLOBAL}
    keys = _article_ids_keys(ids)
    for uses in access.OTHER_PUBLIC_USES:
        if image_id in uses():
            keys.add(app_key(uses.__module__) or GLOBAL)
    return keys


def changed(instance, deleted: bool = False) -> None:
    """A row of a public app was saved or deleted: purge what shows it, at commit."""
    if not enabled():
        return
    from . import version

    bulk = getattr(version._deferred, "depth", 0)  # a bulk load: everything, once
    purge({GLOBAL} if bulk else keys_of(instance, deleted) | {API})


def purge(keys) -> None:
    """Send `keys` to every edge once the transaction commits (at once outside one)."""
    if not enabled() or not keys:
        return
    keys = frozenset(keys)
    urls = tuple(settings.EDGE_PURGE_URLS)
    transaction.on_commit(lambda: _sender.put(keys, urls), robust=True)


# --- Sending ----------------------------------------------------------------------


def send(keys, urls=None) -> dict[str, str]:
    """PURGE `keys` at each edge now; what each answered ('' when it failed)."""
    keys = set(keys)
    if len(keys) > MAX_PURGE_KEYS:
        keys = {GLOBAL}
    value = " ".join(sorted(keys))
    answers = {}
    for url in settings.EDGE_PURGE_URLS if urls is None else urls:
        answers[url] = _send_one(url, value)
    return answers


def _send_one(url: str, value: str) -> str:
    parts = urlsplit(url)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    for attempt in (1, 2):
        connection = kind(parts.hostname, parts.port, timeout=TIMEOUT)
        try:
            connection.request("PURGE", parts.path or "/", headers={"xkey-purge": value})
            answer = connection.getresponse()
            answer.read()
            if answer.status < 300:
                return f"{answer.status} {answer.reason}"
            problem = f"{answer.status} {answer.reason}"
        except (OSError, http.client.HTTPException) as exc:
            problem = repr(exc)
        finally:
            connection.close()
        log.warning("edge purge of %r at %s failed (try %d): %s", value, url, attempt, problem)
        if attempt == 1:
            time.sleep(0.2)
    return ""


def _settle() -> float:
    from cangxanh.core import redis

    from . import version

    return SETTLE_SECONDS + (version.POLL_SECONDS if redis.enabled() else 0.0)


class _Sender:
    """One thread per process sends the purges, each batch once it has settled: keys
    queued meanwhile (the other rows of one commit) travel in the same PURGE."""

    def __init__(self):
        self._cond = threading.Condition()
        self._keys: dict[tuple, set[str]] = {}  # by the edges they go to
        self._due = 0.0
        self._busy = False
        self._pid = None

    def put(self, keys, urls: tuple) -> None:
        with self._cond:
            self._keys.setdefault(urls, set()).update(keys)
            self._due = max(self._due, time.monotonic() + _settle())
            if self._pid != os.getpid():  # first use in this process (or after a fork)
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="edge-purge", daemon=True).start()
            self._cond.notify_all()

    def _take(self) -> dict[tuple, set[str]]:
        with self._cond:
            while True:
                if self._keys:
                    wait = self._due - time.monotonic()
                    if wait <= 0:
                        batches, self._keys = self._keys, {}
                        self._busy = True
                        return batches
                    self._cond.wait(wait)
                else:
                    self._cond.wait()

    def _run(self) -> None:
        while True:
            batches = self._take()
            try:
                for urls, keys in batches.items():
                    send(keys, urls)
            except Exception:
                log.exception("edge purge failed")
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()

    def wait(self, timeout: float = 10.0) -> bool:
        """Until every queued purge is sent (tests, commands); False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._keys or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

    def flush(self) -> None:
        """At exit: what is still queued is sent now, from this thread."""
        with self._cond:
            batches, self._keys = self._keys, {}
        for urls, keys in batches.items():
            send(keys, urls)


_sender = _Sender()
atexit.register(_sender.flush)


def wait(timeout: float = 10.0) -> bool:
    return _sender.wait(timeout)


VIEWS_MODES = ("esi", "log")


def vcl_for(origin_port: int, text: str | None = None, views: str | None = None) -> str:
    """The project's VCL (or `text`, a variant of it) with its backend pointed at
    `origin_port` on 127.0.0.1: what the cluster, the tests and the edge bench give
    varnishd. `views`: how it counts views, "esi" or "log" (docs/operations.md,
    "Counting views at the edge"); None keeps the file's."""
    text, found = re.subn(
        r'(\.port\s*=\s*")\d+(")',
        rf"\g<1>{origin_port}\g<2>",
        VCL.read_text() if text is None else text,
        count=1,
    )
    if not found:
        raise ValueError(f"the VCL names no backend port to point at the origin ({VCL})")
    if views is not None:
        if views not in VIEWS_MODES:
            raise ValueError(f"views: {views!r} is not one of {VIEWS_MODES}")
        text, found = re.subn(
            r'(set req\.http\.x-cx-views = ")[a-z]+(";)', rf"\g<1>{views}\g<2>", text, count=1
        )
        if not found:
            raise ValueError(f"the VCL says nowhere how it counts views ({VCL})")
    return text
