"""The hub's demo data: a directory, targets, imported history and a live queue, added once."""

import random

import pytest

from saferhub.directory.models import Service
from saferhub.victims.demo import HISTORY_ROWS, LIVE, PENDING, build_demo
from saferhub.victims.models import HubReferral, QuarterlyTarget
from saferhub.victims.tests.world import build_world

pytestmark = pytest.mark.django_db


def test_build_demo_adds_hub_data_once():
    world = build_world()
    build_demo(world.partnership, random.Random(1))
    hubs = HubReferral.objects.filter(partnership=world.partnership)
    assert hubs.count() == HISTORY_ROWS + PENDING + LIVE
    assert hubs.awaiting_first_contact().count() == PENDING
    assert Service.objects.filter(partnership=world.partnership).count() == 10
    assert QuarterlyTarget.objects.filter(partnership=world.partnership).count() == 12
    build_demo(world.partnership, random.Random(2))
    assert hubs.count() == HISTORY_ROWS + PENDING + LIVE
