"""Queueing the daily digest: one task per user with notifications waiting for it."""

from typing import Any

from django.db import transaction

from saferhub.notifications.models import Notification


def queue_digests(partnership: Any) -> int:
    """Queue a digest task, once this commits, for every user of the partnership with unread items not yet e-mailed."""
    from saferhub.notifications.tasks import send_digest

    user_ids = sorted(
        set(
            Notification.objects.filter(partnership=partnership, recipient__is_active=True)
            .awaiting_email()
            .unread()
            .values_list("recipient_id", flat=True)
        )
    )
    with transaction.atomic():
        for user_id in user_ids:
            transaction.on_commit(lambda user_id=user_id: send_digest.enqueue(user_id))  # type: ignore[misc]
    return len(user_ids)
