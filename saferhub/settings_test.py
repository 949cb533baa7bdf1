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
