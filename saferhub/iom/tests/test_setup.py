"""The IOM set-up: the `iom` duty in the set-up file and on the Set-up page, the case type, the
contact-frequency defaults and the Home Office cost-of-crime table, made once per partnership."""

import io

import pytest
from django.core.management import call_command

from saferhub.accounts import duties
from saferhub.accounts.models import Partnership, Team
from saferhub.cases.models import CaseType
from saferhub.iom.models import CostOfCrime, IomSetting
from saferhub.iom.setup import iom_team, setup_iom

pytestmark = pytest.mark.django_db

FILE = """
[partnership]
slug = "northwick"
name = "Northwick Safer Communities Partnership"

[[agencies]]
name = "Northwick Police"
kind = "police"

  [[agencies.teams]]
  name = "Offender Management Unit"
  duties = ["iom"]
"""


def test_the_iom_duty_is_given_in_the_set_up_file(tmp_path):
    path = tmp_path / "northwick.toml"
    path.write_text(FILE, encoding="utf-8")
    out = io.StringIO()
    call_command("configure_partnership", str(path), stdout=out, stderr=io.StringIO())
    partnership = Partnership.objects.get(slug="northwick")
    team = Team.objects.get(partnership=partnership, name="Offender Management Unit")
    assert iom_team(partnership.pk) == team
    assert "duty iom: now held by Offender Management Unit" in out.getvalue()
    assert duties.holder(partnership, "iom") == team
    assert "iom" in duties.known_patterns()
    # The cohort review panel is given to the IOM team with the duty (docs/iom.md, "Cohort review meetings").
    assert duties.holder(partnership, "panel:iom_review") == team
    again = io.StringIO()
    call_command("configure_partnership", str(path), stdout=again, stderr=io.StringIO())
    assert "No changes" in again.getvalue()


def test_set_up_is_idempotent():
    from saferhub.accounts.tests.factories import PartnershipFactory

    partnership = PartnershipFactory()
    setup_iom(partnership)
    setup_iom(partnership)
    assert CaseType.objects.filter(partnership=partnership, code="iom").count() == 1
    assert CostOfCrime.objects.filter(partnership=partnership).count() == 10
    assert IomSetting.objects.filter(partnership=partnership).count() == 4
