"""A production configuration passes Django's deployment checks with no warnings; DEBUG is off unless set, and
serving refuses to start without SECRET_KEY and ALLOWED_HOSTS. Each runs in a fresh process: settings are read
once, from the environment."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

# Each check runs in its own process on its own SQLite file, whatever database the suite runs on:
# CI runs them once, in its SQLite pass (the full migrate below costs one to two minutes).
pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the deployment checks use their own SQLite file; run once, on SQLite"
)

# Variables from the developer's shell that would change what is being checked.
_LOCAL_ONLY = {
    "DATABASE_URL",
    "SAFERHUB_DEMO",
    "REQUIRE_TWO_FACTOR",
    # Set by the browser-test fixture for Playwright; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
}


def _production_env(tmp_path, **changes):
    # DEBUG is unset, as on a server: production is what you get unless you ask for development.
    env = {key: value for key, value in os.environ.items() if key not in _LOCAL_ONLY and key != "DEBUG"}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        ALLOWED_HOSTS="saferhub.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        SAFERHUB_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="saferhub.settings",
    )
    env.update(changes)
    return {key: value for key, value in env.items() if value is not None}


def _run(args, env):
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own code
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        # migrate builds every table and seeds the reference data: about a minute on a quiet machine,
        # longer while the rest of the suite runs beside it.
        timeout=420,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("debug", [None, "False"])
def test_check_deploy_is_clean(tmp_path, debug):
    returncode, output = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path, DEBUG=debug)
    )
    assert returncode == 0, output
    assert "WARNING" not in output.upper(), output
    assert "System check identified no issues" in output


SHOW_SETTINGS = "import django; django.setup(); from django.conf import settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"


def test_debug_is_off_and_no_host_allowed_unless_set(tmp_path):
    returncode, output = _run(["-c", SHOW_SETTINGS], _production_env(tmp_path, SECRET_KEY=None, ALLOWED_HOSTS=None))
    assert returncode == 0, output
    assert output.strip() == "False []"


def test_management_commands_run_without_a_secret_key(tmp_path):
    returncode, output = _run(
        ["manage.py", "migrate", "--noinput", "-v", "0"], _production_env(tmp_path, SECRET_KEY=None)
    )
    assert returncode == 0, output


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"SECRET_KEY": None}, "Set SECRET_KEY before serving"),
        ({"ALLOWED_HOSTS": None}, "Set ALLOWED_HOSTS before serving"),
        ({"SECRET_KEY": None, "ALLOWED_HOSTS": ""}, "Set SECRET_KEY and ALLOWED_HOSTS before serving"),
    ],
)
def test_serving_refuses_to_start_without_secret_key_or_hosts(tmp_path, missing, message):
    returncode, output = _run(["-c", "import saferhub.wsgi"], _production_env(tmp_path, **missing))
    assert returncode != 0
    assert message in output


def test_serving_starts_with_production_settings(tmp_path):
    returncode, output = _run(["-c", "import saferhub.wsgi; print('ready')"], _production_env(tmp_path))
    assert returncode == 0, output
    assert "ready" in output.splitlines()


def test_production_hashes_passwords_with_argon2(tmp_path):
    # The suite hashes with MD5 for speed (settings_test.py); a deployment must not.
    script = "import django; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    returncode, output = _run(["-c", script], _production_env(tmp_path))
    assert returncode == 0, output
    assert output.strip().endswith("Argon2PasswordHasher"), output
