"""An ASB case with a victim at an address and a Community Protection Warning, for the letters tests."""

import datetime
from types import SimpleNamespace

from saferhub.asb import actions as asb_actions
from saferhub.asb.tests.world import build_world, kind
from saferhub.people.models import ContactDetail, ContactKind

D = datetime.date


def letters_world() -> SimpleNamespace:
    world = build_world()
    ContactDetail.objects.create(
        person=world.subject, kind=ContactKind.ADDRESS, value="9 Invented Row\nTestville TE1 1ST"
    )
    world.owner.job_title = "Community Safety Officer"
    world.owner.save()
    world.warning = asb_actions.record_intervention(
        world.owner,
        world.case,
        partnership=world.partnership,
        kind=kind(world.partnership, "cpn_warning"),
        person=world.subject,
        served_on=D(2026, 11, 2),
        details="Stop playing amplified music between 11pm and 7am",
    )
    return world
