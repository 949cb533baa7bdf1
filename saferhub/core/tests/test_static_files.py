"""With DEBUG off, WhiteNoise serves the collected static files under hashed names with long caching,
and pages link to those names."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


def test_static_files_are_served_by_whitenoise_with_debug_off_and_a_missing_one_is_a_404(collected):
    client = Client()  # a new client loads the middleware, so WhiteNoise sees the collected files
    page = client.get("/sign-in/").content.decode()
    css = re.search(r'href="(/static/saferhub/saferhub\.[0-9a-f]{12}\.css)"', page)
    assert css, "the sign-in page links to the hashed stylesheet"

    response = client.get(css.group(1))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == (collected / css.group(1).removeprefix("/static/")).read_bytes()
    assert b".govuk-" in body

    compressed = client.get(css.group(1), headers={"Accept-Encoding": "gzip"})
    assert compressed["Content-Encoding"] == "gzip"

    # In the same test: collecting and compressing every file takes 20 to 40 seconds.
    assert client.get("/static/saferhub/no-such-file.css").status_code == 404
