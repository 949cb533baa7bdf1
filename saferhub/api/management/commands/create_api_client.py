from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from saferhub.accounts.models import User
from saferhub.audit import log
from saferhub.audit.models import AuditAction


class Command(BaseCommand):
    help = (
        "Register an OAuth2 client (client credentials) for a system account: a user of one agency whose roles "
        "decide what the client sees. Prints the client id and secret once; the secret is kept hashed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the system account the client acts as")
        parser.add_argument("--name", default="Partner system", help="what the client is, e.g. 'Council case system'")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"], is_active=True).first()
        if user is None or user.agency_id is None:
            raise CommandError(f"No active user of an agency has the e-mail address {options['email']}.")
        application_model = get_application_model()
        secret = generate_client_secret()
        with transaction.atomic():
            client = application_model.objects.create(
                name=options["name"][:255],
                user=user,
                client_type=application_model.CLIENT_CONFIDENTIAL,
                authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
                client_secret=secret,
            )
            log.record(
                None, AuditAction.CREATE, client, partnership=user.partnership, detail={"system_account": user.pk}
            )
        self.stderr.write(f"OAuth2 client for {user.email} ({user.agency}). The secret is shown once: keep it now.")
        self.stdout.write(f"client_id={client.client_id}\nclient_secret={secret}")
