import pytest
from oidc_provider_mock import User as ProviderUser
from oidc_provider_mock import run_server_in_thread


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate limits count in the cache: each test starts with none used."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _loopback_provider():
    """A real OpenID Connect provider (oidc-provider-mock) on loopback: its base address.

    It takes any client ID and secret and any redirect URI (no registration), so a browser test
    on the live server's own port can use it; the person signs in by typing a subject, taken as
    the e-mail claim."""
    with run_server_in_thread(
        user_claims=[ProviderUser(sub="hana", claims={"email": "placeholder@example.org"})]
    ) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def provider():
    yield from _loopback_provider()


@pytest.fixture
def second_provider():
    """Another partnership's provider: a separate server, with codes and tokens of its own."""
    yield from _loopback_provider()
