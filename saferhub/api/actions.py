"""State changes of the open API's OAuth2 clients. Every change is audited in its transaction.

A client (django-oauth-toolkit's `Application`, client credentials, confidential) acts as a
system account: a user of one agency whose roles decide what the client sees. Its secret is
shown once, when it is made, and kept hashed by django-oauth-toolkit.
"""

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_access_token_model, get_application_model, get_refresh_token_model

from saferhub.api.models import OAuthClient, TokenScope
from saferhub.audit import log
from saferhub.audit.models import AuditAction

NAME_MAX = 255


class ClientError(ValueError):
    """Bad input for a client; `field` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def create_api_client(
    system_account: Any,
    *,
    name: str,
    scope: str = TokenScope.READ,
    created_by: Any = None,
    request: HttpRequest | None = None,
) -> tuple[OAuthClient, str]:
    """A new client-credentials client acting as `system_account`, and its secret (shown once, stored hashed)."""
    name = (name or "").strip()
    if not name:
        raise ClientError("Enter what the client is", field="name")
    if scope not in TokenScope.values:
        raise ClientError("Choose whether the client may only read, or read and write", field="scope")
    if (
        system_account is None
        or not system_account.is_active
        or system_account.agency_id is None
        or system_account.partnership_id is None
    ):
        raise ClientError("Choose an active user of an agency as the system account", field="system_account")
    application_model = get_application_model()
    secret = generate_client_secret()
    with transaction.atomic():
        application = application_model.objects.create(
            name=name[:NAME_MAX],
            user=system_account,
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,  # hashed by django-oauth-toolkit when saved
        )
        client = OAuthClient.objects.create(
            application=application,
            partnership_id=system_account.partnership_id,
            scope=scope,
            created_by=created_by if getattr(created_by, "pk", None) else None,
        )
        log.record(
            created_by,
            AuditAction.CREATE,
            client,
            request=request,
            partnership=system_account.partnership,
            detail={"system_account": system_account.pk, "client_id": application.client_id, "scope": scope},
        )
    return client, secret


def revoke_api_client(user: Any, client: OAuthClient, request: HttpRequest | None = None) -> OAuthClient:
    """Stop a client for good: no new tokens (its secret is replaced by one no one knows) and its tokens expire."""
    with transaction.atomic():
        client = OAuthClient.objects.select_for_update().select_related("application").get(pk=client.pk)
        if client.revoked_at is not None:
            return client
        now = timezone.now()
        client.revoked_at = now
        client.revoked_by = user if getattr(user, "pk", None) else None
        client.save(update_fields=["revoked_at", "revoked_by", "modified_at"])
        application = client.application
        application.client_secret = generate_client_secret()
        application.save(update_fields=["client_secret", "updated"])
        expired = get_access_token_model().objects.filter(application=application, expires__gt=now).update(expires=now)
        get_refresh_token_model().objects.filter(application=application, revoked__isnull=True).update(revoked=now)
        log.record(
            user,
            AuditAction.UPDATE,
            client,
            request=request,
            partnership=client.partnership,
            detail={"revoked": True, "client_id": application.client_id, "tokens_expired": expired},
        )
    return client


def note_client_use(application_id: int) -> None:
    """Keep a client's `last_used_at` to the minute, writing only when it is older than that."""
    now = timezone.now()
    OAuthClient.objects.filter(application_id=application_id).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - datetime.timedelta(minutes=1))
    ).update(last_used_at=now)


# Single sign-on (the set-up file's [single_sign_on]) -------------------------------------------------


def configure_single_sign_on(
    actor: Any, partnership: Any, values: dict[str, Any], *, source: str = "configure_partnership"
) -> list[str]:
    """Create or update the partnership's single sign-on from a checked `[single_sign_on]` table.

    `values` holds the fields to set; its `agency_domains` maps domain -> agency name (of this
    partnership). Returns the changes in words for the person at the terminal."""
    from saferhub.accounts.models import Agency
    from saferhub.api.models import SingleSignOn

    with transaction.atomic():
        values = dict(values)
        if "agency_domains" in values:
            by_name = {a.name.casefold(): a.pk for a in Agency.objects.filter(partnership=partnership)}
            values["agency_domains"] = {
                domain: by_name[name.casefold()] for domain, name in sorted(values["agency_domains"].items())
            }
        row = SingleSignOn.objects.select_for_update().filter(partnership=partnership).first()
        if row is None:
            row = SingleSignOn.objects.create(partnership=partnership, **values)
            log.record(actor, AuditAction.CREATE, row, partnership=partnership, detail={"source": source})
            return [f"single sign-on: set up with {row.provider_name}"]
        changes: dict[str, Any] = {}
        lines: list[str] = []
        for name, new in values.items():
            old = getattr(row, name)
            if old == new:
                continue
            changes[name] = {"from": old, "to": new}
            setattr(row, name, new)
            if name == "agency_domains":
                lines.append("single sign-on: agency e-mail domains changed")
            else:
                lines.append(f"single sign-on: {name} {old!r} → {new!r}")
        if changes:
            row.save()
            log.record(
                actor, AuditAction.UPDATE, row, partnership=partnership, detail={"changes": changes, "source": source}
            )
        return lines
