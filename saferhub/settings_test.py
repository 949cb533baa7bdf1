"""Settings for the test suite (pyproject.toml names this module for pytest-django).

``DEBUG`` is off unless set, and off it turns on HTTPS redirects, secure cookies and
HSTS and needs a ``SECRET_KEY``. The suite imports the settings in development mode
instead, so a fresh clone needs no environment; pytest-django still runs each test
with ``DEBUG`` off, so error pages are the ones users see. The production settings
are checked in a separate process (``accounts/tests/test_deploy_check.py``).
"""

import os

os.environ["DEBUG"] = "True"

from saferhub.settings import *  # noqa: E402, F403

# Argon2 is deliberately slow (about a fifth of a second a hash here) and the factories hash a
# password for every user they make. Tests hash with MD5; production keeps Argon2 (settings.py),
# which accounts/tests/test_deploy_check.py checks in a separate process.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405

# On SQLite the test database is built straight from the models, without running the migrations:
# replaying them re-renders every model hundreds of times (about 50 s a test database, one per
# pytest-xdist worker), and here they would build the same tables. Every schema step a migration
# takes in Python (the audit trigger, trigram and reference indexes) is PostgreSQL-only; the
# migrations are still checked: `makemigrations --check` (models and migrations agree),
# accounts/tests/test_deploy_check.py (a full migrate on SQLite) and CI's PostgreSQL pass, which
# migrates its test databases. conftest.py records the migrations as applied.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False  # noqa: F405
