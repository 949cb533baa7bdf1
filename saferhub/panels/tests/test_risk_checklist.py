"""The DA MARAC referral uses the assessments app's risk checklist (24 yes/no items; 14+ is visible high risk)."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from saferhub.assessments.definitions import install_templates
from saferhub.cases.models import RiskLevel
from saferhub.panels.forms import checklist_template
from saferhub.panels.models import PanelReferral
from saferhub.panels.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_world()
    install_templates(world.partnership)
    return world


def _data(world, yes: int, answered: int = 24):
    template = checklist_template(world.da)
    assert template is not None
    codes = [q.code for q in template.questions.all()]
    assert len(codes) == 24
    data = {
        "person_first_name": "Nell",
        "person_last_name": "Brackwater",
        "referral_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "referring_agency": world.police.pk,
        "basis": "visible_high_risk",
        "mental_health_need": "unknown",
    }
    for number, code in enumerate(codes[:answered]):
        data[f"check_{code}"] = "yes" if number < yes else "no"
    return data


def _post(world, data):
    client = Client()
    client.force_login(world.coordinator)
    return client.post("/panels/types/da_marac/refer/details/", data)


def test_answered_checklist_gives_the_score_and_is_kept_as_an_assessment(world):
    assert _post(world, _data(world, yes=15)).status_code == 302
    referral = PanelReferral.objects.select_related("assessment", "panel_case__case").get()
    assert referral.dash_score == 15 and referral.visible_high_risk
    assert referral.assessment.score == 15 and referral.assessment.case == referral.panel_case.case
    assert referral.panel_case.case.risk_level == RiskLevel.HIGH


def test_thirteen_yes_is_not_visible_high_risk(world):
    response = _post(world, _data(world, yes=13))
    assert response.status_code == 200
    assert "A score of 13 is below 14" in response.content.decode()
    assert not PanelReferral.objects.exists()


def test_a_half_answered_checklist_is_refused(world):
    response = _post(world, _data(world, yes=10, answered=12))
    assert response.status_code == 200
    assert "Answer this question" in response.content.decode() or "answer this question" in response.content.decode()
    assert not PanelReferral.objects.exists()


def test_a_typed_score_works_without_the_checklist(world):
    data = _data(world, yes=0, answered=0) | {"dash_score": "17"}
    assert _post(world, data).status_code == 302
    referral = PanelReferral.objects.get()
    assert referral.dash_score == 17 and referral.assessment is None
