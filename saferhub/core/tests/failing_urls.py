"""The site's URLs plus pages that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from saferhub.accounts.middleware import public
from saferhub.urls import handler404
from saferhub.urls import urlpatterns as site_urlpatterns


@public
def server_error(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("Invented failure: invented.person@example.invalid")


@public
def permission_denied(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("Only invented testers may see this.")


urlpatterns = [
    path("fail/500/", server_error),
    path("fail/403/", permission_denied),
    *site_urlpatterns,
]

__all__ = ["handler404", "urlpatterns"]
