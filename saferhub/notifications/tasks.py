"""The notification work done by the task worker (`manage.py run_worker`): announcing events and e-mailing.

E-mails name no person: each gives what happened, the record's reference and a link (SITE_URL
plus the record's path); the policy decides what the reader sees once signed in. Each is sent
in plain text and HTML. Before sending, the recipient's right to see the record is checked again.
"""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task

from saferhub import policy
from saferhub.accounts.models import User
from saferhub.notifications import events
from saferhub.notifications.models import Delivery, Notification, Subject


def _record(notification: Notification) -> Any:
    """The record a notification is about, or None if it has gone."""
    from saferhub.asb.models import CaseReview, Intervention
    from saferhub.cases.models import Action, Case, Referral
    from saferhub.governance.models import ProviderReturn
    from saferhub.missing.models import Episode
    from saferhub.victims.models import HubReferral

    models: dict[str, Any] = {
        Subject.CASE: Case,
        Subject.ACTION: Action,
        Subject.REFERRAL: Referral,
        Subject.HUB_REFERRAL: HubReferral,
        Subject.CASE_REVIEW: CaseReview,
        Subject.INTERVENTION: Intervention,
        Subject.EPISODE: Episode,
        Subject.PROVIDER_RETURN: ProviderReturn,
    }
    return models[notification.subject].objects.filter(pk=notification.object_id).first()


def still_allowed(notification: Notification) -> bool:
    return policy.may_be_told(notification.recipient, notification.subject, _record(notification))


def link(notification: Notification) -> str:
    return settings.SITE_URL.rstrip("/") + notification.url


def _send(user: User, subject: str, items: list[Notification], intro: str) -> None:
    context = {
        "intro": intro,
        "items": [{"title": n.title, "reference": n.reference, "link": link(n), "urgent": n.urgent} for n in items],
        "list_link": settings.SITE_URL.rstrip("/") + "/notifications/",
        "preferences_link": settings.SITE_URL.rstrip("/") + "/notifications/preferences/",
    }
    mail = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    mail.attach_alternative(render_to_string("notifications/email.html", context), "text/html")
    mail.send(fail_silently=False)


@task()
def announce(event: str, pk: int, actor_id: int | None = None) -> int:
    """Create an event's notifications (immediate e-mails follow as their own tasks); returns how many."""
    return events.announce_now(event, pk, actor_id)


@task()
def deliver(notification_id: int) -> bool:
    """E-mail one notification straight away; False when it was sent already or may no longer be."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email_skipped=False)
            .first()
        )
        if notification is None:
            return False
        if not notification.recipient.email or not still_allowed(notification):
            notification.email_skipped = True
            notification.save(update_fields=["email_skipped"])
            return False
        _send(
            notification.recipient,
            f"Saferhub: {notification.get_kind_display()}",
            [notification],
            "Saferhub has something for you." if not notification.urgent else "Saferhub has an urgent item for you.",
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def digest_items(user: User) -> list[Notification]:
    """What the user's next digest holds: not yet e-mailed, not read, not sent straight away."""
    from saferhub.notifications.actions import effective_delivery, preferences

    pending = list(Notification.objects.filter(recipient=user).awaiting_email().unread().order_by("created_at", "pk"))
    chosen: dict[str, dict[int, str]] = {}
    items = []
    for notification in pending:
        if notification.kind not in chosen:
            chosen[notification.kind] = preferences([user], notification.kind)
        if effective_delivery(chosen[notification.kind].get(user.pk), notification.urgent) == Delivery.DIGEST:
            items.append(notification)
    return items


@task()
def send_digest(user_id: int) -> int:
    """E-mail the user one digest of their waiting notifications; returns how many it listed."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return 0
    with transaction.atomic():
        items = [n for n in digest_items(user) if still_allowed(n)]
        locked = list(
            Notification.objects.select_for_update()
            .filter(pk__in=[n.pk for n in items], emailed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        items = [n for n in items if n.pk in locked]
        if not items:
            return 0
        count = len(items)
        _send(
            user,
            f"Saferhub: your daily digest ({count} new item{'s' if count != 1 else ''})",
            items,
            f"Saferhub has {count} new item{'s' if count != 1 else ''} for you since your last digest.",
        )
        Notification.objects.filter(pk__in=locked).update(emailed_at=timezone.now())
    return count
