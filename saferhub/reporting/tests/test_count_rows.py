"""Every return says how many source rows a period covers, so big downloads go to the worker."""

import datetime

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.reporting.builds import rows_covered
from saferhub.reporting.registry import all_reports, get_report
from saferhub.victims.tests.test_return import add
from saferhub.victims.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", sorted(kind.slug for kind in all_reports()))
def test_every_return_counts_its_rows_in_the_database(slug, django_assert_max_num_queries):
    kind = get_report(slug)
    assert kind.count_rows is not None, f"{slug} declares no count_rows: its big downloads would block the request"
    partnership = PartnershipFactory.create()
    # The board pack is made of the other returns: it counts the rows of each of its sections.
    limit = 2 * len(all_reports()) if slug == "board-pack" else 2
    with django_assert_max_num_queries(limit):
        assert kind.count_rows(partnership, datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)) == 0


def test_the_hub_return_counts_referrals_received_in_the_period():
    world = build_world()
    add(world, datetime.date(2024, 5, 1))
    add(world, datetime.date(2024, 6, 30))
    add(world, datetime.date(2024, 7, 1))  # after the period
    kind = get_report("victim-hub")
    assert rows_covered(kind, world.partnership, datetime.date(2024, 4, 1), datetime.date(2024, 6, 30)) == 2
