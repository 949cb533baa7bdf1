"""The WSGI application gunicorn serves (`make serve`, docs/deploy.md)."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.settings")
application = get_wsgi_application()

# Refuse to serve rather than fail on the first request: settings allow an empty SECRET_KEY and
# ALLOWED_HOSTS so that management commands run without them.
if not settings.DEBUG:
    missing = [] if settings.ALLOWED_HOSTS else ["ALLOWED_HOSTS"]
    try:
        settings.SECRET_KEY  # noqa: B018 - Django raises on an empty key only when it is read
    except ImproperlyConfigured:
        missing.insert(0, "SECRET_KEY")
    if missing:
        raise ImproperlyConfigured(f"Set {' and '.join(missing)} before serving Saferhub with DEBUG off.")
