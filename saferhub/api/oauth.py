"""django-oauth-toolkit's validator, held to Saferhub's record of each client (`OAuthClient`).

- a revoked client is not found: it gets no token, whatever secret it sends;
- a client asks only for the scopes it was registered with (`read`, or `read` and `write`);
- an access token of a revoked client is refused even before it expires.

Clients registered before `OAuthClient` existed have a record made by migration
`api.0002`; an application with no record at all (made outside Saferhub) gets nothing.
"""

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

from saferhub.api.models import OAuthClient


def _live_client(application: Any) -> OAuthClient | None:
    if application is None:
        return None
    return OAuthClient.objects.live().filter(application_id=application.pk).first()


class SaferhubOAuth2Validator(OAuth2Validator):
    def _load_application(self, client_id: str, request: Any) -> Any:
        application = super()._load_application(client_id, request)
        if application is not None and _live_client(application) is None:
            request.client = None
            return None
        return application

    def validate_scopes(
        self, client_id: str, scopes: Any, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        record = _live_client(client)
        if record is None:
            return False
        return set(scopes).issubset(record.scopes) and super().validate_scopes(
            client_id, scopes, client, request, *args, **kwargs
        )

    def validate_bearer_token(self, token: str, scopes: Any, request: Any) -> bool:
        if not super().validate_bearer_token(token, scopes, request):
            return False
        access_token = getattr(request, "access_token", None)
        return access_token is not None and _live_client(access_token.application) is not None
