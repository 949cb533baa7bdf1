"""A production configuration passes Django's deployment checks with no warnings."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

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


def test_check_deploy_is_clean(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in _LOCAL_ONLY}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(45),  # 60 characters
        ALLOWED_HOSTS="saferhub.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        SAFERHUB_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="saferhub.settings",
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output.upper(), output
    assert "System check identified no issues" in output
