"""The referral lists run a bounded number of queries, however many referrals there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.cases.models import ReferralDecision, ReferralSource
from saferhub.cases.tests.referral_world import build_world, client_for, referral_to_vch
from saferhub.people.tests.factories import PersonFactory


@pytest.fixture
def world(db):
    return build_world()


def _many(world, count):
    now = timezone.now()
    for n in range(count):
        person = PersonFactory(partnership=world.partnership) if n % 2 else None
        source = [ReferralSource.AGENCY, ReferralSource.SELF, ReferralSource.ANONYMOUS][n % 3]
        referral_to_vch(world, person=person, source=source, received_at=now - datetime.timedelta(days=n))
        referral_to_vch(
            world,
            person=person,
            decision=ReferralDecision.DECLINED,
            decision_reason="Test",
            decided_at=now,
            decided_by=world.owner,
        )


@pytest.mark.parametrize("name", ["cases:referral-inbox", "cases:referral-decided", "cases:referral-sent"])
def test_referral_lists_are_bounded(world, name, django_assert_max_num_queries):
    _many(world, 30)
    who = "shared" if name == "cases:referral-sent" else "owner"
    client = client_for(world, who)
    client.get(reverse(name))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse(name))
    assert len(response.context["page_obj"]) == 25


def test_inbox_is_oldest_first_and_paginated(world):
    _many(world, 30)
    client = client_for(world, "owner")
    page = client.get(reverse("cases:referral-inbox")).context["page_obj"]
    first = list(page)
    # Keyset pages: the "Next" link carries the cursor of the last row shown.
    second = list(client.get(reverse("cases:referral-inbox") + page.next_url).context["page_obj"])
    assert len(first) == 25 and len(second) == 5
    received = [r.received_at for r in first + second]
    assert received == sorted(received)
    assert first[0].days_ago == 29


def test_referral_detail_is_bounded(world, django_assert_max_num_queries):
    referral = referral_to_vch(world, person=PersonFactory(partnership=world.partnership))
    client = client_for(world, "owner")
    client.get(reverse("cases:referral-detail", args=[referral.pk]))
    with django_assert_max_num_queries(14):
        client.get(reverse("cases:referral-detail", args=[referral.pk]))


@pytest.mark.parametrize("name", ["cases:referral-inbox", "cases:referral-decided", "cases:referral-sent"])
def test_referral_lists_run_the_same_queries_for_3_rows_as_for_60(world, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    who = "shared" if name == "cases:referral-sent" else "owner"
    client = client_for(world, who)

    def queries() -> int:
        client.get(reverse(name))  # warm the session
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(name))
        return len(captured)

    _many(world, 2)
    few = queries()
    _many(world, 28)
    assert queries() == few
