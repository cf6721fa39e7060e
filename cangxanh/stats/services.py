"""Which requests are views, and whose: a person reading the page, not a crawler,
a tool or a prefetch; the reader is their client address and browser.

The counting itself (buffered, exact, once per reader in a window) is in
cangxanh.stats.counter.
"""

import re
from functools import lru_cache

from django.http import HttpRequest

from cangxanh.core.client import client_bytes

# What is not a reader: crawlers, link unfurlers and monitoring tools; browsers
# driven by a program (headless, automation); vulnerability scanners; HTTP
# libraries and command-line tools. Each announces itself here.
BOT_PATTERN = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|bingpreview|facebookexternalhit|facebookcatalog|embedly|"
    r"quora link preview|whatsapp|telegram|discord|slack|skypeuripreview|vkshare|pinterest|"
    r"lighthouse|pagespeed|uptime|pingdom|monitor|yandex|baiduspider|sogou|petalbot|"
    r"bytespider|yeti|daumoa|feedfetcher|mediapartners|"
    # browsers driven by a program
    r"headless|phantomjs|puppeteer|playwright|selenium|webdriver|cypress/|slimerjs|"
    # scanners
    r"sqlmap|nikto|nmap|masscan|zgrab|nuclei|wpscan|gobuster|dirbuster|feroxbuster|ffuf|"
    r"fuzz faster u fool|"
    r"wfuzz|acunetix|nessus|openvas|burp|netsparker|arachni|w3af|skipfish|whatweb|zmeu|"
    r"qualys|jaeles|"
    # libraries and tools
    r"python-requests|python-urllib|python/|aiohttp|httpx|go-http-client|java/|okhttp|"
    r"apache-httpclient|libwww|libcurl|curl/|wget|httpie|scrapy|axios|node-fetch|undici|"
    r"^node$|^node/|\bgot \(|^got/|postman|insomnia|powershell|dart:io|^dart/|deno/|bun/|"
    r"guzzlehttp|ruby|faraday|reqwest|winhttp",
    re.IGNORECASE,
)
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def is_countable(request: HttpRequest) -> bool:
    """A full page view by a person: GET, not a prefetch or preview, not a crawler."""
    return is_countable_meta(request.META)


def is_countable_meta(meta) -> bool:
    """is_countable on a WSGI environ (the page cache has no request object)."""
    if meta.get("REQUEST_METHOD") != "GET":
        return False
    for header in PREFETCH_HEADERS:
        value = meta.get(header)
        if value:
            value = value.lower()
            if "prefetch" in value or "prerender" in value or "preview" in value:
                return False
    return not _looks_automated(meta.get("HTTP_USER_AGENT", ""))


def reader(meta) -> bytes:
    """Who reads, for counting once per reader: client address and browser. Only a
    keyed hash of it is kept (core.tally), under a key that changes every day. The
    address as core.client.client_bytes gives it, then a newline and the browser
    (whose header cannot hold a newline)."""
    agent = meta.get("HTTP_USER_AGENT", "").encode(errors="replace")
    return b"%s\n%s" % (client_bytes(meta), agent)


@lru_cache(maxsize=4096)  # the same few hundred agents make most requests
def _looks_automated(agent: str) -> bool:
    """Automated, or hiding what it is: a browser always names itself."""
    return not agent.strip() or BOT_PATTERN.search(agent) is not None
