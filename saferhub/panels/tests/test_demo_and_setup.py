"""The setup step ships the five panel types idempotently; the demo builder adds data once."""

import random

import pytest

from saferhub.accounts.partnerships import create_partnership
from saferhub.cases.models import CaseType
from saferhub.panels.models import PanelType
from saferhub.panels.setup import install_panel_types

pytestmark = pytest.mark.django_db


def test_new_partnership_gets_the_five_panel_types_once():
    partnership = create_partnership("newtown", "Newtown Safer Communities Partnership")
    install_panel_types(partnership)
    assert sorted(PanelType.objects.filter(partnership=partnership).values_list("code", "case_type__prefix")) == [
        ("adults_at_risk", "AAR"),
        ("cs_marac", "CSM"),
        ("da_marac", "MAR"),
        ("iom_review", "IOM"),  # the IOM module's cohort review, on the `iom` case type (docs/iom.md)
        ("sirm", "SIR"),
        ("tve", "TVE"),
    ]
    da = PanelType.objects.get(partnership=partnership, code="da_marac")
    assert (da.assessment_template_code, da.cadence, da.summary_days_before, da.summary_days_after) == (
        "dash_risk_checklist",
        "monthly",
        7,
        7,
    )


def test_a_prefix_already_in_use_is_not_taken():
    from saferhub.accounts.tests.factories import PartnershipFactory

    partnership = PartnershipFactory()
    CaseType.objects.create(partnership=partnership, code="tenancy", name="Tenancy", prefix="TVE")
    install_panel_types(partnership)
    assert PanelType.objects.get(partnership=partnership, code="tve").case_type.prefix == "TVE2"


@pytest.mark.demo
def test_demo_builds_once():
    from saferhub.core.demo import load_demo
    from saferhub.panels.demo import build_demo
    from saferhub.panels.models import Meeting, PanelReferral

    load_demo()
    partnership = PanelType.objects.first().partnership.__class__.objects.get(slug="demo")
    build_demo(partnership, random.Random(1))
    counts = (PanelReferral.objects.count(), Meeting.objects.count())
    build_demo(partnership, random.Random(1))
    assert (PanelReferral.objects.count(), Meeting.objects.count()) == counts
    assert PanelReferral.objects.accepted().filter(is_repeat=True).count() == 3
    # The police's online referral waits for the coordinator, flagged as a repeat.
    assert list(PanelReferral.objects.awaiting_review().values_list("is_repeat", flat=True)) == [True]
    assert Meeting.objects.filter(status="held", panel_type__code="da_marac").count() == 1
    # The IOM demo's cohort reviews: last month's held (two cohort records decided), next week's (three listed).
    reviews = Meeting.objects.filter(panel_type__code="iom_review").order_by("date")
    assert [(m.status, m.hearings.count()) for m in reviews] == [("held", 2), ("scheduled", 3)]
    assert all(h.panel_case.case.case_type.code == "iom" for m in reviews for h in m.hearings.all())
    assert reviews[0].hearings.exclude(decisions="").count() == 2


def test_the_settings_form_offers_assessments_by_name():
    from saferhub.assessments.definitions import install_templates
    from saferhub.panels.forms import PanelTypeForm

    partnership = create_partnership("newtown", "Newtown Safer Communities Partnership")
    install_templates(partnership)
    install_panel_types(partnership)
    da = PanelType.objects.get(partnership=partnership, code="da_marac")
    choices = dict(PanelTypeForm(instance=da).fields["assessment_template_code"].choices)
    assert choices[""] == "None"
    assert choices["dash_risk_checklist"] == "Domestic abuse risk checklist"
    da.assessment_template_code = "retired_tool"
    assert dict(PanelTypeForm(instance=da).fields["assessment_template_code"].choices)["retired_tool"] == (
        "retired_tool (not installed)"
    )
