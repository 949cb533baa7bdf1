"""The governance demo: a plan of 20 commitments with history and 30 activities, once."""

import random

import pytest

from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory
from saferhub.governance.demo import build_demo
from saferhub.governance.models import ActionPlan, Activity, Commitment, CommitmentUpdate
from saferhub.governance.reports import build_action_plan, build_activities

pytestmark = pytest.mark.django_db


def test_demo_builds_a_plan_and_activities_once():
    partnership = PartnershipFactory()
    AgencyFactory(partnership=partnership)
    assert build_demo(partnership, random.Random(1)) is True
    assert ActionPlan.objects.of(partnership).count() == 1
    assert Commitment.objects.of(partnership).count() == 20
    assert CommitmentUpdate.objects.filter(commitment__partnership=partnership).count() == 40
    assert Activity.objects.of(partnership).count() == 30
    assert build_demo(partnership, random.Random(1)) is False
    assert Activity.objects.of(partnership).count() == 30
    import datetime

    today = datetime.date.today()
    plan = build_action_plan(partnership, today - datetime.timedelta(days=365), today)["plans"][0]
    assert plan["commitments"] == 20
    assert sum(plan["rag"].values()) == 20
    activities = build_activities(partnership, today - datetime.timedelta(days=400), today)
    assert activities["total"]["sessions"] == 30
