"""Single sign-on through OpenID Connect (mozilla-django-oidc), one identity provider per partnership.

A partnership's provider is set by its set-up file (`[single_sign_on]`, `SingleSignOn`, see
`saferhub/api/sso_setup.py` and docs/setup.md); a deployment may also set one by environment
(`OIDC_*` in settings, for the partnership `OIDC_PARTNERSHIP`), used when that partnership has
none in its set-up. The sign-in page offers "Sign in with <provider>" for each. The start view
takes the partnership and remembers it in the session under the request's `state`; the callback
and the backend then read that partnership's provider — never django settings changed at run time.

- a user is matched by e-mail address within that partnership only, and, when the provider
  sends an agency claim, by agency too (the agency's name or its external reference); an
  inactive user is never signed in;
- no one is created unless the provider's `create_users` is on and the e-mail's domain names
  an agency of the partnership; a created user has at most the default role (none, or
  caseworker), nothing more; an e-mail already used anywhere is never taken over;
- the client secret is read from the environment variable the set-up names, when needed;
- the second factor is left to the identity provider: a session signed in this way is
  marked, and the page middleware does not ask for Saferhub's own code;
- password sign-in can be switched off per partnership: the password backend then refuses
  its users, whatever the password; the sign-in page says so under the partnership's button,
  and no password link is sent to them (saferhub/accounts/password_forms.py), not even by an
  administrator (saferhub/accounts/administration.py), whose user pages say so instead.
"""

import hashlib
import logging
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from saferhub.accounts.models import Agency, Partnership, Role, RoleAssignment, User
from saferhub.api.models import SingleSignOn
from saferhub.audit import log
from saferhub.audit.models import AuditAction

logger = logging.getLogger(__name__)

SSO_SESSION_KEY = "saferhub_sso"
# state of each sign-in under way -> the slug of the partnership it was started for
STATES_SESSION_KEY = "saferhub_sso_states"
MAX_STATES = 50
ALLOWED_DEFAULT_ROLES = {"", Role.CASEWORKER}
ENV_PROVIDER_NAME = "your organisation’s account"
DISCOVERY_CACHE_SECONDS = 3600
ENDPOINT_SETTINGS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


