"""Test settings shared by every suite: fast hashing, tasks run at once, a second factor is not needed unless asked."""

import pytest


def pytest_configure(config):
    """Keep Django's database connections per thread, as they are outside tests.

    Playwright's sync API leaves its event loop marked as running in the test thread. asgiref then
    keys Django's connections by context instead of by thread, so a test that starts the browser
    mid-way (or whose package fixture opened a transaction before it) silently moves to a second
    connection; on in-memory SQLite that one locks against the first, and every later test on the
    worker fails with "database table is locked".
    """
    from django.db import connections

    local = connections._connections
    storage = object.__getattribute__(local, "_storage")
    object.__setattr__(local, "_get_storage", lambda: storage)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A test database built from the models (settings_test.py, SQLite) has every migration recorded
    as applied, as a migrated one has: /healthz and `migrate --check` read the record."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    if connection.settings_dict["TEST"].get("MIGRATE", True):
        return
    with django_db_blocker.unblock():
        graph = MigrationLoader(connection).graph
        # In the order `migrate` applies them, as a migrated database records them.
        order = list(dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf)))
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        recorder.migration_qs.bulk_create(recorder.Migration(app=app, name=name) for app, name in order)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REQUIRE_TWO_FACTOR = False
    settings.AXES_ENABLED = True
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# Browser tests ---------------------------------------------------------------
# Debian's chromium, driven by Playwright; no browser is ever downloaded.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium).")
    # Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab on the live server; fails the test on any Content-Security-Policy violation."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    violations: list[str] = []
    tab.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield tab
    context.close()
    assert not violations, f"CSP violations: {violations}"
