"""Webhook deliveries run in the task worker, never in the request that caused the event."""

from django_tasks import task

from saferhub.api import webhooks


@task()
def deliver_webhook(delivery_pk: int) -> None:
    webhooks.deliver(delivery_pk)
