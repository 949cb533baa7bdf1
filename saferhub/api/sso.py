"""Single sign-on through OpenID Connect (mozilla-django-oidc), configured by environment.

One identity provider per deployment, for one partnership (`OIDC_PARTNERSHIP`, its slug):

- a user is matched by e-mail address within that partnership, and, when the provider
  sends an agency claim (`OIDC_AGENCY_CLAIM`), by agency too (the agency's name or its
  external reference); an inactive user is never signed in;
- no one is created unless `OIDC_CREATE_USERS` is on and the e-mail's domain names an
  agency (`OIDC_AGENCY_DOMAINS`, `domain=agency external reference`); a created user has
  at most the default role (`OIDC_DEFAULT_ROLE`: none, or caseworker), nothing more;
- the second factor is left to the identity provider: a session signed in this way is
  marked, and the page middleware does not ask for Saferhub's own code;
- password sign-in can be switched off for the partnership (`OIDC_PASSWORD_SIGN_IN=0`):
  the password backend then refuses its users, whatever the password.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from saferhub.accounts.models import Agency, Partnership, Role, RoleAssignment, User
from saferhub.audit import log
from saferhub.audit.models import AuditAction

SSO_SESSION_KEY = "saferhub_sso"
ALLOWED_DEFAULT_ROLES = {"", Role.CASEWORKER}


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", "") and getattr(settings, "OIDC_PARTNERSHIP", ""))


def password_sign_in_allowed(partnership_slug: str | None) -> bool:
    return not (enabled() and not settings.OIDC_PASSWORD_SIGN_IN and partnership_slug == settings.OIDC_PARTNERSHIP)


def _agency_for_domain(partnership: Partnership, email: str) -> Agency | None:
    domain = email.rsplit("@", 1)[-1].lower()
    mapping = dict(item.split("=", 1) for item in settings.OIDC_AGENCY_DOMAINS if "=" in item)
    ref = mapping.get(domain)
    if not ref:
        return None
    return Agency.objects.live().filter(partnership=partnership, external_ref=ref).first()


class PartnershipOIDCBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        if not email or not enabled():
            return self.UserModel.objects.none()
        users = User.objects.filter(
            email__iexact=email, partnership__slug=settings.OIDC_PARTNERSHIP, is_active=True
        ).select_related("agency")
        agency = claims.get(settings.OIDC_AGENCY_CLAIM) if settings.OIDC_AGENCY_CLAIM else None
        if agency:
            users = users.filter(models.Q(agency__name=agency) | models.Q(agency__external_ref=agency))
        return users

    def create_user(self, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip()
        partnership = Partnership.objects.filter(slug=settings.OIDC_PARTNERSHIP).first()
        agency = _agency_for_domain(partnership, email) if partnership is not None and email else None
        role = settings.OIDC_DEFAULT_ROLE
        if not settings.OIDC_CREATE_USERS or partnership is None or agency is None or role not in ALLOWED_DEFAULT_ROLES:
            return None
        if User.objects.filter(email__iexact=email).exists():
            return None  # someone of another partnership or agency: never taken over
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


class SignInWithProvider(OIDCAuthenticationRequestView):
    """Start single sign-on: off to the identity provider."""

    saferhub_public = True

    def get(self, request: HttpRequest) -> HttpResponse:
        if not enabled():
            from django.http import Http404

            raise Http404("Single sign-on is not set up")
        return super().get(request)


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Back from the identity provider: signed in, its second factor stands in for ours."""

    saferhub_public = True

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        self.request.session[SSO_SESSION_KEY] = True
        log.record(self.user, AuditAction.SIGN_IN, request=self.request, detail={"via": "single sign-on"})
        return response


class PasswordSignInSwitch:
    """Placed before the password backend: refuses users of a partnership whose password sign-in is off.

    Deliberately no `get_user`: it never signs anyone in, so sessions (and `force_login`) never name it."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if username is None or password is None or not enabled():
            return None
        user = User.objects.filter(email__iexact=username).select_related("partnership").first()
        if user is not None and not password_sign_in_allowed(user.partnership.slug if user.partnership else None):
            raise PermissionDenied("Sign in with your organisation's account")
        return None
