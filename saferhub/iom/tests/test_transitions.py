"""`report iom-transitions`: who turned 18 in the cohort, who joined from youth justice, who is under 18,
who turns 18 soon; and the cohort list flags the next 18th birthdays."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferhub.iom import actions
from saferhub.iom.tests.world import adopt, build_world, client_for
from saferhub.iom.transitions import build, months_after, tables
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Q4 = (datetime.date(2023, 1, 1), datetime.date(2023, 3, 31))


def born(world, dob):
    return PersonFactory(partnership=world.partnership, first_name="Young", last_name="Person", date_of_birth=dob)


def transitions(world):
    return build(world.partnership, *Q4)["transitions"]


def test_an_18th_birthday_in_the_period_while_in_the_cohort_is_a_transition():
    world = build_world()
    adopt(world, person=born(world, datetime.date(2005, 2, 14)), adopted_on=datetime.date(2022, 6, 1))
    figures = transitions(world)
    assert figures["turned_18"] == 1
    assert figures["under_18_on_last_day"] == 0


@pytest.mark.parametrize(
    ("dob", "adopted_on", "left_on"),
    [
        (datetime.date(2004, 2, 14), datetime.date(2022, 6, 1), None),  # turned 18 a year before the period
        (datetime.date(2005, 4, 1), datetime.date(2022, 6, 1), None),  # turns 18 the day after the period
        (datetime.date(2005, 2, 14), datetime.date(2023, 3, 1), None),  # joined after the birthday
        (datetime.date(2005, 2, 14), datetime.date(2022, 6, 1), datetime.date(2023, 2, 13)),  # left the day before
    ],
)
def test_birthdays_outside_the_period_or_the_stay_are_not_transitions(dob, adopted_on, left_on):
    world = build_world()
    stay = adopt(world, person=born(world, dob), adopted_on=adopted_on)
    if left_on:
        actions.deselect(world.owner, stay, expected_version=stay.version, left_on=left_on, reason="reduced_risk")
    assert transitions(world)["turned_18"] == 0


def test_born_on_29_february_turns_18_on_28_february():
    world = build_world()
    adopt(world, person=born(world, datetime.date(2004, 2, 29)), adopted_on=datetime.date(2021, 6, 1))
    figures = build(world.partnership, datetime.date(2022, 2, 1), datetime.date(2022, 2, 28))["transitions"]
    assert figures["turned_18"] == 1
    assert figures["under_18_on_last_day"] == 0
    before = build(world.partnership, datetime.date(2022, 2, 1), datetime.date(2022, 2, 27))["transitions"]
    assert before["turned_18"] == 0
    assert before["under_18_on_last_day"] == 1


def test_under_18_and_turning_18_in_the_next_six_months():
    world = build_world()
    adopt(world, person=born(world, datetime.date(2005, 4, 1)), adopted_on=datetime.date(2022, 6, 1))  # 1 April 2023
    adopt(world, person=born(world, datetime.date(2005, 9, 30)), adopted_on=datetime.date(2022, 6, 1))  # 30 Sep 2023
    adopt(world, person=born(world, datetime.date(2005, 10, 1)), adopted_on=datetime.date(2022, 6, 1))  # 1 Oct 2023
    adopt(world, person=born(world, datetime.date(1990, 1, 1)), adopted_on=datetime.date(2022, 6, 1))  # an adult
    adopt(world, person=born(world, None), adopted_on=datetime.date(2022, 6, 1))  # date of birth not known
    figures = transitions(world)
    assert figures["under_18_on_last_day"] == 3
    assert figures["turning_18_within_6_months"] == 2  # up to 30 September 2023
    assert figures["turned_18"] == 0


def test_joined_from_youth_justice_in_the_period():
    world = build_world()
    adopt(world, adopted_on=datetime.date(2023, 2, 1), transferred_from_youth_justice=True)
    adopt(world, adopted_on=datetime.date(2022, 12, 31), transferred_from_youth_justice=True)
    adopt(world, adopted_on=datetime.date(2023, 2, 1))
    assert transitions(world)["transferred_from_youth_justice"] == 1


def test_another_partnerships_cohort_is_not_counted():
    world = build_world()
    other = build_world()
    adopt(other, person=born(other, datetime.date(2005, 2, 14)), adopted_on=datetime.date(2022, 6, 1))
    assert transitions(world) == {
        "turned_18": 0,
        "transferred_from_youth_justice": 0,
        "under_18_on_last_day": 0,
        "turning_18_within_6_months": 0,
    }


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2023, 3, 31), 6, datetime.date(2023, 9, 30)),
        (datetime.date(2023, 8, 31), 6, datetime.date(2024, 2, 29)),
        (datetime.date(2023, 12, 31), 6, datetime.date(2024, 6, 30)),
        (datetime.date(2023, 1, 15), 12, datetime.date(2024, 1, 15)),
    ],
)
def test_months_after(day, months, expected):
    assert months_after(day, months) == expected


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "docx"])
def test_every_format_renders(fmt, tmp_path):
    world = build_world()
    adopt(world, person=born(world, datetime.date(2005, 2, 14)), adopted_on=datetime.date(2022, 6, 1))
    target = tmp_path / f"transitions.{fmt}"
    call_command("report", "iom-transitions", "--from", "2023-01-01", "--to", "2023-03-31", "--partnership",
                 world.partnership.slug, "--format", fmt, "--output", str(target), stdout=io.StringIO())  # fmt: skip
    data = target.read_bytes()
    assert data
    if fmt == "json":
        assert json.loads(data)["transitions"]["turned_18"] == 1
    if fmt == "html":
        assert "Turned 18 in the period while in the cohort" in data.decode()
    assert [table.key for table in tables(build(world.partnership, *Q4))] == ["transitions"]


def test_cohort_list_flags_the_next_18th_birthday(monkeypatch):
    world = build_world()
    stay = adopt(world, person=born(world, datetime.date(2005, 4, 1)), adopted_on=datetime.date(2022, 6, 1))
    adult = adopt(world, person=born(world, datetime.date(1990, 1, 1)), adopted_on=datetime.date(2022, 6, 1))
    monkeypatch.setattr("saferhub.iom.views.cohort.today", lambda: datetime.date(2023, 3, 1))
    html = client_for(world, "owner").get(reverse("iom:index")).content.decode()
    row = html[html.index(stay.case.reference) :]
    row = row[: row.index("</tr>")]
    assert "Turns 18 on 1 April 2023" in row
    adult_row = html[html.index(adult.case.reference) :]
    assert "Turns 18" not in adult_row[: adult_row.index("</tr>")]
