"""State changes of notifications: creating them (once per recipient and key), reading them, preferences.

Creating is done by the task worker (``tasks.announce`` and the daily run), never in a request:
the request's action only queues the event once its transaction commits (``events.queue``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub import policy
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.notifications.models import Delivery, Kind, Notification, NotificationPreference


@dataclass(frozen=True)
class Notice:
    """One thing to tell: what (kind), about which record, said without names."""

    kind: str
    subject: str
    obj: Any
    title: str
    reference: str
    url: str
    key: str
    urgent: bool = False


def preferences(users: Iterable[Any], kind: str) -> dict[int, str]:
    rows = NotificationPreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    return {row.user_id: row.delivery for row in rows}


def effective_delivery(chosen: str | None, urgent: bool) -> str:
    """Digest unless the user chose otherwise; urgent items go straight away unless e-mail is off."""
    if chosen == Delivery.OFF:
        return Delivery.OFF
    if urgent or chosen == Delivery.IMMEDIATE:
        return Delivery.IMMEDIATE
    return Delivery.DIGEST


def notify(recipients: Iterable[Any], notice: Notice) -> list[Notification]:
    """Create the notice for each recipient the policy lets see its record, at most once per key.

    Immediate e-mails are queued for the worker once this commits; digest items wait for the
    daily digest; a recipient who turned e-mail off for the kind only sees it in Saferhub.
    """
    from saferhub.notifications.tasks import deliver

    users = {u.pk: u for u in recipients if u is not None}.values()
    allowed = [u for u in users if policy.may_be_told(u, notice.subject, notice.obj)]
    created: list[Notification] = []
    with transaction.atomic():
        done = set(
            Notification.objects.filter(recipient__in=[u.pk for u in allowed], dedupe_key=notice.key).values_list(
                "recipient_id", flat=True
            )
        )
        chosen = preferences(allowed, notice.kind)
        for user in allowed:
            if user.pk in done:
                continue
            delivery = effective_delivery(chosen.get(user.pk), notice.urgent)
            try:
                with transaction.atomic():
                    notification = Notification.objects.create(
                        partnership_id=user.partnership_id,
                        recipient=user,
                        kind=notice.kind,
                        title=notice.title[:200],
                        reference=notice.reference[:50],
                        subject=notice.subject,
                        object_id=notice.obj.pk,
                        url=notice.url,
                        urgent=notice.urgent,
                        dedupe_key=notice.key,
                        email_skipped=delivery == Delivery.OFF or not user.email,
                    )
            except IntegrityError:  # another run created it meanwhile
                continue
            created.append(notification)
            if delivery == Delivery.IMMEDIATE and not notification.email_skipped:
                transaction.on_commit(lambda pk=notification.pk: deliver.enqueue(pk))  # type: ignore[misc]
    return created


@transaction.atomic
def mark_read(user: Any, notification: Notification, request: HttpRequest | None = None) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        log.record(user, AuditAction.UPDATE, notification, request=request, detail={"read": True})
    return notification


@transaction.atomic
def mark_all_read(user: Any, request: HttpRequest | None = None) -> int:
    count = policy.visible_notifications(user).unread().update(read_at=timezone.now())
    if count:
        log.record(user, AuditAction.UPDATE, request=request, detail={"notifications_read": count})
    return count


@transaction.atomic
def save_preferences(user: Any, choices: dict[str, str], request: HttpRequest | None = None) -> int:
    """Store the user's delivery choice per kind; returns how many changed."""
    current = {p.kind: p for p in NotificationPreference.objects.filter(user=user)}
    changed = []
    for kind, delivery in choices.items():
        if kind not in Kind.values or delivery not in Delivery.values:
            continue
        row = current.get(kind)
        if row is None:
            if delivery != Delivery.DIGEST:
                NotificationPreference.objects.create(user=user, kind=kind, delivery=delivery)
                changed.append(kind)
        elif row.delivery != delivery:
            row.delivery = delivery
            row.save(update_fields=["delivery", "modified_at"])
            changed.append(kind)
    if changed:
        log.record(user, AuditAction.UPDATE, user, request=request, detail={"notification_preferences": changed})
    return len(changed)
