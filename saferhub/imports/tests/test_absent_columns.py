"""A column missing from the header leaves existing records' fields alone; a blank cell clears them.

The rule is the framework's (Row.has / Row.present_only); each kind applies it to its own fields.
"""

import io

import pytest

from saferhub.accounts.models import Agency, AgencyKind
from saferhub.asb.models import AsbCase, CaseReview, Intervention, InterventionStatus
from saferhub.asb.tests.world import build_world as build_asb_world
from saferhub.cases.models import Case, CaseStatus, StageLog
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import Row, run_import
from saferhub.victims.models import HubReferral
from saferhub.victims.tests.world import build_world as build_hub_world

pytestmark = pytest.mark.django_db


def load(partnership, kind, lines, **kwargs):
    text = "\n".join(lines) + "\n"
    return run_import(get_kind(kind), io.StringIO(text), partnership=partnership, filename="t.csv", **kwargs)


def counts(result):
    assert result.ok, result.errors
    return (result.created, result.updated, result.unchanged)


# The framework ---------------------------------------------------------------------------------


def test_present_only_keeps_fields_whose_column_is_in_the_file():
    row = Row(line=2, raw={}, present=frozenset({"a", "c"}))
    values = {"x": 1, "y": 2, "z": 3, "always": 4}
    assert row.present_only(values, {"x": "a", "y": "b", "z": ("b", "c")}) == {"x": 1, "z": 3, "always": 4}
    assert row.has("a") and not row.has("b")


# organisations -----------------------------------------------------------------------------------

FULL = ["external_ref,name,kind,parent", "G1,Invented Group,council,", "O1,Invented Outreach,voluntary,Invented Group"]


@pytest.fixture
def partnership(db):
    from saferhub.imports.tests.helpers import one_partnership

    return one_partnership()


def test_organisations_without_kind_and_parent_columns_keep_them(partnership):
    assert counts(load(partnership, "organisations", FULL)) == (2, 0, 0)
    result = load(partnership, "organisations", ["external_ref,name", "O1,Invented Outreach Service", "N1,New One"])
    assert counts(result) == (1, 1, 0)
    outreach = Agency.objects.get(external_ref="O1")
    assert outreach.name == "Invented Outreach Service"
    assert outreach.kind == AgencyKind.VOLUNTARY and outreach.parent.name == "Invented Group"
    # A new record takes the defaults.
    new = Agency.objects.get(external_ref="N1")
    assert new.kind == AgencyKind.OTHER and new.parent is None


def test_organisations_only_the_columns_given_are_unchanged(partnership):
    load(partnership, "organisations", FULL)
    assert counts(load(partnership, "organisations", ["external_ref,name,kind", "O1,Invented Outreach,voluntary"])) == (
        0,
        0,
        1,
    )


def test_organisations_blank_cells_clear_the_fields(partnership):
    load(partnership, "organisations", FULL)
    assert counts(load(partnership, "organisations", ["external_ref,name,kind,parent", "O1,Invented Outreach,,"])) == (
        0,
        1,
        0,
    )
    outreach = Agency.objects.get(external_ref="O1")
    assert outreach.kind == AgencyKind.OTHER and outreach.parent is None


# victim-hub-referrals ------------------------------------------------------------------------

HUB_FULL = [
    "external_ref,received_on,referrer_organisation,referral_kind,victim_type,crime_type,reported_to_police,"
    "person_ref,first_name,age,support_provided,vcop_informed_on,closed_on",
    "R1,2023-04-03,Testshire Homes,victim,direct,robbery,yes,P1,Ada,34,vcop_rights;personal_safety,2023-04-05,2023-05-01",
]
# The same referral from a system that knows nothing of closure, support, police or the person.
HUB_NARROW = [
    "external_ref,received_on,referrer_organisation,referral_kind,victim_type,crime_type",
    "R1,2023-04-03,Testshire Homes,victim,direct,gbh",
]


@pytest.fixture
def hub_world():
    return build_hub_world()


def test_hub_referrals_without_optional_columns_keep_closure_support_and_person(hub_world):
    assert counts(load(hub_world.partnership, "victim-hub-referrals", HUB_FULL)) == (1, 0, 0)
    case = Case.objects.get(external_ref="R1")
    Case.objects.filter(pk=case.pk).update(closure_reason="support_completed")
    logs_before = StageLog.objects.filter(case=case).count()

    assert counts(load(hub_world.partnership, "victim-hub-referrals", HUB_NARROW)) == (0, 1, 0)
    case.refresh_from_db()
    hub = HubReferral.objects.select_related("referral__person").get(external_ref="R1")
    assert hub.crime_type.code == "gbh"  # a column the file has is updated
    assert case.status == CaseStatus.CLOSED and str(case.closed_on) == "2023-05-01"
    assert case.closure_reason == "support_completed"
    assert StageLog.objects.filter(case=case).count() == logs_before
    assert sorted(hub.support.values_list("support_type__code", flat=True)) == ["personal_safety", "vcop_rights"]
    assert hub.reported_to_police == "yes" and str(hub.vcop_informed_on) == "2023-04-05"
    assert hub.referral.person.external_ref == "P1" and hub.age_at_referral == 34
    # The narrow file again is unchanged.
    assert counts(load(hub_world.partnership, "victim-hub-referrals", HUB_NARROW)) == (0, 0, 1)


