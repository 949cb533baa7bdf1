"""The ASB demo data builds on the core demo, walks the showcase case to a closure order, and runs once."""

import random

import pytest

from saferhub.accounts.models import Partnership
from saferhub.asb.demo import build_demo
from saferhub.asb.models import AsbCase, CaseReview, Intervention, Pspo
from saferhub.core.demo import load_demo


@pytest.mark.django_db
@pytest.mark.demo
def test_demo_builds_once():
    load_demo()
    partnership = Partnership.objects.get(slug="demo")
    build_demo(partnership, random.Random(1))  # the lead may already call it from load_demo
    assert AsbCase.objects.filter(partnership=partnership).count() > 10
    assert Intervention.objects.filter(kind__code="closure_order").count() == 1
    assert Pspo.objects.get().conditions.count() == 11
    assert CaseReview.objects.filter(matched_automatically=True).count() == 1
    assert not build_demo(partnership, random.Random(1))
