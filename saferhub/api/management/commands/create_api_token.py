from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saferhub.accounts.models import User
from saferhub.api.models import TokenScope
from saferhub.api.tokens import DEFAULT_DAYS, TokenError, create_token


class Command(BaseCommand):
    help = "Make a personal access token for a user (e.g. a system account) and print it once; only its digest is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the user the token acts as")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"days until it expires (default {DEFAULT_DAYS})"
        )
        parser.add_argument("--name", default="Made on the command line", help="what the token is for")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No user has the e-mail address {options['email']}.")
        try:
            token, secret = create_token(user, name=options["name"], scope=options["scope"], days=options["days"])
        except TokenError as exc:
            raise CommandError(f"{exc}.") from exc
        self.stderr.write(
            f"Token for {user.email} ({token.get_scope_display().lower()}), expires {token.expires_at:%-d %B %Y}. "
            "It is shown once: keep it now."
        )
        self.stdout.write(secret)
