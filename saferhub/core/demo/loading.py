"""Loading the demo: the one transaction that runs every step, module demo hooks, and the published sign-ins."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from saferhub.accounts.models import Partnership
from saferhub.cases.models import (
    Case,
)
from saferhub.core.demo.build import (
    Demo,
    _cases,
    _closures_awaiting_approval,
    _partnership,
    _people_and_places,
    _referrals,
    _restricted_case,
    _shares,
    _structure,
)
from saferhub.core.demo.data import DEMO_DOMAIN, DEMO_SLUG, PENDING_REFERRALS, SEED, USERS


@dataclass(frozen=True)
class SignIn:
    email: str
    role: str
    team: str


def sign_ins() -> list[SignIn]:
    """The demo accounts, in the order they are listed to the person trying the demo."""
    return [
        SignIn(f"{local}@{DEMO_DOMAIN}", role.label, team or f"({agency})")
        for local, _name, role, agency, team, _title in USERS
    ]


# Subject modules add their own demo records (e.g. panel meetings) from AppConfig.ready():
# `step(partnership, rng)`, run after the core demo in the same transaction.
# What a module's demo step returns is ignored.
_MODULE_DEMOS: list[Callable[[Partnership, random.Random], object]] = []


def register_demo(step: Callable[[Partnership, random.Random], object]) -> None:
    if step not in _MODULE_DEMOS:
        _MODULE_DEMOS.append(step)


def load_demo(out: Any = None) -> bool:
    """Build the demo partnership; False (and nothing written) when it is already there."""
    write = out or (lambda _msg: None)
    partnership = Partnership.objects.filter(slug=DEMO_SLUG).first()
    if partnership is not None and Case.objects.filter(partnership=partnership).exists():
        write("The demo partnership is already loaded: nothing to do.")
        return False
    # A seeded generator, not a secure one: the same demo every time.
    rng = random.Random(SEED)  # noqa: S311
    with transaction.atomic():
        demo = Demo(partnership=_partnership(partnership), rng=rng, today=timezone.localdate())
        _structure(demo)
        write(f"Made {len(demo.agencies)} agencies, {len(demo.teams)} teams and {len(demo.users)} users.")
        _people_and_places(demo)
        made = _cases(demo)
        _restricted_case(demo)
        _shares(demo, made)
        _referrals(demo)
        for step in _MODULE_DEMOS:
            step(demo.partnership, rng)
        _closures_awaiting_approval(demo)
        write(
            f"Made {len(demo.people)} people, {Case.objects.filter(partnership=demo.partnership).count()} cases "
            f"and {PENDING_REFERRALS} referrals awaiting a decision."
        )
    return True
