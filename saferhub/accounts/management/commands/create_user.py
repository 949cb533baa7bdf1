"""Create a user from the command line (the first administrator of a new partnership, or scripted set-up)."""

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from saferhub.accounts.models import Agency, Partnership, Role, RoleAssignment, Team, User
from saferhub.audit.log import record
from saferhub.audit.models import AuditAction

PASSWORD_ENV = "SAFERHUB_PASSWORD"  # noqa: S105 - the name of a variable, not a password


class Command(BaseCommand):
    help = (
        "Create a user in a partnership's agency (and optionally a team) with one or more roles. "
        f"The password is read from ${PASSWORD_ENV}, or asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="E-mail address the user signs in with")
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--partnership", required=True, help="Partnership slug")
        parser.add_argument("--agency", required=True, help="Agency name within the partnership")
        parser.add_argument("--team", help="Team name within the agency")
        parser.add_argument(
            "--role",
            action="append",
            dest="roles",
            required=True,
            metavar="ROLE",
            help=f"Role in the partnership; repeat for several. One of: {', '.join(Role.values)}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._unsaved_user(options)
        roles = self._roles(options["roles"])
        password = self._password()
        try:
            validate_password(password, user=user)
        except ValidationError as error:
            raise CommandError("The password is not acceptable: " + " ".join(error.messages)) from error
        user.set_password(password)
        with transaction.atomic():
            user.save()
            RoleAssignment.objects.bulk_create(
                [RoleAssignment(user=user, partnership=user.partnership, role=role) for role in roles]
            )
            record(None, AuditAction.CREATE, user, detail={"roles": roles, "source": "create_user command"})
        self.stdout.write(self.style.SUCCESS(f"Created {user.email} ({user.full_name}) with roles: {', '.join(roles)}"))

    def _unsaved_user(self, options: dict[str, Any]) -> User:
        email = User.objects.normalize_email(options["email"].strip()).lower()
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"{options['email']!r} is not a valid e-mail address.") from error
        if User.objects.filter(email=email).exists():
            raise CommandError(f"A user with the e-mail address {email} already exists.")
        name = options["name"].strip()
        if not name:
            raise CommandError("Give the user's full name with --name.")
        partnership = Partnership.objects.filter(slug=options["partnership"]).first()
        if partnership is None:
            known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No partnership has the slug {options['partnership']!r}. Known slugs: {known}.")
        agency = Agency.objects.live().filter(partnership=partnership, name__iexact=options["agency"].strip()).first()
        if agency is None:
            raise CommandError(f"{partnership.name} has no agency called {options['agency']!r}.")
        team = None
        if options["team"]:
            team = Team.objects.filter(
                agency=agency, name__iexact=options["team"].strip(), archived_at__isnull=True
            ).first()
            if team is None:
                raise CommandError(f"{agency.name} has no team called {options['team']!r}.")
        return User(email=email, full_name=name, partnership=partnership, agency=agency, team=team)

    def _roles(self, requested: list[str]) -> list[str]:
        unknown = [role for role in requested if role not in Role.values]
        if unknown:
            raise CommandError(f"Unknown role {', '.join(map(repr, unknown))}. Roles are: {', '.join(Role.values)}.")
        return list(dict.fromkeys(requested))

    def _password(self) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords do not match.")
        if not password:
            raise CommandError("The password cannot be empty.")
        return password
