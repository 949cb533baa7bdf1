from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_slug

from saferhub.accounts.partnerships import PartnershipExists, create_partnership


class Command(BaseCommand):
    help = "Create a partnership with its reference codes and a General case type."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="short name used in URLs and commands, e.g. barnet")
        parser.add_argument("name", help='full name, e.g. "Barnet Safer Communities Partnership"')

    def handle(self, *args: Any, **options: Any) -> None:
        slug, name = options["slug"], options["name"]
        try:
            validate_slug(slug)
        except ValidationError as exc:
            raise CommandError(f"'{slug}' is not a valid slug: use letters, numbers, hyphens and underscores.") from exc
        if len(slug) > 50:
            raise CommandError("The slug must be 50 characters or fewer.")
        try:
            partnership = create_partnership(slug, name)
        except (PartnershipExists, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        codes = partnership.reference_codes.count()
        self.stdout.write(f"Created partnership {partnership.slug} ({partnership.name}) with {codes} reference codes.")
