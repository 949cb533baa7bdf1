"""Every column of numbers is right-aligned on the page and stored as numbers in the spreadsheet."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
from django.template.loader import render_to_string

from saferhub.reporting.outputs import table_context, to_xlsx
from saferhub.reporting.tables import Table, suppress

# Like the hub return's quarterly table: "Target" is neither a count nor derived, and blank where unset.
TARGETS = Table(
    key="by-quarter",
    caption="Referrals received by quarter, against target",
    columns=["Quarter", "Referrals", "Target", "Referrals minus target", "Comment"],
    rows=[
        ["2023/24 Q1", 7, 10, -3, "short staffed"],
        ["2023/24 Q2", 12, None, "", ""],
    ],
    derived=(3,),
    total=["Total", 19, 10, 9, ""],
)


def cells_of(html, tag):
    return re.findall(rf'<{tag}[^>]*class="([^"]*)"[^>]*>([^<]*)</{tag}>', html)


def test_numeric_columns_are_counts_derived_declared_and_those_holding_only_numbers():
    assert TARGETS.numeric == [1, 2, 3]
    assert Table(key="k", caption="c", columns=["A", "B", "C"], rows=[["x", 1, "n/a"]], numbers=(2,)).numeric == [
        1,
        2,
    ]
    # Text, and a column with nothing in it, stay as they are.
    assert Table(key="k", caption="c", columns=["A", "B", "C"], rows=[["x", 1, None]]).numeric == [1]


def test_suppressed_markers_do_not_stop_a_column_being_numeric():
    table = Table(
        key="k", caption="c", columns=["Group", "Referrals", "Per cent"], rows=[["A", 3, 30.0], ["B", 7, 70.0]]
    )
    published = suppress(table)
    assert published.rows == [["A", "<5", 30.0], ["B", 7, 70.0]]
    assert published.numeric == [1, 2]


def test_every_numeric_column_is_right_aligned_in_html():
    html = render_to_string("reporting/_tables.html", {"tables": table_context([TARGETS])})
    headers = dict((text, classes) for classes, text in cells_of(html, "th"))
    for heading in ("Referrals", "Target", "Referrals minus target"):
        assert "govuk-table__header--numeric" in headers[heading]
    assert "numeric" not in headers["Comment"]
    cells = cells_of(html, "td")
    assert ("govuk-table__cell govuk-table__cell--numeric", "10") in cells
    assert ("govuk-table__cell", "short staffed") in cells


def test_xlsx_stores_numbers_as_numbers_and_blanks_as_empty_cells():
    table = Table(
        key="k",
        caption="Scores",
        columns=["Measure", "Value", "Note"],
        rows=[["Average", Decimal("6.5"), "12"], ["Count", "1,204", "x"], ["Missing", "", ""]],
        numbers=(1,),
    )
    content = to_xlsx("Test", {"period": {}}, [TARGETS, table], date_to=datetime.date(2024, 3, 31))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    quarters = list(workbook.worksheets[0].iter_rows(min_row=5, values_only=True))
    assert quarters == [
        ("2023/24 Q1", 7, 10, -3, "short staffed"),
        ("2023/24 Q2", 12, None, None, None),
        ("Total", 19, 10, 9, None),
    ]
    scores = workbook.worksheets[1]
    assert [scores.cell(row, 2).value for row in (5, 6, 7)] == [6.5, 1204, None]
    assert scores.cell(5, 3).value == "12"  # not a numeric column: left as written
    assert scores.cell(5, 2).alignment.horizontal == "right"
    assert scores.cell(4, 2).alignment.horizontal == "right"  # its heading too


def test_xlsx_shows_percentages_as_percentages_fits_columns_and_writes_the_period_in_words():
    table = Table(
        key="k",
        caption="Referrals by group",
        columns=["Group of people referred to the hub", "Referrals", "Per cent of referrals (%)"],
        rows=[["Children and young people", 1204, 45.2], ["Adults", 1, "[c]"]],
    )
    result = {"period": {"from": "2026-04-01", "to": "2026-06-30"}}
    content = to_xlsx("Hub return", result, [table], date_to=datetime.date(2026, 6, 30))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "Hub return, 1 April 2026 to 30 June 2026"
    share = sheet.cell(5, 3)
    assert share.value == 0.452
    assert share.number_format == "0.0%"
    assert sheet.cell(6, 3).value == "[c]"  # a marker stays as written
    assert sheet.cell(5, 2).number_format == "#,##0"
    # Wide enough for the longest heading or value, not the caption above the table.
    assert sheet.column_dimensions["A"].width >= len("Group of people referred to the hub")
    assert sheet.column_dimensions["C"].width >= len("Per cent of referrals (%)")
