"""`python -m cangxanh.serve`: the production server, as `make run` starts it.

Chosen by measurement (docs/operations.md, bench/README.md): granian's WSGI
server with one blocking thread per worker. It keeps connections alive, which
gunicorn's sync workers cannot, and with one thread the workers never fight
over the GIL, so a rendered page costs what it costs under gunicorn while a
page-cache hit costs a fraction of it.
"""

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="cangxanh.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "2")))
    parser.add_argument("--access-log", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        "1",
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "10",
    ]
    if args.access_log:
        command.append("--access-log")
    command.append("cangxanh.wsgi:application")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cangxanh.settings")
    # The port the addresses the portal writes name (settings.SITE_PORT), when no site
    # address says otherwise: the one it serves on.
    os.environ["PORT"] = str(args.port)
    # Few malloc arenas: a worker has several threads (the server's, the view
    # counter's), and an arena per thread only grows resident memory.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    os.execv(sys.executable, command)


if __name__ == "__main__":
    main()
