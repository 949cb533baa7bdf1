"""How an API request says who it is: a personal access token, an OAuth2 client-credentials
token of a system account, or (for the documentation pages) the browser session.

None of them goes around two-factor sign-in: tokens are made only by a user who has passed
the second factor (the account page) or on the server (`create_api_token`); OAuth2 clients
are registered by administrators for system accounts; a session counts only once verified.
"""

from typing import Any

from django.conf import settings
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from saferhub.api import tokens

# An OAuth2 client's own scopes: "read" and "write", like personal tokens.
OAUTH_SCOPES = {"read": "Read what the system account may see", "write": "Make changes as the system account"}


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer shb_…`: a personal access token (scoped, expiring, revocable)."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as 'Authorization: Bearer TOKEN'.")
        try:
            secret = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed("The token is not valid.") from None
        if not secret.startswith(tokens.TOKEN_PREFIX):
            return None  # not ours: an OAuth2 access token, tried next
        token = tokens.find_live_token(secret)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token is not valid, has expired or was revoked.")
        tokens.note_use(token)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="saferhub"'


class SystemAccountOAuth2Authentication(authentication.BaseAuthentication):
    """`Authorization: Bearer …` with a token from `/api/oauth/token/` (client credentials).

    The client is registered for a system account (`Application.user`), a user of one agency
    whose roles decide what the client sees, exactly as for a person at that agency.
    """

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        from oauth2_provider.oauth2_backends import get_oauthlib_core

        header = authentication.get_authorization_header(request).split()
        if len(header) != 2 or header[0].lower() != b"bearer":
            return None
        valid, oauth_request = get_oauthlib_core().verify_request(request._request, scopes=[])
        if not valid:
            raise exceptions.AuthenticationFailed("The token is not valid, has expired or was revoked.")
        access_token = oauth_request.access_token
        user = access_token.user or access_token.application.user
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed("The client has no active system account.")
        if access_token.application_id is not None:
            from saferhub.api.actions import note_client_use

            note_client_use(access_token.application_id)
        return user, access_token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="saferhub"'


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, for trying the API from its documentation: only after the second factor."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        sso = request._request.session.get("saferhub_sso", False)
        if (
            settings.REQUIRE_TWO_FACTOR
            and not sso
            and not getattr(request._request.user, "is_verified", lambda: False)()
        ):
            return None
        return user, None


def token_allows_write(auth: Any) -> bool:
    """Whether the credential may change things: a write token, an OAuth2 token with `write`, or a session."""
    if auth is None:
        return True  # a verified browser session: the pages would allow the same
    if hasattr(auth, "allows_write"):
        return bool(auth.allows_write)
    if hasattr(auth, "allow_scopes"):
        return bool(auth.allow_scopes(["write"]))
    return False


def credential_label(auth: Any) -> str:
    """How the request signed in, for the audit trail."""
    if auth is None:
        return "session"
    if hasattr(auth, "prefix"):
        return f"token {auth.prefix}"
    application = getattr(auth, "application", None)
    return f"oauth2 client {application.client_id}" if application is not None else "oauth2"
