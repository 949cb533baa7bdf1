"""The reoffending comparison (/iom/reoffending/): the partnership's own row, counted from Saferhub for the
chosen quarter (the cohort on its last day, their charged offences dated in it, the share of them charged),
beside the imported comparators' rows for that quarter, and the quarter picker. Everything is synthetic."""

import datetime
import html
import re

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.iom import actions
from saferhub.iom.models import Offence, ReoffendingComparator
from saferhub.iom.tests.world import adopt, build_world, client_for, csv_text, import_text
from saferhub.iom.views.figures import partnership_figures

pytestmark = pytest.mark.django_db

D = datetime.date
COMPARATORS = ["area", "quarter", "offenders", "charged_offences", "reoffending_rate", "source"]
OURS = "This partnership (recorded in Saferhub)"


def offence(stay, day, charged="yes"):
    Offence.objects.create(partnership_id=stay.partnership_id, person_id=stay.person_id, offence_date=day,
                           offence_group="robbery", charged=charged)  # fmt: skip


def leave(world, stay, day):
    actions.deselect(world.owner, stay, expected_version=stay.version, left_on=day, reason="reduced_risk")


@pytest.fixture
def world():
    world = build_world()
    # 2022/23 Q3 is 1 October to 31 December 2022; Q4 is 1 January to 31 March 2023.
    a = adopt(world, adopted_on=D(2022, 6, 1))
    offence(a, D(2023, 1, 15))
    offence(a, D(2023, 3, 31))
    offence(a, D(2022, 11, 1))  # Q3
    offence(a, D(2023, 4, 1))  # after Q4
    b = adopt(world, adopted_on=D(2022, 9, 1))
    offence(b, D(2023, 2, 10), charged="no")  # not charged: never counted
    offence(b, D(2023, 2, 11), charged="unknown")
    offence(b, D(2022, 12, 31))  # Q3's last day
    c = adopt(world, adopted_on=D(2022, 6, 1))
    leave(world, c, D(2023, 2, 1))  # not in the cohort at Q4's end
    offence(c, D(2023, 1, 20))
    offence(c, D(2022, 10, 5))  # Q3
    d = adopt(world, adopted_on=D(2023, 2, 15))  # in the cohort at Q4's end only
    offence(d, D(2023, 1, 5))  # before joining, but in Q4 and in the cohort at its end: counted
    f = adopt(world, adopted_on=D(2022, 6, 1))
    leave(world, f, D(2023, 3, 31))  # left on Q4's last day: not in the cohort that day
    offence(f, D(2023, 3, 1))
    adopt(world, adopted_on=D(2023, 4, 3))  # after both quarters
    rows = [
        {"area": "London", "quarter": "2022/23 Q4", "offenders": 2192, "charged_offences": 2339,
         "reoffending_rate": "27.2", "source": "Invented publication"},
        {"area": "Testville Borough", "quarter": "2022/23 Q4", "offenders": 310, "charged_offences": 298,
         "reoffending_rate": "31.5%", "source": "Invented publication"},
        {"area": "London", "quarter": "2022/23 Q3", "offenders": 2200, "charged_offences": 2400,
         "reoffending_rate": "28", "source": "Invented publication"},
    ]  # fmt: skip
    assert import_text(world, "reoffending-comparators", csv_text(COMPARATORS, rows)).created == 3
    other = PartnershipFactory(name="Elsewhere Safer Communities Partnership")
    ReoffendingComparator.objects.create(partnership=other, area="Elsewhere", year=2023, quarter=1, offenders=1,
                                         charged_offences=1, reoffending_rate=1)  # fmt: skip
    return world


def text(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def table_rows(page: str) -> list[list[str]]:
    body = page[page.index('<tbody class="govuk-table__body">') : page.index("</tbody>")]
    return [
        [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def picker(page: str) -> list[tuple[str, bool]]:
    return [(value, bool(selected)) for value, selected in re.findall(r'<option value="([^"]+)"( selected)?>', page)]


def test_the_partnerships_figures_for_a_quarter():
    world = build_world()
    assert partnership_figures(world.partnership.pk, 2022, 4) == {
        "offenders": 0, "charged_offences": 0, "offenders_charged": 0, "reoffending_rate": None
    }  # fmt: skip


def test_the_latest_quarter_is_shown_first_with_our_row_and_the_comparators(world):
    assert partnership_figures(world.partnership.pk, 2022, 4) == {
        "offenders": 3, "charged_offences": 3, "offenders_charged": 2, "reoffending_rate": 66.7
    }  # fmt: skip
    page = client_for(world, "analyst").get("/iom/reoffending/").content.decode()
    assert picker(page) == [("2022/23 Q4", True), ("2022/23 Q3", False)]
    assert "Reoffending in 2022/23 Q4" in page
    # A (two), D (one, before joining but in the cohort on 31 March); B's are not charged, C and F had left.
    assert table_rows(page) == [
        [OURS, "3", "3", "66.7%"],
        ["London", "2192", "2339", "27.2%"],
        ["Testville Borough", "310", "298", "31.5%"],
    ]
    assert "Elsewhere" not in page


def test_the_picker_shows_the_chosen_quarter(world):
    client = client_for(world, "analyst")
    page = client.get("/iom/reoffending/", {"quarter": "2022/23 Q3"}).content.decode()
    assert picker(page) == [("2022/23 Q4", False), ("2022/23 Q3", True)]
    assert "Reoffending in 2022/23 Q3" in page
    # On 31 December 2022: A, B, C and F (D joined later); charged in the quarter: A, B and C, once each.
    assert table_rows(page) == [[OURS, "4", "3", "75.0%"], ["London", "2200", "2400", "28.0%"]]
    # A quarter with no comparator figures is not offered: the latest is shown.
    page = client.get("/iom/reoffending/", {"quarter": "2021/22 Q1"}).content.decode()
    assert "Reoffending in 2022/23 Q4" in page and table_rows(page)[0] == [OURS, "3", "3", "66.7%"]


def test_no_comparators_no_table():
    world = build_world()
    adopt(world, adopted_on=D(2022, 6, 1))
    page = client_for(world, "analyst").get("/iom/reoffending/").content.decode()
    assert "No comparator figures are held yet." in page and "<table" not in page
    assert "Import a file of kind" in page
