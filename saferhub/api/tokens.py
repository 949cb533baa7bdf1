"""Making, checking and revoking personal access tokens. Every change is audited in its transaction."""

import datetime
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.api.models import ApiToken, TokenScope
from saferhub.audit import log
from saferhub.audit.models import AuditAction

TOKEN_PREFIX = "shb_"  # noqa: S105 - a marker that tells our tokens apart, not a secret
DEFAULT_DAYS = 90
MAX_DAYS = 366


class TokenError(ValueError):
    pass


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def create_token(
    user: Any,
    *,
    name: str,
    scope: str = TokenScope.READ,
    days: int = DEFAULT_DAYS,
    created_by: Any = None,
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A new token for `user` and its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise TokenError("Enter what the token is for")
    if scope not in TokenScope.values:
        raise TokenError("Choose whether the token may only read, or read and write")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"Enter a number of days between 1 and {MAX_DAYS}")
    if not user.is_active or user.partnership_id is None:
        raise TokenError("Tokens are only for active users of a partnership")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        partnership_id=user.partnership_id,
        user=user,
        name=name[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=digest(secret),
        scope=scope,
        expires_at=timezone.now() + datetime.timedelta(days=days),
        created_by=created_by if getattr(created_by, "pk", None) else None,
    )
    log.record(
        created_by,
        AuditAction.CREATE,
        token,
        request=request,
        partnership=user.partnership,
        detail={"for_user": user.pk, "scope": scope, "days": days},
    )
    return token, secret


def find_live_token(secret: str) -> ApiToken | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user", "user__partnership").filter(digest=digest(secret)).first()
    if token is None or not token.is_live:
        return None
    return token


@transaction.atomic
def revoke_token(user: Any, token: ApiToken, request: HttpRequest | None = None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by", "modified_at"])
        log.record(user, AuditAction.UPDATE, token, request=request, detail={"revoked": True})
    return token


def note_use(token: ApiToken) -> None:
    """Keep `last_used_at` to the minute, without a write on every request."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
