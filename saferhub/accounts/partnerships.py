"""Setting up a new partnership (tenant)."""

from collections.abc import Callable

from django.db import transaction

from saferhub.accounts.models import Partnership
from saferhub.cases.models import CaseType
from saferhub.core.seeding import seed_reference_codes


class PartnershipExists(Exception):
    pass


# Subject apps add what a partnership needs of them (case types, templates, panel types)
# from AppConfig.ready(). Each step must be idempotent: it also runs on existing partnerships.
# What a step returns is ignored.
SetupStep = Callable[[Partnership], object]
_SETUP_STEPS: list[SetupStep] = []


def register_setup(step: SetupStep) -> SetupStep:
    if step not in _SETUP_STEPS:
        _SETUP_STEPS.append(step)
    return step


@transaction.atomic
def setup_partnership(partnership: Partnership) -> None:
    """Bring a partnership up to date with what every installed module needs; safe to repeat."""
    seed_reference_codes(partnership)
    CaseType.objects.get_or_create(
        partnership=partnership, code="general", defaults={"name": "General", "prefix": "GEN"}
    )
    for step in _SETUP_STEPS:
        step(partnership)


@transaction.atomic
def create_partnership(slug: str, name: str) -> Partnership:
    """Create a partnership with its reference codes and a "General" case type, or nothing at all."""
    slug = slug.strip()
    name = name.strip()
    if not slug or not name:
        raise ValueError("A partnership needs both a slug and a name.")
    if Partnership.objects.filter(slug=slug).exists():
        raise PartnershipExists(f"A partnership with the slug '{slug}' already exists.")
    partnership = Partnership.objects.create(slug=slug, name=name)
    setup_partnership(partnership)
    return partnership


def partnership_for_command(slug: str | None) -> Partnership:
    """The partnership a management command works on; the slug may be left out when only one exists.

    Raises LookupError with a message fit to show the person at the terminal.
    """
    if slug:
        try:
            return Partnership.objects.get(slug=slug)
        except Partnership.DoesNotExist:
            known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise LookupError(f"There is no partnership '{slug}'. Known partnerships: {known}.") from None
    partnerships = list(Partnership.objects.order_by("slug")[:2])
    if not partnerships:
        raise LookupError("There are no partnerships yet: create one with `manage.py create_partnership`.")
    if len(partnerships) > 1:
        known = ", ".join(Partnership.objects.order_by("slug").values_list("slug", flat=True))
        raise LookupError(f"More than one partnership exists: choose one with --partnership ({known}).")
    return partnerships[0]
