"""Imports `asb-cases`, `asb-interventions` and `asb-case-reviews`: all or nothing, idempotent, errors by line and column."""

import io

import pytest

from saferhub.asb.models import AsbCase, AsbDesk, CaseReview, Intervention
from saferhub.asb.tests.world import build_world
from saferhub.cases.models import CaseStatus, Participant
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import


@pytest.fixture
def world(db):
    return build_world()


def load(w, kind, text, **kwargs):
    return run_import(
        get_kind(kind), io.StringIO(text), partnership=w.partnership, filename="x.csv", user=w.admin, **kwargs
    )


CASES = (
    "external_ref,opened_on,category,closed_on,ward,location,subject_ref,complainant_ref\n"
    "E1,2022-05-01,fly_tipping,,Invented Ward,Behind the shops,S1,C1\n"
    "E2,2022-06-01,asb_nuisance,2022-09-01,,,S1,\n"
)


def test_asb_cases_import_creates_then_changes_nothing_then_updates(world):
    result = load(world, "asb-cases", CASES)
    assert result.ok and (result.created, result.updated, result.unchanged) == (2, 0, 0), result.errors
    e1 = AsbCase.objects.get(external_ref="E1")
    assert e1.case.owning_team == world.asb_team and e1.ward == world.ward and e1.case.reference.startswith("ASB-2022-")
    assert Participant.objects.filter(case=e1.case).count() == 2
    assert AsbCase.objects.get(external_ref="E2").case.status == CaseStatus.CLOSED
    again = load(world, "asb-cases", CASES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = load(
        world, "asb-cases", CASES.replace("E2,2022-06-01,asb_nuisance,2022-09-01", "E2,2022-06-01,asb_personal,")
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 1)
    e2 = AsbCase.objects.get(external_ref="E2")
    assert e2.category.code == "asb_personal" and e2.case.status == CaseStatus.OPEN


def test_asb_cases_import_is_all_or_nothing_with_clear_errors(world):
    bad = CASES + "E3,2022-13-01,nonsense,,Nowhere,,,\n"
    result = load(world, "asb-cases", bad)
    assert not result.ok and AsbCase.objects.filter(external_ref__startswith="E").count() == 0
    assert "line 4, column opened_on: '2022-13-01' is not a date in the form YYYY-MM-DD" in result.errors
    assert "line 4, column category: 'nonsense' is not a code in the asb_case_categories list" in result.errors
    assert (
        "line 4, column ward: unknown ward 'Nowhere': an administrator adds it on the Wards page (Administration)"
        " or imports the ONS lookup with `import_records geography`"
    ) in result.errors


def test_asb_cases_import_needs_the_asb_team(world):
    AsbDesk.objects.all().delete()
    result = load(world, "asb-cases", CASES)
    assert not result.ok and "ASB team" in result.errors[0]


def test_asb_interventions_import(world):
    load(world, "asb-cases", CASES)
    text = (
        "external_ref,case_ref,kind,served_on,offence_code,amount_pence,paid_on,subject_ref\n"
        "I1,E1,cpn,2023-01-10,,,,S1\n"
        "I2,,fpn,2023-02-01,CST13,40000,2023-02-10,S9\n"
    )
    result = load(world, "asb-interventions", text)
    assert result.ok and result.created == 2, result.errors
    cpn = Intervention.objects.get(external_ref="I1")
    assert cpn.case == AsbCase.objects.get(external_ref="E1").case and cpn.person.external_ref == "S1"
    assert Intervention.objects.get(external_ref="I2").status == "paid"
    assert load(world, "asb-interventions", text).unchanged == 2
    bad = load(world, "asb-interventions", text + "I3,E9,fpn,2023-02-01,,,,\nI4,,cpn,2023-02-01,CST01,,,\n")
    assert not bad.ok
    assert "line 4, column offence_code: a fixed penalty needs an offence code" in bad.errors
    assert "line 5, column offence_code: only a fixed penalty (kind fpn) has this" in bad.errors


def test_asb_case_reviews_import(world):
    text = "external_ref,applied_on,threshold_met,review_held_on,recommendations_made\nR1,2022-07-01,yes,2022-08-01,yes\nR2,2022-08-01,no,,\n"
    result = load(world, "asb-case-reviews", text)
    assert result.ok and result.created == 2, result.errors
    r1 = CaseReview.objects.get(external_ref="R1")
    assert r1.historical and r1.threshold_met and r1.recommendations_made and r1.reference.startswith("ACR-2022-")
    assert load(world, "asb-case-reviews", text).unchanged == 2
    bad = load(
        world,
        "asb-case-reviews",
        "external_ref,applied_on,threshold_met,recommendations_made\nR3,2022-07-01,maybe,yes\n",
    )
    assert "line 2, column threshold_met: 'maybe' is not one of: yes, no" in bad.errors
