"""Report outputs: reproducible bytes, and the numbers in every format."""

import datetime
import io
import json

import docx
import openpyxl

from saferhub.reporting.registry import get_report
from saferhub.reporting.service import run_report

D = datetime.date


def report(partnership, publish=False, fmt="json"):
    return run_report(get_report("caseload"), partnership, D(2023, 4, 1), D(2023, 12, 31), fmt=fmt, publish=publish)


def test_json_is_byte_identical_on_two_runs_and_keeps_key_order(caseload):
    first, content_type, filename = report(caseload).render("json")
    second, _, _ = report(caseload).render("json")
    assert first == second
    assert first.endswith(b"}\n")
    assert content_type.startswith("application/json")
    assert filename == "caseload-testborough-2023-04-01-to-2023-12-31.json"
    assert list(json.loads(first)) == ["report", "partnership", "period", "opened", "closed", "open_at_end"]
    assert b'  "report": "caseload"' in first  # indented by two spaces


def test_xlsx_has_a_sheet_per_table_with_the_numbers_and_is_reproducible(caseload):
    content, _, _ = report(caseload, fmt="xlsx").render("xlsx")
    again, _, _ = report(caseload, fmt="xlsx").render("xlsx")
    assert content == again
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == [
        "Caseload summary",
        "Opened and closed by quarter",
        "Cases opened by case type",
        "Cases opened by owning team",
    ]
    values = [row for row in workbook["Cases opened by case type"].iter_rows(values_only=True)]
    assert ("Victim care", 3) in values
    assert ("Total", 5) in values
    assert workbook.properties.created == datetime.datetime(2023, 12, 31)


def test_docx_has_a_table_per_section_with_the_numbers_and_is_reproducible(caseload):
    content, _, _ = report(caseload, fmt="docx").render("docx")
    again, _, _ = report(caseload, fmt="docx").render("docx")
    assert content == again
    document = docx.Document(io.BytesIO(content))
    assert len(document.tables) == 4
    cells = [[cell.text for cell in row.cells] for row in document.tables[3].rows]
    assert cells[0] == ["Team", "Agency", "Cases opened"]
    assert ["Victim Care Hub", "Testborough Council", "3"] in cells
    assert document.core_properties.created == datetime.datetime(2023, 12, 31, tzinfo=datetime.UTC)


def test_html_has_captions_tables_and_charts_with_the_same_numbers(caseload):
    content, _, _ = report(caseload, fmt="html").render("html")
    html = content.decode()
    assert html == report(caseload, fmt="html").render("html")[0].decode()
    assert html.count("<table") == 4
    assert html.count("<svg") == 4
    assert 'role="img"' in html and '<title id="chart-by-case-type-title">Cases opened by case type</title>' in html
    assert "Victim care: 3" in html  # the chart's description lists the numbers


def test_publish_mode_suppresses_small_numbers_in_tables_but_not_json(caseload):
    published = report(caseload, publish=True)
    by_type = next(t for t in published.tables if t.key == "by-case-type")
    assert by_type.rows == [["Victim care", "<5"], ["General", "<5"]]
    assert json.loads(published.render("json")[0])["opened"]["total"] == 5
    html = published.render("html")[0].decode()
    assert "&lt;5" in html
