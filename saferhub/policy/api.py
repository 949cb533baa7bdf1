"""The open API: who may hold and manage tokens and webhook subscriptions.

What an API client may see is decided by the same rules as the pages: every endpoint
reads through the ``visible_…`` querysets and ``get_…_for_user`` helpers of the other
modules, as the token's user. The rules here are only about the credentials themselves:

- any active, signed-in user of a partnership may make tokens for themselves (on the
  account page, after the second factor) and sees and revokes their own;
- partnership administrators see and revoke every token of their partnership;
- partnership administrators register and revoke the OAuth2 clients of their partnership,
  each acting as a system account: an active user of one of its agencies;
- a webhook subscription belongs to a casework user and is about their own agency, so it
  carries only events the user could see on a page; its owner and administrators manage it.
"""

from typing import TYPE_CHECKING, Any

from django.http import Http404

from saferhub.policy.roles import _active, can_administer, works_cases

if TYPE_CHECKING:
    from saferhub.api.models import ApiTokenQuerySet, OAuthClientQuerySet


def can_hold_tokens(user: Any) -> bool:
    return _active(user)


def visible_api_tokens(user: Any) -> "ApiTokenQuerySet":
    """The user's own tokens; for an administrator, every token of the partnership."""
    from saferhub.api.models import ApiToken

    if not _active(user):
        return ApiToken.objects.none()
    tokens = ApiToken.objects.filter(partnership_id=user.partnership_id)
    return tokens if can_administer(user) else tokens.filter(user=user)


def get_api_token_for_user(user: Any, pk: int) -> Any:
    token = visible_api_tokens(user).select_related("user").filter(pk=pk).first()
    if token is None:
        raise Http404("No such token")
    return token


def can_manage_api_clients(user: Any) -> bool:
    return can_administer(user)


def visible_api_clients(user: Any) -> "OAuthClientQuerySet":
    """The OAuth2 clients of the user's partnership, for its administrators; none for anyone else."""
    from saferhub.api.models import OAuthClient

    if not can_manage_api_clients(user):
        return OAuthClient.objects.none()
    return OAuthClient.objects.filter(partnership_id=user.partnership_id)


def get_api_client_for_user(user: Any, pk: int) -> Any:
    client = visible_api_clients(user).select_related("application", "application__user").filter(pk=pk).first()
    if client is None:
        raise Http404("No such client")
    return client


def api_client_accounts(user: Any) -> Any:
    """The users a client may act as: active users of an agency of the administrator's partnership."""
    from saferhub.accounts.models import User

    if not can_manage_api_clients(user):
        return User.objects.none()
    return User.objects.filter(partnership_id=user.partnership_id, is_active=True, agency__isnull=False).select_related(
        "agency"
    )


def can_subscribe_webhooks(user: Any) -> bool:
    return works_cases(user) and user.agency_id is not None


def visible_webhooks(user: Any) -> Any:
    from saferhub.api.models import WebhookSubscription

    if not _active(user):
        return WebhookSubscription.objects.none()
    subs = WebhookSubscription.objects.filter(partnership_id=user.partnership_id)
    return subs if can_administer(user) else subs.filter(owner=user)


def get_webhook_for_user(user: Any, pk: int) -> Any:
    sub = visible_webhooks(user).filter(pk=pk).first()
    if sub is None:
        raise Http404("No such webhook")
    return sub
