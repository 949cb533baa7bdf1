"""How the OpenAPI schema describes our ways of signing in (drf-spectacular extensions)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
