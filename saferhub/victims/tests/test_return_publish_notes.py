"""QA regressions: a published return reveals no suppressed count through its notes, and the
spreadsheet holds percentages as numbers."""

import datetime
import io

import openpyxl
import pytest

from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report
from saferhub.reporting.tables import CONFIDENTIAL, SUPPRESSED
from saferhub.victims import actions
from saferhub.victims.tests.test_return import add
from saferhub.victims.tests.world import build_world

pytestmark = pytest.mark.django_db

PERIOD = (datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))


@pytest.fixture
def world():
    return build_world()


def _run(world, **options):
    return run_report(get_report("victim-hub"), world.partnership, *PERIOD, **options)


def test_published_tables_hide_the_difference_from_target_with_the_count(world):
    for _ in range(3):
        add(world, datetime.date(2023, 4, 10))
    actions.set_targets(world.analyst, world.partnership, 2023, {1: 24})
    internal = {t.key: t for t in _run(world, fmt="html").tables}["by-quarter"]
    assert internal.rows[0][1:] == [3, 24, -21] and internal.total[1:] == [3, 24, -21]
    published = _run(world, fmt="html", publish=True)
    quarter = {t.key: t for t in published.tables}["by-quarter"]
    assert quarter.rows[0][1:] == [SUPPRESSED, 24, CONFIDENTIAL]
    assert quarter.total[1:] == [SUPPRESSED, 24, CONFIDENTIAL]
    content = published.render("html")[0].decode()
    assert "-21" not in content and "+0" not in content


def test_no_note_of_a_published_return_holds_a_count(world):
    for _ in range(3):
        add(world, datetime.date(2023, 4, 10))
    actions.set_targets(world.analyst, world.partnership, 2023, {1: 24})
    for table in _run(world, fmt="html", publish=True).tables:
        for note in table.notes:
            assert not any(char.isdigit() for char in note.replace("(1 to 10)", "")), (table.key, note)


def test_closed_referrals_are_a_table_row(world):
    add(world, datetime.date(2023, 4, 10))
    first_contact = {t.key: t for t in _run(world, fmt="html").tables}["first-contact"]
    assert first_contact.rows[-1][:2] == ["Closed", 0]


def test_the_spreadsheet_holds_percentages_as_percentages(world):
    for day in (10, 11, 12):
        add(world, datetime.date(2023, 4, day), vcop_informed_on=datetime.date(2023, 4, 20))
    content = _run(world, fmt="xlsx").render("xlsx")[0]
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = next(ws for ws in workbook.worksheets if ws["A1"].value.startswith("Victims' Code"))
    row = next(r for r in sheet.iter_rows() if r[0].value == "Informed of their Victims' Code rights")
    # A fraction shown as a percentage, so spreadsheet sums and charts work on it.
    assert [cell.value for cell in row[1:]] == [3, 1]
    assert row[2].number_format == "0.0%"
