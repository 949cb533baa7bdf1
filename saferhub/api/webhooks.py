"""Webhooks: a partner system hears of events about its agency that its owner may see.

Events: a referral received by (or redirected to) a team, a referral decided, a case shared.
The cases actions call the hooks inside their own transaction; a delivery row is written in
that transaction (so it exists exactly when the change does) and the worker is asked, on
commit, to send it: nothing is ever sent from the request.

The body carries identifiers and the decision only, never personal details: the partner
reads the record through the API, where the read is checked and audited as any other.
Each body is signed: `X-Saferhub-Signature: sha256=HMAC-SHA256(secret, "{timestamp}.{body}")`
with the subscription's secret and `X-Saferhub-Timestamp`. A failed delivery is retried with
back-off (1, 5, 30 minutes, 2 and 12 hours), then marked failed.
"""

import datetime
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from functools import partial
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub import policy
from saferhub.api.models import DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription
from saferhub.audit import log
from saferhub.audit.models import AuditAction

BACKOFF = [datetime.timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT_SECONDS = 10


class WebhookError(ValueError):
    pass


def check_url(url: str) -> str:
    parsed = urlparse(url)
    allowed = ("https", "http") if settings.API_WEBHOOK_ALLOW_HTTP else ("https",)
    if parsed.scheme not in allowed or not parsed.hostname:
        raise WebhookError("Enter the address the events are sent to, starting https://")
    return url


@transaction.atomic
def subscribe(
    user: Any, *, url: str, events: list[str], request: HttpRequest | None = None
) -> tuple[WebhookSubscription, str]:
    """A subscription of the user's agency; the secret is returned once (the partner keeps it)."""
    if not policy.can_subscribe_webhooks(user):
        raise WebhookError("Only casework users of an agency can subscribe to events")
    unknown = sorted(set(events) - set(WebhookEvent.values))
    if not events or unknown:
        raise WebhookError(f"Choose events from: {', '.join(WebhookEvent.values)}")
    secret = secrets.token_hex(32)
    sub = WebhookSubscription.objects.create(
        partnership_id=user.partnership_id,
        owner=user,
        agency_id=user.agency_id,
        url=check_url(url),
        events=sorted(set(events)),
        secret=secret,
    )
    log.record(user, AuditAction.CREATE, sub, request=request, detail={"events": sub.events})
    return sub, secret


@transaction.atomic
def unsubscribe(user: Any, sub: WebhookSubscription, request: HttpRequest | None = None) -> None:
    sub.active = False
    sub.save(update_fields=["active", "modified_at"])
    log.record(user, AuditAction.UPDATE, sub, request=request, detail={"active": False})


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


# The hooks (registered with saferhub.cases.extensions) -----------------------------------


def _emit(event: str, partnership_id: int, payload: dict[str, Any], agency_ids: set[int | None], sees: Any) -> None:
    subs = WebhookSubscription.objects.filter(partnership_id=partnership_id, active=True, agency_id__in=agency_ids)
    created = []
    for sub in subs.select_related("owner"):
        if event not in sub.events or not sees(sub.owner):
            continue
        created.append(
            WebhookDelivery.objects.create(subscription=sub, event=event, payload={"event": event, **payload})
        )
    for delivery in created:
        transaction.on_commit(partial(_enqueue, delivery.pk))


def _referral_payload(referral: Any) -> dict[str, Any]:
    return {
        "referral": {
            "id": referral.pk,
            "decision": referral.decision,
            "decided_at": referral.decided_at.isoformat() if referral.decided_at else None,
            "url": f"/api/v1/referrals/{referral.pk}/",
        }
    }


def _sees_referral(referral: Any) -> Any:
    return lambda owner: policy.visible_referrals(owner).filter(pk=referral.pk).exists()


def referral_received(referral: Any) -> None:
    _emit(
        WebhookEvent.REFERRAL_RECEIVED,
        referral.partnership_id,
        _referral_payload(referral),
        {referral.to_team.agency_id},
        _sees_referral(referral),
    )


def referral_decided(referral: Any) -> None:
    agencies = {referral.from_agency_id, referral.from_team.agency_id if referral.from_team_id else None}
    _emit(
        WebhookEvent.REFERRAL_DECIDED,
        referral.partnership_id,
        _referral_payload(referral),
        agencies - {None},
        _sees_referral(referral),
    )


def case_shared(share: Any) -> None:
    case = share.case
    agency_id = share.agency_id or (share.team.agency_id if share.team_id else None)
    _emit(
        WebhookEvent.CASE_SHARED,
        case.partnership_id,
        {"case": {"reference": case.reference, "url": f"/api/v1/cases/{case.reference}/"}},
        {agency_id},
        lambda owner: policy.visible_cases(owner).filter(pk=case.pk).exists(),
    )


# Delivery (the worker) ------------------------------------------------------------------


def _enqueue(delivery_pk: int, when: datetime.datetime | None = None) -> None:
    from saferhub.api.tasks import deliver_webhook

    if when is None:
        deliver_webhook.enqueue(delivery_pk)
    elif deliver_webhook.get_backend().supports_defer:
        deliver_webhook.using(run_after=when).enqueue(delivery_pk)
    # Otherwise `manage.py send_webhooks` (run every minute) sends it once it is due.


def deliver(delivery_pk: int) -> WebhookDelivery:
    """Send one delivery now; on failure schedule the next attempt or give up."""
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_pk)
    if delivery.status != DeliveryStatus.PENDING:
        return delivery
    sub = delivery.subscription
    body = json.dumps({**delivery.payload, "delivery": delivery.pk}, separators=(",", ":")).encode()
    timestamp = str(int(timezone.now().timestamp()))
    outgoing = urllib.request.Request(  # noqa: S310 - the scheme is checked at subscription (https, or http if allowed)
        sub.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Saferhub-Webhooks/1",
            "X-Saferhub-Event": delivery.event,
            "X-Saferhub-Delivery": str(delivery.pk),
            "X-Saferhub-Timestamp": timestamp,
            "X-Saferhub-Signature": sign(sub.secret, timestamp, body),
        },
    )
    delivery.attempts += 1
    try:
        with urllib.request.urlopen(outgoing, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            delivery.last_status_code = response.status
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.last_error = ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        delivery.last_status_code = getattr(exc, "code", None)
        delivery.last_error = str(exc)[:500]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = timezone.now() + BACKOFF[delivery.attempts - 1]
    delivery.save()
    if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at is not None:
        _enqueue(delivery.pk, delivery.next_attempt_at)
    return delivery


def send_due(now: datetime.datetime | None = None) -> int:
    """Send every pending delivery whose next attempt is due (for backends that cannot defer)."""
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now or timezone.now())
    count = 0
    for pk in due.values_list("pk", flat=True)[:500]:
        deliver(pk)
        count += 1
    return count
