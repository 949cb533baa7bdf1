"""How the OpenAPI schema describes our ways of signing in (drf-spectacular extensions)."""

from typing import Any, Literal

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "saferhub.api.authentication.BearerTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (shb_…), made on your account page or by `manage.py create_api_token`.",
        }


class SystemAccountScheme(OpenApiAuthenticationExtension):
    target_class = "saferhub.api.authentication.SystemAccountOAuth2Authentication"
    name = "systemAccount"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": "OAuth2 client credentials of a system account bound to one agency.",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/oauth/token/",
                    "scopes": {"read": "Read what the system account may see", "write": "Make changes"},
                }
            },
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "saferhub.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


_ERROR = {
    "type": "object",
    "description": "`detail` for a refusal; for invalid input, the messages by field name",
    "additionalProperties": True,
}
_ERRORS = {
    "400": "The input is not valid: the messages say which field and what to do",
    "401": "No valid credential (missing, wrong, expired or revoked token)",
    "403": "Signed in, but the role or the token's scope does not allow this",
    "404": "No such record, or not one you may see (the two are not told apart)",
    "429": "Too many requests: wait and try again (see Retry-After)",
}


class ApiAutoSchema(AutoSchema):
    """Every operation documents the refusals it may give (checked by the Schemathesis test)."""

    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code, description in _ERRORS.items():
            responses.setdefault(
                code, {"description": description, "content": {"application/json": {"schema": _ERROR}}}
            )
        if self.method in ("PATCH", "PUT"):
            responses.setdefault(
                "409",
                {
                    "description": "Changed by someone else since you read it: nothing saved; `current_version` given",
                    "content": {"application/json": {"schema": _ERROR}},
                },
            )
        return responses
