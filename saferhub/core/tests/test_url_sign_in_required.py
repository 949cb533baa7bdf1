"""Every URL needs sign-in unless it is one of the few public pages listed here.

A safety net beside each app's own permission tables: a new view that forgets the
access rules still cannot be reached anonymously.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages a person uses without an account. Adding to this list needs a reason.
PUBLIC = {
    "accounts:sign-in",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    # For load balancers and monitoring; answers with no data (saferhub/core/health.py).
    "core:healthz",
    # A partnership's logo on its public Case Review pages (saferhub/letters/views.py).
    "letters:public-logo",
    # The API's description (no data: the schema of an open-source project) and the OAuth2 token
    # endpoint, where a system account authenticates with its client id and secret.
    "api:schema",
    "api:docs",
    "api:redoc",
    "api:oauth-token",
    # Single sign-on: the start (for a partnership, or the one set by environment) and the identity
    # provider's return (404 unless the partnership's single sign-on is set up).
    "api-pages:sso-sign-in",
    "api-pages:sso-sign-in-partnership",
    "api-pages:sso-callback",
}
# The API answers a client without a token 401 (with WWW-Authenticate), never a sign-in page.
API_PREFIX = "api:"
# Public forms of subject modules (e.g. the ASB Case Review application) are named here by prefix.
PUBLIC_PREFIXES = ("asb:public-",)

SAMPLES = {"int": "1", "str": "x", "slug": "x", "caseref": "GEN-2024-00001", "path": "x", "uuid": "0" * 32}


def _patterns(resolvers, prefix="", namespace=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


def _sample_path(route: str) -> str:
    def sample(match: re.Match[str]) -> str:
        return SAMPLES.get(match.group(1) or "str", "x")

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sample, route)


def _is_public(name: str) -> bool:
    return name in PUBLIC or name.startswith(PUBLIC_PREFIXES)


ALL = sorted(set(_patterns(get_resolver().url_patterns)))
PRIVATE = [(name, route) for name, route in ALL if not _is_public(name)]


def test_the_url_list_is_not_empty():
    assert len(PRIVATE) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["accounts:sign-in", "accounts:password-reset", "core:healthz"])
def test_public_pages_open_without_an_account(client, name):
    route = dict(ALL)[name]
    assert client.get(_sample_path(route)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PRIVATE, ids=[name for name, _ in PRIVATE])
def test_anonymous_visitors_are_sent_to_sign_in(client, name, route):
    for method in (client.get, client.post):
        response = method(_sample_path(route))
        if name.startswith(API_PREFIX):
            assert response.status_code == 401, f"{name} answered {response.status_code} to an anonymous client"
            assert response.has_header("WWW-Authenticate"), f"{name} does not say how to authenticate"
            continue
        assert response.status_code == 302, f"{name} answered {response.status_code} to an anonymous {method.__name__}"
        assert response["Location"].startswith("/sign-in/"), f"{name} redirected to {response['Location']}"
