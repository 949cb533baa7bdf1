"""CEAM meetings from the set-up file (`panel:ceam` and `missing` duties), the CEAM tool, and the plan linked to
the child's missing record."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from saferhub.accounts.models import Agency, Partnership, Role, Team
from saferhub.accounts.tests.factories import UserFactory
from saferhub.assessments.models import Assessment, AssessmentTemplate, Stage
from saferhub.assessments.scoring import score
from saferhub.cases.models import Case, CaseLink, LawfulBasis
from saferhub.missing import actions, ceam
from saferhub.missing.config import missing_team
from saferhub.panels import actions as panel_actions
from saferhub.panels.models import PanelType
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

FILE = """
[partnership]
slug = "testbury"
name = "Testbury Safer Communities Partnership"
areas = ["E09000901"]

[[agencies]]
name = "Testbury Council"
kind = "council"

  [[agencies.teams]]
  name = "Exploitation and Missing Team"
  duties = ["missing", "panel:ceam"]

[[agencies]]
name = "Testbury Police"
kind = "police"

  [[agencies.teams]]
  name = "Missing Persons Unit"

[[panel_types]]
code = "ceam"
name = "Child Exploitation and Missing meeting"
cadence = "monthly"
assessment_template = "ceam_tool"
member_agencies = ["Testbury Council", "Testbury Police"]
"""


def test_ceam_is_configured_from_the_setup_file_and_its_plan_reaches_the_childs_record(tmp_path):
    path = tmp_path / "testbury.toml"
    path.write_text(FILE, encoding="utf-8")
    call_command("configure_partnership", str(path), stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="testbury")
    team = Team.objects.get(partnership=partnership, name="Exploitation and Missing Team")
    assert missing_team(partnership.pk) == team
    panel_type = PanelType.objects.get(partnership=partnership, code="ceam")
    assert panel_type.coordinating_team == team and panel_type.assessment_template_code == "ceam_tool"
    # Running the file again changes nothing.
    out = io.StringIO()
    call_command("configure_partnership", str(path), stdout=out)
    assert "no changes" in out.getvalue().lower()

    coordinator = UserFactory.create(team=team, full_name="Cleo Coordinator", roles=[Role.CASEWORKER])
    police = Agency.objects.get(partnership=partnership, name="Testbury Police")
    officer = UserFactory.create(
        team=Team.objects.get(agency=police), full_name="Otto Officer", roles=[Role.CASEWORKER]
    )
    child = actions.child_record(
        coordinator, PersonFactory.create(partnership=partnership, first_name="Tia", last_name="Testchild")
    )
    template = AssessmentTemplate.objects.filter(partnership=partnership, code="ceam_tool").get()
    answers = {q.code: "no" for q in template.questions.all()}
    answers.update(missing_episodes="yes", repeat_missing="yes", older_associates="yes", unexplained_money="yes")
    today = datetime.date(2026, 5, 4)
    referral = panel_actions.create_referral(
        coordinator,
        panel_type,
        person=child.person,
        referral_date=today,
        referring_agency=team.agency,
        reason="Missing three times; older associates.",
        checklist=(template, answers),
    )
    assert referral.assessment.template.code == "ceam_tool" and referral.assessment.score == 12
    meeting = panel_actions.schedule_meeting(coordinator, panel_type, date=today + datetime.timedelta(days=7))
    (hearing,) = panel_actions.build_agenda(coordinator, meeting)
    panel_actions.share_information(
        coordinator, hearing, agency=police, lawful_basis=LawfulBasis.CDA_S115, information="Seen at the station."
    )
    panel_actions.agree_action(
        coordinator, hearing, title="Disrupt the address", owner=officer, owner_agency=police, due_on=today
    )
    # The child's record lists the CEAM case; the coordinator links the plan to it.
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("missing:child", args=[child.pk]))
    assert page.context["ceam"] == [(hearing.panel_case.case, False)]
    assert client.post(reverse("missing:child-ceam-link", args=[child.pk])).status_code == 302
    assert CaseLink.objects.filter(from_case=child.case, to_case=hearing.panel_case.case).exists()
    assert ceam.link_ceam_plans(coordinator, child) == 0  # linking again adds nothing


HIGH = ("missing_episodes", "repeat_missing", "found_far_away", "older_associates", "unexplained_money", "debt")


@pytest.mark.parametrize(
    ("yes", "band"),
    [
        ((), "Low"),
        (("missing_episodes", "older_associates", "excluded"), "Medium"),
        (HIGH[:-1] + ("excluded",), "Medium"),  # 17: the top of Medium
        (HIGH, "High"),  # 18: the bottom of High
    ],
)
def test_the_ceam_tool_bands(yes, band, tmp_path):
    path = tmp_path / "testbury.toml"
    path.write_text(FILE, encoding="utf-8")
    call_command("configure_partnership", str(path), stdout=io.StringIO())
    template = AssessmentTemplate.objects.get(partnership__slug="testbury", code="ceam_tool")
    answers = {q.code: "yes" if q.code in yes else "no" for q in template.questions.all()}
    _total, found = score(template, answers)
    assert found is not None and found.label.startswith(band)


def test_the_ceam_tool_is_recorded_again_at_review_and_the_high_band_raises_the_risk(tmp_path):
    path = tmp_path / "testbury.toml"
    path.write_text(FILE, encoding="utf-8")
    call_command("configure_partnership", str(path), stdout=io.StringIO())
    partnership = Partnership.objects.get(slug="testbury")
    team = Team.objects.get(partnership=partnership, name="Exploitation and Missing Team")
    coordinator = UserFactory.create(team=team, full_name="Cleo Coordinator", roles=[Role.CASEWORKER])
    child = PersonFactory.create(partnership=partnership, first_name="Tia", last_name="Testchild")
    template = AssessmentTemplate.objects.get(partnership=partnership, code="ceam_tool")
    codes = [q.code for q in template.questions.all()]
    referral = panel_actions.create_referral(
        coordinator,
        PanelType.objects.get(partnership=partnership, code="ceam"),
        person=child,
        referral_date=datetime.date(2026, 5, 4),
        referring_agency=team.agency,
        reason="Missing three times.",
        checklist=(template, {code: "yes" if code in HIGH[:3] else "no" for code in codes}),
    )
    assert referral.assessment.band_label.startswith("Medium") and referral.assessment.stage == Stage.INITIAL
    case = referral.assessment.case
    # At review the coordinator records the tool again from the case's Assessments page.
    client = Client()
    client.force_login(coordinator)
    listing = client.get(reverse("assessments:case-list", args=[case.reference]))
    url = reverse("assessments:start", kwargs={"reference": case.reference, "template_code": "ceam_tool"})
    assert url in listing.content.decode()
    assert client.get(url).context["form"].initial["stage"] == Stage.REVIEW  # the tool was recorded before
    answers = {f"q_{code}": "yes" if code in HIGH else "no" for code in codes}
    response = client.post(url, {"stage": Stage.REVIEW, "person": child.pk, **answers})
    assert response.status_code == 302
    review = Assessment.objects.filter(case=case).latest("pk")
    assert (review.stage, review.score, review.person) == (Stage.REVIEW, 18, child)
    assert review.band_label == "High: refer to CEAM now"
    assert Case.objects.get(pk=case.pk).risk_level == "high"
    # Both are kept, latest first, with the change from the first.
    rows = client.get(reverse("assessments:case-list", args=[case.reference])).context["rows"]
    assert [row["assessment"].pk for row in rows] == [review.pk, referral.assessment.pk]
    assert rows[0]["change"] == 18 - referral.assessment.score == 9
