from typing import Any

from django.core.management.base import BaseCommand

from saferhub.api.webhooks import send_due


class Command(BaseCommand):
    help = "Send webhook deliveries whose retry is due (for task backends that cannot schedule; run every minute)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Sent {send_due()} due deliveries.")
