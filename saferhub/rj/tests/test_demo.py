"""The demo partnership has the RJ service lived-in: cases at each stage, street resolutions, the
register with training from the activities register, the RJ project plan; the return reads it."""

import pytest
from django.utils import timezone

from saferhub.core.demo import load_demo
from saferhub.governance.models import ActionPlan
from saferhub.rj.models import Member, RjCase, Stage, TrainingRecord
from saferhub.rj.report import build
from saferhub.rj.setup import PLAN_NAME

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo():
    assert load_demo()
    cases = RjCase.objects.all()
    assert {row for row in cases.values_list("stage", flat=True)} == set(Stage.values)
    assert cases.filter(street_resolution=True).count() == 3
    assert cases.filter(source="victim_hub", hub_referral__isnull=False).count() == 2
    assert Member.objects.count() == 6 and TrainingRecord.objects.exists()
    plan = ActionPlan.objects.get(name=PLAN_NAME)
    assert plan.commitments.count() == 5
    today = timezone.localdate()
    result = build(plan.partnership, today.replace(year=today.year - 1), today)
    assert result["referrals"]["total"] == cases.count()
