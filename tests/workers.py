"""Two test workers, each with a var folder of its own.

`make test` runs the suite in two processes (pytest-xdist). The content version,
the shared tables, the tallies, the test SQLite file and the last-backup record
live in the var folder, so two workers sharing one would count each other's
readers and bump each other's versions. Loaded with `-p tests.workers` before
Django reads its settings: each worker gets `<var>/workers/<id>/`, with the
collected static files linked in from the main var folder.
"""

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    _main = Path(os.environ.get("CANGXANH_VAR_DIR") or Path(__file__).resolve().parents[1] / "var")
    _own = _main / "workers" / _worker
    _own.mkdir(parents=True, exist_ok=True)
    _static = _own / "static"
    if not _static.is_symlink():
        _static.symlink_to((_main / "static").resolve(), target_is_directory=True)
    os.environ["CANGXANH_VAR_DIR"] = str(_own)
