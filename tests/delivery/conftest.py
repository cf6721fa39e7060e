import re
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from cangxanh.delivery.front import PageCache

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
VIEWS = re.compile(r"data-views>([\d.,]+)")


class Answer:
    def __init__(self, status: str, headers: list, body: bytes):
        self.status = int(status.split()[0])
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def hit(self) -> bool:
        return self.headers.get("x-cache") == "hit"

    @property
    def views(self) -> int:
        return int(VIEWS.search(self.text).group(1).replace(".", "").replace(",", ""))


def reader(number: int) -> dict:
    """The headers of reader `number`, as a proxy on this machine (trusted) forwards
    them: a view counts once per reader, so distinct views need distinct readers."""
    return {"x_forwarded_for": f"203.0.113.{number}"}


def call(app, path: str, method: str = "GET", remote_addr="127.0.0.1", **headers) -> Answer:
    """One request through the real WSGI stack: the page cache, then Django."""
    path, _, query = path.partition("?")
    environ = {
        "REMOTE_ADDR": remote_addr,
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "testserver",
        "HTTP_USER_AGENT": CHROME,
    }
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    environ = {k: v for k, v in environ.items() if v is not None}  # None: leave it out
    setup_testing_defaults(environ)
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    # As Django's test client does: the test's own transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(seen["status"], seen["headers"], body)


@pytest.fixture(params=["local", "redis"])
def front(request, settings):
    """The WSGI application as cangxanh.wsgi builds it, with an empty cache: once with
    this process's memory and the version file, once with Redis (where there is one)."""
    if request.param == "redis":
        request.getfixturevalue("redis_backend")
    settings.PAGE_CACHE = True
    return PageCache(WSGIHandler())


@pytest.fixture
def buffered(settings):
    """Counts wait for an explicit flush, as in production (there every half second)."""
    from cangxanh.stats import counter

    counter.reset()
    settings.VIEWS_FLUSH_SECONDS = 60
    yield counter
    counter.reset()
