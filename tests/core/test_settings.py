"""Production mode refuses unsafe configuration; the embedded mode needs none."""

import subprocess
import sys
from pathlib import Path

import pytest

KEY = "q3Jx9-Vr2LmT8pZ0aW4sYc7NdE1hGk6uB5fQoIjR_tXnMvyS-8kWp2Lz"
PRODUCTION = {"CANGXANH_PRODUCTION": "1", "SECRET_KEY": KEY, "ALLOWED_HOSTS": "portal.example.vn"}
MANAGE = str(Path(__file__).resolve().parents[2] / "manage.py")
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
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "short"}, "at least 50"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "x" * 60}, "at least 50"),  # 1 character
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": "django-insecure-" + KEY}, "at least 50"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": KEY}, "Set ALLOWED_HOSTS"),
        ({"CANGXANH_PRODUCTION": "1", "SECRET_KEY": KEY, "ALLOWED_HOSTS": "*"}, "wildcard"),
        (PRODUCTION | {"DEBUG": "1"}, "DEBUG must be off"),
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


def manage(args: list[str], env: dict, tmp_path) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "CANGXANH_VAR_DIR": str(tmp_path)}
    return subprocess.run(
        [sys.executable, MANAGE, *args], env=base | env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_with_the_documented_production_settings(tmp_path):
    result = manage(["check", "--deploy"], PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_is_refused_in_production(tmp_path):
    result = manage(["demo"], PRODUCTION, tmp_path)
    assert result.returncode != 0
    assert "refused in production" in result.stderr


def test_make_run_in_production_never_loads_the_demo():
    project = Path(MANAGE).parent
    plan = subprocess.run(
        ["make", "-n", "run", "CANGXANH_PRODUCTION=1"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert plan.returncode == 0, plan.stderr
    assert "manage.py migrate" in plan.stdout and "manage.py demo" not in plan.stdout
    embedded = subprocess.run(
        ["make", "-n", "run"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert "manage.py demo" in embedded.stdout


def test_an_account_with_the_demo_password_fails_the_checks_in_production(
    db, settings, django_user_model
):
    from cangxanh.demo.checks import check_demo_password
    from cangxanh.demo.loader import DEMO_PASSWORD

    user = django_user_model.objects.create_user("duyet", password=DEMO_PASSWORD, is_staff=True)
    settings.PRODUCTION = False
    assert check_demo_password(None) == []  # the embedded demo may keep it
    settings.PRODUCTION = True
    errors = check_demo_password(None)
    assert [e.id for e in errors] == ["cangxanh.E003"] and "duyet" in errors[0].msg
    user.set_password("a-long-new-password-2026")
    user.save()
    assert check_demo_password(None) == []
