"""Production mode refuses unsafe configuration; the embedded mode needs none."""

import subprocess
import sys

import pytest

SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"


def run(env: dict, tmp_path) -> subprocess.CompletedProcess:
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cangxanh.settings",
        "CANGXANH_VAR_DIR": str(tmp_path),
    }
    return subprocess.run(
        [sys.executable, "-c", SETUP], env=base | env, capture_output=True, text=True
    )


def test_embedded_mode_needs_no_configuration(tmp_path):
    result = run({}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout
    assert (tmp_path / "secret_key").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CANGXANH_PRODUCTION": "1"}, "Set SECRET_KEY"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "short"}, "at least 40"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "x" * 50}, "Set ALLOWED_HOSTS"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "*"}, "wildcard"),
    ],
)
def test_production_refuses_unsafe_settings(tmp_path, env, message):
    result = run(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_database_url_selects_postgresql(tmp_path):
    result = run({"DATABASE_URL": "postgres://u@127.0.0.1:5432/x"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout
