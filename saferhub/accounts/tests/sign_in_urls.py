"""A URL configuration for the sign-in tests: the accounts pages plus a stand-in home page that needs sign-in.

The sign-in tests use it (``pytest.mark.urls``) so they do not depend on the rest of the site's pages.
Test users have no roles, so the navigation (which names other apps' pages) stays empty.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def protected_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("A page that needs sign-in")


urlpatterns = [
    path("", include(([path("", protected_page, name="home")], "core"))),
    path("", include("saferhub.accounts.urls")),
    path("protected/", protected_page, name="protected"),
    # The header every signed-in page carries links to the search and the notifications.
    path("search/", include("saferhub.search.urls")),
    path("notifications/", include("saferhub.notifications.urls")),
]
