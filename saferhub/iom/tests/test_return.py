"""`report iom`: offences and cost per person-year before, during and after the cohort, and the four formats."""

import datetime
import io
import json

import pytest
from django.core.management import call_command

from saferhub.iom import actions
from saferhub.iom.models import Offence
from saferhub.iom.report import build, tables
from saferhub.iom.tests.world import adopt, build_world

pytestmark = pytest.mark.django_db


def offence(stay, day, group="robbery"):
    Offence.objects.create(partnership_id=stay.partnership_id, person_id=stay.person_id, offence_date=day,
                           offence_group=group, charged="yes")  # fmt: skip


def test_offending_windows_per_person_year_priced_by_the_table_in_force():
    world = build_world()
    # Joined 1 April 2022, left 1 October 2022; the period ends 31 March 2023.
    stay = adopt(world, adopted_on=datetime.date(2022, 4, 1))
    actions.deselect(world.owner, stay, expected_version=stay.version, left_on=datetime.date(2022, 10, 1),
                     reason="reduced_risk")  # fmt: skip
    for day in (datetime.date(2021, 4, 1), datetime.date(2021, 12, 1), datetime.date(2022, 3, 31)):
        offence(stay, day)  # before: the 12 months to 31 March 2022, 365 days
    offence(stay, datetime.date(2021, 3, 31))  # more than 12 months before: not counted
    offence(stay, datetime.date(2022, 6, 1), "criminal_damage")  # during: 183 days
    offence(stay, datetime.date(2023, 2, 1), "theft_from_vehicle")  # after: 1 October to 31 March, 182 days
    offence(stay, datetime.date(2023, 4, 2))  # after the period: not counted
    result = build(world.partnership, datetime.date(2023, 1, 1), datetime.date(2023, 3, 31))
    offending = result["offending"]
    assert offending["before"] == {
        "offences_per_person_year": round(3 / (365 / 365.25), 1),
        "cost_per_person_year": round(3 * 11320 / (365 / 365.25)),
        "price_year": "2015/16",
    }
    assert offending["during"]["offences_per_person_year"] == round(1 / (183 / 365.25), 1)
    assert offending["during"]["cost_per_person_year"] == round(1350 / (183 / 365.25))
    assert offending["after"]["offences_per_person_year"] == round(1 / (182 / 365.25), 1)
    assert offending["after"]["cost_per_person_year"] == round(870 / (182 / 365.25))
    assert result["cohort"]["total"] == 0 and result["change"] == {"total": 0}


def test_no_stays_give_no_rates():
    world = build_world()
    result = build(world.partnership, datetime.date(2023, 1, 1), datetime.date(2023, 3, 31))
    assert result["offending"]["after"]["offences_per_person_year"] is None
    assert result["cohort"]["ethnic_group"][-1] == {"group": "Not stated", "count": 0}
    assert [table.key for table in tables(result)] == [
        "cohort", "rag", "by_cohort", "ethnic_group", "gender", "age_band", "offending"
    ]  # fmt: skip


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_every_format_renders(fmt, tmp_path):
    world = build_world()
    stay = adopt(world, adopted_on=datetime.date(2022, 4, 1))
    offence(stay, datetime.date(2022, 1, 5))
    target = tmp_path / f"iom.{fmt}"
    call_command("report", "iom", "--from", "2023-01-01", "--to", "2023-03-31", "--partnership",
                 world.partnership.slug, "--format", fmt, "--output", str(target), stdout=io.StringIO())  # fmt: skip
    data = target.read_bytes()
    assert data
    if fmt == "json":
        assert json.loads(data)["cohort"]["total"] == 1
    if fmt == "html":
        text = data.decode()
        assert "Offending per person-year before, during and after the cohort" in text and "<svg" in text
