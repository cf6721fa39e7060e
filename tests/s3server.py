"""An S3-compatible server for the tests: moto's (the `moto[server]` dev pin), in a process
of its own, on a free port of 127.0.0.1, spoken to over real HTTP by boto3 and by plain
anonymous requests. Every request it answers is written to a log, one line each
("PUT /bucket/key 200"), so a test counts the writes a page caused.

Run as `python -m tests.s3server LOG`: prints the port it listens on, then serves until
its standard input closes (the test process ending, however it ends).
"""

import importlib.util
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REGION = "us-east-1"
# moto accepts any key pair; boto3 signs every request with it, as with a real store.
ACCESS_KEY = "cangxanh-test"
SECRET_KEY = "cangxanh-test-secret"


def _logged(app, log_path: str):
    lock = threading.Lock()
    log = open(log_path, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - the process's life

    def wrapper(environ, start_response):
        def start(status, headers, exc_info=None):
            line = f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO', '')} {status[:3]}\n"
            with lock:
                log.write(line)
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapper


def serve(log_path: str) -> None:
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    app = _logged(DomainDispatcherApplication(create_backend_app), log_path)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    print(server.server_port, flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test process goes
    server.shutdown()


@dataclass
class S3Server:
    """A running server: its address, a client for it, and what it was asked."""

    endpoint: str
    log: Path
    process: subprocess.Popen
    buckets: list[str] = field(default_factory=list)

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def requests(self) -> list[tuple[str, str, str]]:
        """(method, path, status) of every request answered so far."""
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [tuple(line.split(" ", 2)) for line in lines if line]

    def mark(self) -> int:
        return len(self.requests())

    def since(self, mark: int) -> list[tuple[str, str, str]]:
        return self.requests()[mark:]

    def writes(self, mark: int = 0) -> Counter:
        """How many times each object was written (PUT, or the POST that completes a
        multipart upload) since `mark`."""
        return Counter(
            path for method, path, status in self.since(mark) if method == "PUT" and status < "300"
        )

    def bucket(self, name: str) -> str:
        self.client().create_bucket(Bucket=name)
        self.buckets.append(name)
        return name


def start(tmp_dir: Path) -> S3Server:
    """Start the server, or skip the test, saying why, when moto is not installed here
    (it is a pinned dev dependency: CI installs it and never skips)."""
    for module in ("moto", "boto3", "storages"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(
                f"{module} is not installed: pip install -e '.[dev]' (moto[server] and "
                "django-storages[s3]) to run the S3 tests"
            )
    log = tmp_dir / "s3-requests.log"
    log.touch()
    with (tmp_dir / "s3-server.err").open("w") as err:  # moto's own log, apart from the tests'
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.s3server", str(log)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            env=os.environ | {"PYTHONWARNINGS": "ignore"},
            text=True,
        )
    port = process.stdout.readline().strip()
    if not port.isdigit():
        stop(process)
        said = (tmp_dir / "s3-server.err").read_text()[-2000:]
        pytest.fail(f"the S3 server did not start (said {port!r}):\n{said}")
    server = S3Server(endpoint=f"http://127.0.0.1:{port}", log=log, process=process)
    deadline = time.monotonic() + 20
    while True:
        try:
            server.client().list_buckets()
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    return server


def stop(process: subprocess.Popen) -> None:
    """End the server: its standard input closes, and it stops."""
    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stdout.close()


def renditions_policy(bucket: str, prefix: str = "renditions") -> str:
    """The bucket policy docs/operations.md gives: anyone may read the renditions, and
    nothing else."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "ReadersLoadRenditions",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{bucket}/{prefix}/*",
                }
            ],
        }
    )


def anonymous_get(url: str):
    """What a stranger's browser gets at an address: status, headers (names in any
    case), body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a test server
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


@dataclass
class Buckets:
    media: str
    private: str
    environ: dict


@contextmanager
def buckets_in_use(settings, server: S3Server, *, private_bucket=False, serve_media=False):
    """This test's media, originals and documents in buckets of its own on the server,
    configured from an environment as settings.py configures them (images.buckets),
    the renditions prefix public by the documented policy unless the app serves media."""
    from cangxanh.documents.models import DocumentFile
    from cangxanh.editorial.models import PendingImage
    from cangxanh.images.buckets import storages_from_env
    from cangxanh.images.models import Image

    run = uuid.uuid4().hex[:10]
    media = server.bucket(f"media-{run}")
    private = server.bucket(f"private-{run}") if private_bucket else media
    environ = {
        "AWS_STORAGE_BUCKET_NAME": media,
        "AWS_S3_ENDPOINT_URL": server.endpoint,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    if private_bucket:
        environ["AWS_ORIGINALS_BUCKET_NAME"] = private
    settings.STORAGES = settings.STORAGES | storages_from_env(
        environ, media_url=settings.MEDIA_URL, serve_media=serve_media
    )
    if not serve_media:
        server.client().put_bucket_policy(Bucket=media, Policy=renditions_policy(media))
    from django.core.files.storage import storages

    fields = {
        Image._meta.get_field("file"): "originals",
        PendingImage._meta.get_field("file"): "originals",
        DocumentFile._meta.get_field("file"): "documents",
    }
    previous = {model_field: model_field.storage for model_field in fields}
    for model_field, alias in fields.items():
        model_field.storage = storages[alias]
    try:
        yield Buckets(media=media, private=private, environ=environ)
    finally:
        for model_field, storage in previous.items():
            model_field.storage = storage


if __name__ == "__main__":
    serve(sys.argv[1])
