from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import User
from saferhub.api import actions
from saferhub.api.models import TokenScope


class Command(BaseCommand):
    help = (
        "Register an OAuth2 client (client credentials) for a system account: a user of one agency whose roles "
        "decide what the client sees. Prints the client id and secret once; the secret is kept hashed. "
        "Administrators can do the same on the page Administration > API clients."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the system account the client acts as")
        parser.add_argument("--name", default="Partner system", help="what the client is, e.g. 'Council case system'")
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.WRITE,
            help="'read' (read only) or 'write' (read and write, the default)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None or user.agency_id is None:
            raise CommandError(f"No active user of an agency has the e-mail address {options['email']}.")
        try:
            client, secret = actions.create_api_client(user, name=options["name"], scope=options["scope"])
        except actions.ClientError as error:
            raise CommandError(str(error)) from None
        self.stderr.write(f"OAuth2 client for {user.email} ({user.agency}). The secret is shown once: keep it now.")
        self.stdout.write(f"client_id={client.application.client_id}\nclient_secret={secret}")
