"""Opening a case: owned by the user's team, audited, and nothing written on bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, CaseType, StageLog
from saferhub.cases.tests.factories import CaseTypeFactory
from saferhub.cases.tests.test_case_world import build_world

URL = reverse("cases:create")


@pytest.fixture
def world(db):
    return build_world()


def _data(world, **overrides):
    data = {
        "case_type": world.case_type.pk,
        "title": "Invented neighbour dispute",
        "summary": "Synthetic summary.",
        "risk_level": "medium",
        "assigned_to": world.teammate.pk,
        "opened_on": timezone.localdate().isoformat(),
    }
    data.update(overrides)
    return data


def test_creates_case_owned_by_my_team(client, world):
    client.force_login(world.owner)
    before = Case.objects.count()
    response = client.post(URL, _data(world))
    case = Case.objects.exclude(pk__in=[world.case.pk, world.restricted_case.pk]).get()
    assert Case.objects.count() == before + 1
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"reference": case.reference})
    assert case.owning_team == world.owner_team
    assert case.assigned_to == world.teammate
    assert case.risk_level == "medium"
    assert case.reference.startswith("GEN-")
    assert StageLog.objects.filter(case=case, to_status="open").exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, case_id=case.pk, user=world.owner).exists()


def test_form_offers_only_active_types_of_my_partnership(client, world):
    CaseTypeFactory(partnership=world.partnership, code="old", name="Retired type", prefix="OLD", active=False)
    CaseTypeFactory(partnership=PartnershipFactory(), code="elsewhere", name="Elsewhere type", prefix="ELS")
    client.force_login(world.owner)
    page = client.get(URL).content.decode()
    assert "General" in page
    assert "Retired type" not in page
    assert "Elsewhere type" not in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title for the case"),
        ({"case_type": ""}, "Choose the case type"),
        ({"opened_on": "31/02/2024"}, "Date opened must be a real date"),
        (
            {"opened_on": (datetime.date.today() + datetime.timedelta(days=3)).isoformat()},
            "must be today or in the past",
        ),
        ({"risk_level": "extreme"}, "Select one of the options listed"),
        ({"assigned_to": "OTHER"}, "Select one of the options listed"),
    ],
)
def test_bad_input_writes_nothing(client, world, overrides, message):
    if overrides.get("assigned_to") == "OTHER":
        overrides = {"assigned_to": world.colleague.pk}  # not in my team
    client.force_login(world.owner)
    cases, events = Case.objects.count(), AuditEvent.objects.count()
    response = client.post(URL, _data(world, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert Case.objects.count() == cases
    assert AuditEvent.objects.count() == events


def test_inactive_case_type_is_refused(client, world):
    retired = CaseTypeFactory(partnership=world.partnership, code="old", name="Retired", prefix="OLD", active=False)
    client.force_login(world.owner)
    response = client.post(URL, _data(world, case_type=retired.pk))
    assert response.status_code == 200
    assert not CaseType.objects.get(pk=retired.pk).cases.exists()