def test_hub_referrals_with_blank_cells_reopen_clear_support_and_mark_unknown(hub_world):
    load(hub_world.partnership, "victim-hub-referrals", HUB_FULL)
    blank = [HUB_FULL[0], "R1,2023-04-03,Testshire Homes,victim,direct,robbery,,P1,Ada,34,,,"]
    assert counts(load(hub_world.partnership, "victim-hub-referrals", blank)) == (0, 1, 0)
    case = Case.objects.get(external_ref="R1")
    hub = HubReferral.objects.get(external_ref="R1")
    assert case.status == CaseStatus.OPEN and case.closed_on is None and case.closure_reason == ""
    assert not hub.support.exists()
    assert hub.reported_to_police == "unknown" and hub.vcop_informed_on is None


def test_hub_referrals_absent_and_blank_columns_are_not_the_same_row(hub_world):
    # A narrow file, then the same values with the extra columns present but blank: the second must clear.
    load(hub_world.partnership, "victim-hub-referrals", HUB_FULL)
    load(hub_world.partnership, "victim-hub-referrals", HUB_NARROW)
    wider = [HUB_NARROW[0] + ",closed_on", HUB_NARROW[1] + ","]
    assert counts(load(hub_world.partnership, "victim-hub-referrals", wider)) == (0, 1, 0)
    assert Case.objects.get(external_ref="R1").status == CaseStatus.OPEN


def test_a_new_hub_referral_from_a_narrow_file_takes_the_defaults(hub_world):
    assert counts(load(hub_world.partnership, "victim-hub-referrals", HUB_NARROW)) == (1, 0, 0)
    hub = HubReferral.objects.get(external_ref="R1")
    assert hub.referral.case.status == CaseStatus.OPEN and hub.reported_to_police == "unknown"
    assert hub.referral.person is None and not hub.support.exists()


# ASB kinds ---------------------------------------------------------------------------------------


@pytest.fixture
def asb_world():
    return build_asb_world()


def test_asb_cases_without_closed_on_ward_or_location_keep_them(asb_world):
    full = [
        "external_ref,opened_on,category,closed_on,ward,location",
        "E1,2022-05-01,fly_tipping,2022-09-01,Invented Ward,Behind the shops",
    ]
    load(asb_world.partnership, "asb-cases", full, user=asb_world.admin)
    result = load(
        asb_world.partnership,
        "asb-cases",
        ["external_ref,opened_on,category", "E1,2022-05-01,asb_nuisance"],
        user=asb_world.admin,
    )
    assert counts(result) == (0, 1, 0)
    asb = AsbCase.objects.select_related("case").get(external_ref="E1")
    assert asb.category.code == "asb_nuisance"
    assert asb.case.status == CaseStatus.CLOSED and str(asb.case.closed_on) == "2022-09-01"
    assert asb.ward == asb_world.ward and asb.location == "Behind the shops"


def test_asb_interventions_without_payment_columns_keep_payment_and_status(asb_world):
    full = [
        "external_ref,kind,served_on,offence_code,amount_pence,paid_on",
        "I2,fpn,2023-02-01,CST13,40000,2023-02-10",
        "I3,cpn,2023-02-01,,,",
    ]
    load(asb_world.partnership, "asb-interventions", full, user=asb_world.admin)
    Intervention.objects.filter(external_ref="I3").update(status=InterventionStatus.BREACHED)
    narrow = ["external_ref,kind,served_on", "I2,fpn,2023-02-03", "I3,cpn,2023-02-01"]
    assert counts(load(asb_world.partnership, "asb-interventions", narrow, user=asb_world.admin)) == (0, 1, 1)
    fpn = Intervention.objects.get(external_ref="I2")
    assert (str(fpn.served_on), fpn.offence.code, fpn.amount_pence, str(fpn.paid_on), fpn.status) == (
        "2023-02-03",
        "CST13",
        40000,
        "2023-02-10",
        InterventionStatus.PAID,
    )
    assert Intervention.objects.get(external_ref="I3").status == InterventionStatus.BREACHED
    # A new fixed penalty still needs its offence code.
    result = load(asb_world.partnership, "asb-interventions", [narrow[0], "I9,fpn,2023-02-03"], user=asb_world.admin)
    assert "line 2, column offence_code: a fixed penalty needs an offence code" in result.errors


def test_asb_case_reviews_without_the_review_columns_keep_them(asb_world):
    full = [
        "external_ref,applied_on,threshold_met,review_held_on,recommendations_made",
        "R1,2022-07-01,yes,2022-08-01,yes",
    ]
    load(asb_world.partnership, "asb-case-reviews", full, user=asb_world.admin)
    narrow = ["external_ref,applied_on,threshold_met", "R1,2022-07-02,yes"]
    assert counts(load(asb_world.partnership, "asb-case-reviews", narrow, user=asb_world.admin)) == (0, 1, 0)
    review = CaseReview.objects.get(external_ref="R1")
    assert str(review.applied_on) == "2022-07-02"
    assert str(review.review_held_on) == "2022-08-01" and review.recommendations_made
