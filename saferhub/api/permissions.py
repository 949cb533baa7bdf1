"""DRF permission classes: a credential's scope. What objects a user may see is the policy's."""

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from saferhub.api.authentication import token_allows_write


class ScopedAccess(permissions.BasePermission):
    """Signed in; and for a change (POST, PATCH, PUT, DELETE), a credential with the write scope."""

    message = "This token may only read: make a token with the write scope to change records."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return token_allows_write(request.auth)
