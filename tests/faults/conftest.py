"""Faults against real parts: the production server (granian, as cangxanh.serve starts
it) in subprocesses sharing this test's database, processes killed with SIGKILL, a
private Redis stopped and started, the database connection cut, a full file system.

Each fixture skips, saying why, where its part is missing on this machine."""

import selectors
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager, suppress
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group

from cangxanh.editorial import roles
from cangxanh.editorial.models import StaffProfile
from tests.servers import free_port, granian, is_postgresql, process_env

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
PROJECT = settings.PROJECT_DIR


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    @property
    def hit(self) -> bool:
        return self.headers.get("x-cache") == "hit"


def fetch(url: str, *, method: str = "GET", data: bytes | None = None, **headers) -> Answer:
    """One request; an error status is an answer like any other."""
    headers = {"User-Agent": CHROME, **{k.replace("_", "-"): v for k, v in headers.items()}}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return Answer(answer.status, _lower(answer.headers), answer.read().decode())
    except urllib.error.HTTPError as answer:
        with answer:
            return Answer(answer.code, _lower(answer.headers), answer.read().decode())


def _lower(headers) -> dict:
    return {k.lower(): v for k, v in headers.items()}


@contextmanager
def live_server(workers: int = 1, **env):
    """The production server on this test's database and var folder; yields its base URL."""
    with granian(process_env(**env), workers) as (base, _process):
        yield base


@pytest.fixture
def approver(django_user_model):
    user = django_user_model.objects.create_user("approver", password="pw-123456", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.APPROVER))
    StaffProfile.objects.create(user=user, languages=["vi", "en", "ko", "ja", "zh-hans"])
    return user


# --- A private Redis, stopped and started by the test ---


class PrivateRedis:
    """redis-server on a spare port, its append-only file in a folder of the test's own,
    so what it held before a stop is there after a start (as operations.md asks)."""

    def __init__(self, binary: str, folder):
        self.binary, self.folder = binary, folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self) -> None:
        command = [
            *(self.binary, "--port", str(self.port), "--bind", "127.0.0.1"),
            *("--dir", str(self.folder), "--appendonly", "yes", "--appendfsync", "always"),
            *("--save", "", "--daemonize", "no", "--loglevel", "warning"),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        for _ in range(100):
            if self.ping():
                return
            time.sleep(0.05)
        pytest.fail("the private redis-server did not start")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """As an operator stops it (SIGTERM): it writes what it holds and exits."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None


@pytest.fixture
def private_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed here (Debian: apt-get install redis-server)")
    server = PrivateRedis(binary, tmp_path)
    server.start()
    yield server
    server.stop()


# --- A connection to PostgreSQL that the test can cut ---


class Cuttable:
    """A TCP relay between the servers and PostgreSQL. `cut()` drops every connection
    and refuses new ones, as a database being restarted does; `restore()` lets them in
    again on the same port."""

    def __init__(self, host: str, port: int):
        self.upstream = (host, port)
        self.port = free_port()
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener = None
        self._threads: list[threading.Thread] = []

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        self._spawn(self._accept, listener)

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets = set(self._sockets)
        # Shut down, not closed: each thread wakes up to the end of its sockets and
        # closes them itself (a socket closed under a waiting selector wakes nobody).
        for sock in [listener, *sockets]:
            if sock is not None:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout=5)
        if listener is not None:
            listener.close()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
                thread = threading.Thread(target=self._relay, args=(client, server), daemon=True)
                self._threads.append(thread)
            thread.start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        pairs = {client: server, server: client}
        with selectors.DefaultSelector() as selector:
            for sock in pairs:
                sock.setblocking(True)
                selector.register(sock, selectors.EVENT_READ)
            try:
                while True:
                    for key, _events in selector.select(timeout=1):
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        pairs[key.fileobj].sendall(data)
            except (OSError, ValueError):
                return  # cut, or the other end went away
            finally:
                with self._lock:
                    self._sockets -= set(pairs)
                for sock in pairs:
                    with suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)
                    sock.close()


@pytest.fixture
def cuttable_database():
    """PostgreSQL behind a relay this test cuts; skipped on SQLite, which has no server
    to lose."""
    if not is_postgresql():
        pytest.skip(
            "the database is SQLite: losing the database server needs PostgreSQL "
            "(run with DATABASE_URL=postgres://…)"
        )
    db = settings.DATABASES["default"]
    host, port = db["HOST"] or "127.0.0.1", int(db["PORT"] or 5432)
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        pytest.skip(f"PostgreSQL not reachable at {host}:{port}")
    relay = Cuttable(host, port)
    relay.restore()
    yield relay
    relay.cut()