@dataclass(frozen=True)
class Provider:
    """One partnership's identity provider, from its set-up (or from the environment)."""

    partnership_id: int
    partnership_slug: str
    name: str
    partnership_name: str
    client_id: str
    discovery_url: str = ""
    endpoints: dict[str, str] = field(default_factory=dict)  # OIDC_OP_* setting -> URL
    client_secret_env: str | None = None  # None: the secret is OIDC_RP_CLIENT_SECRET (environment set-up)
    agency_claim: str = ""
    domain_agency_ids: dict[str, int] = field(default_factory=dict)
    domain_agency_refs: dict[str, str] = field(default_factory=dict)
    default_role: str = ""
    create_users: bool = False
    password_sign_in: bool = True

    def client_secret(self) -> str:
        if self.client_secret_env is None:
            return str(getattr(settings, "OIDC_RP_CLIENT_SECRET", ""))
        return os.environ.get(self.client_secret_env, "")

    def resolved_endpoints(self) -> dict[str, str]:
        """The four endpoints, from the discovery document (cached for an hour) when one is named."""
        if not self.discovery_url:
            return self.endpoints
        key = "saferhub-oidc-discovery:" + hashlib.sha256(self.discovery_url.encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            try:
                response = requests.get(
                    self.discovery_url,
                    timeout=import_from_settings("OIDC_TIMEOUT", None) or 10,
                    verify=import_from_settings("OIDC_VERIFY_SSL", True),
                )
                response.raise_for_status()
                document = response.json()
                found = {name: str(document[key_]) for name, key_ in ENDPOINT_SETTINGS.items()}
            except (requests.RequestException, ValueError, KeyError, TypeError) as error:
                logger.warning("OpenID Connect discovery failed for %s: %s", self.partnership_slug, error)
                raise ProviderUnavailable(self.name) from error
            cache.set(key, found, DISCOVERY_CACHE_SECONDS)
        return dict(found)

    def oidc_settings(self) -> dict[str, Any]:
        """What mozilla-django-oidc's `get_settings` answers for this provider."""
        return {
            **self.resolved_endpoints(),
            "OIDC_RP_CLIENT_ID": self.client_id,
            "OIDC_RP_CLIENT_SECRET": self.client_secret(),
        }

    def agency_for(self, email: str) -> Agency | None:
        domain = email.rsplit("@", 1)[-1].lower()
        agencies = Agency.objects.live().filter(partnership_id=self.partnership_id)
        if domain in self.domain_agency_ids:
            return agencies.filter(pk=self.domain_agency_ids[domain]).first()
        if domain in self.domain_agency_refs:
            return agencies.filter(external_ref=self.domain_agency_refs[domain]).first()
        return None


def enabled() -> bool:
    """Single sign-on set by environment (one partnership)."""
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", "") and getattr(settings, "OIDC_PARTNERSHIP", ""))


def _env_provider(partnership: Partnership | None = None) -> Provider | None:
    if not enabled():
        return None
    if partnership is None:
        partnership = Partnership.objects.filter(slug=settings.OIDC_PARTNERSHIP).first()
    if partnership is None or partnership.slug != settings.OIDC_PARTNERSHIP:
        return None
    mapping = dict(item.split("=", 1) for item in settings.OIDC_AGENCY_DOMAINS if "=" in item)
    return Provider(
        partnership_id=partnership.pk,
        partnership_slug=partnership.slug,
        partnership_name=partnership.name,
        name=getattr(settings, "OIDC_PROVIDER_NAME", "") or ENV_PROVIDER_NAME,
        client_id=settings.OIDC_RP_CLIENT_ID,
        endpoints={name: str(getattr(settings, name, "")) for name in ENDPOINT_SETTINGS},
        agency_claim=settings.OIDC_AGENCY_CLAIM,
        domain_agency_refs={domain.strip().lower(): ref.strip() for domain, ref in mapping.items()},
        default_role=settings.OIDC_DEFAULT_ROLE,
        create_users=settings.OIDC_CREATE_USERS,
        password_sign_in=settings.OIDC_PASSWORD_SIGN_IN,
    )


def _from_setup(row: SingleSignOn) -> Provider:
    return Provider(
        partnership_id=row.partnership_id,
        partnership_slug=row.partnership.slug,
        partnership_name=row.partnership.name,
        name=row.provider_name,
        client_id=row.client_id,
        discovery_url=row.discovery_url,
        endpoints={
            "OIDC_OP_AUTHORIZATION_ENDPOINT": row.authorization_endpoint,
            "OIDC_OP_TOKEN_ENDPOINT": row.token_endpoint,
            "OIDC_OP_USER_ENDPOINT": row.userinfo_endpoint,
            "OIDC_OP_JWKS_ENDPOINT": row.jwks_endpoint,
        },
        client_secret_env=row.client_secret_env,
        agency_claim=row.agency_claim,
        domain_agency_ids={str(domain): int(pk) for domain, pk in (row.agency_domains or {}).items()},
        default_role=row.default_role,
        create_users=row.create_users,
        password_sign_in=row.password_sign_in,
    )


def provider_for(partnership: Partnership | None) -> Provider | None:
    """The partnership's provider: its set-up's, else the environment's when it names the partnership."""
    if partnership is None:
        return None
    row = SingleSignOn.objects.filter(partnership=partnership, active=True).select_related("partnership").first()
    if row is not None:
        return _from_setup(row)
    return _env_provider(partnership)


def provider_by_slug(slug: str | None) -> Provider | None:
    if not slug:
        return None
    return provider_for(Partnership.objects.filter(slug=slug).first())


def providers() -> list[Provider]:
    """Every partnership's provider, for the sign-in page (set-up ones by name, then the environment's)."""
    rows = SingleSignOn.objects.filter(active=True).select_related("partnership").order_by("provider_name", "pk")
    found = [_from_setup(row) for row in rows]
    env = _env_provider()
    if env is not None and all(p.partnership_id != env.partnership_id for p in found):
        found.append(env)
    return found


def password_sign_in_allowed(partnership: Partnership | None) -> bool:
    provider = provider_for(partnership)
    return provider is None or provider.password_sign_in


def provider_only(partnership: Partnership | None) -> Provider | None:
    """The partnership's provider when its people sign in through it only (password sign-in off), else None."""
    provider = provider_for(partnership)
    return provider if provider is not None and not provider.password_sign_in else None


def no_password_needed(provider: Provider) -> str:
    """What administrators' pages say instead of offering a password (or a password link)."""
    return f"People of {provider.partnership_name} sign in with {provider.name} and need no Saferhub password."


def password_sign_in_off_somewhere() -> bool:
    """Whether some partnership's people may sign in through its provider only (the sign-in page says so)."""
    return any(not provider.password_sign_in for provider in providers())


def _remember(request: HttpRequest, state: str, slug: str) -> None:
    states = dict(request.session.get(STATES_SESSION_KEY) or {})
    states[state] = slug
    request.session[STATES_SESSION_KEY] = dict(list(states.items())[-MAX_STATES:])


def _remembered(request: HttpRequest) -> str | None:
    state = request.GET.get("state")
    states = request.session.get(STATES_SESSION_KEY) or {}
    return states.get(state) if state else None


class _ProviderSettings:
    """mozilla-django-oidc reads its settings through `get_settings`: answer from the provider in use."""

    provider: Provider | None = None
    _provider_settings: dict[str, Any] | None = None

    def use(self, provider: Provider) -> None:
        self._provider_settings = provider.oidc_settings()  # may raise ProviderUnavailable
        self.provider = provider

    def get_settings(self, attr: str, *args: Any) -> Any:
        if self._provider_settings is not None and attr in self._provider_settings:
            return self._provider_settings[attr]
        return import_from_settings(attr, *args)


class PartnershipOIDCBackend(_ProviderSettings, OIDCAuthenticationBackend):
    def _current(self) -> Provider | None:
        return self.provider if self.provider is not None else _env_provider()

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or not (request.GET.get("code") and request.GET.get("state")):
            return None
        provider = provider_by_slug(_remembered(request))
        if provider is None:
            return None
        try:
            self.use(provider)
        except ProviderUnavailable:
            return None
        if not self.get_settings("OIDC_RP_CLIENT_SECRET"):
            logger.error(
                "Single sign-on of %s: the environment variable %s holding the client secret is not set",
                provider.partnership_slug,
                provider.client_secret_env,
            )
            return None
        OIDCAuthenticationBackend.__init__(self)  # read the endpoints and client through get_settings again
        try:
            return super().authenticate(request, **kwargs)
        except requests.RequestException as error:  # e.g. the provider refused the client secret
            logger.error("Single sign-on of %s failed at the provider: %s", provider.partnership_slug, error)
            return None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        provider = self._current()
        if not email or provider is None:
            return self.UserModel.objects.none()
        users = User.objects.filter(
            email__iexact=email, partnership_id=provider.partnership_id, is_active=True
        ).select_related("agency")
        agency = claims.get(provider.agency_claim) if provider.agency_claim else None
        if agency:
            users = users.filter(models.Q(agency__name=agency) | models.Q(agency__external_ref=agency))
        return users

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        provider = self._current()
        if provider is None or not provider.create_users or provider.default_role not in ALLOWED_DEFAULT_ROLES:
            return None
        partnership = Partnership.objects.filter(pk=provider.partnership_id).first()
        agency = provider.agency_for(email) if partnership is not None and email else None
        if partnership is None or agency is None:
            return None
        if User.objects.filter(email__iexact=email).exists():
            return None  # someone of another partnership or agency: never taken over
        role = provider.default_role
        with transaction.atomic():
            user = User.objects.create_user(
                email=email,
                full_name=str(claims.get("name") or email)[:200],
                partnership=partnership,
                agency=agency,
            )
            if role:
                RoleAssignment.objects.create(user=user, partnership=partnership, role=role)
            log.record(
                None, AuditAction.CREATE, user, partnership=partnership, detail={"via": "single sign-on", "role": role}
            )
        return user

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        return user if user is not None and user.is_active else None


class SignInWithProvider(_ProviderSettings, OIDCAuthenticationRequestView):
    """Start single sign-on for a partnership: off to its identity provider.

    Without a partnership in the address, the partnership set by environment (`OIDC_PARTNERSHIP`)."""

    saferhub_public = True

    def get(self, request: HttpRequest, partnership: str | None = None) -> HttpResponse:
        slug = partnership or getattr(settings, "OIDC_PARTNERSHIP", "")
        provider = provider_by_slug(slug)
        if provider is None:
            raise Http404("Single sign-on is not set up for this partnership")
        try:
            self.use(provider)
        except ProviderUnavailable:
            messages.error(
                request, f"{provider.name} cannot be reached just now. Try again in a few minutes, or sign in below."
            )
            return redirect("accounts:sign-in")
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        response = super().get(request)
        state = parse_qs(urlsplit(response["Location"]).query).get("state", [""])[0]
        _remember(request, state, provider.partnership_slug)
        return response


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Back from the identity provider: signed in, its second factor stands in for ours."""

    saferhub_public = True

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        log.record(
            self.user,
            AuditAction.SIGN_IN,
            request=self.request,
            detail={
                "via": "single sign-on",
                "partnership": self.user.partnership.slug if self.user.partnership else "",
            },
        )
        return response


class PasswordSignInSwitch:
    """Placed before the password backend: refuses users of a partnership whose password sign-in is off.

    Deliberately no `get_user`: it never signs anyone in, so sessions (and `force_login`) never name it."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if username is None or password is None:
            return None
        user = User.objects.filter(email__iexact=username).select_related("partnership").first()
        if user is not None and not password_sign_in_allowed(user.partnership):
            raise PermissionDenied("Sign in with your organisation's account")
        return None
