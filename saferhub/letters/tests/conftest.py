import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Issued letters and logos are written under a temporary media root."""
    settings.MEDIA_ROOT = tmp_path
