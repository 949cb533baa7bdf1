"""Charts in the Office formats, and the Word page: A4, marking, page numbers, repeated headings, alt text."""

import datetime
import io
import re
import zipfile
from types import SimpleNamespace

import docx
import openpyxl
import pytest

from saferhub.reporting.document_charts import Chart, Series, png
from saferhub.reporting.outputs import to_docx, to_xlsx
from saferhub.reporting.tables import Table

TO = datetime.date(2024, 3, 31)
PARTNERSHIP = SimpleNamespace(name="Testborough Community Safety Partnership")
CASES = Table(
    key="types",
    caption="Cases by type",
    columns=["Type", "Cases", "Share (%)"],
    rows=[["Anti-social behaviour", 12, 50], ["Hate crime", 3, 12.5], ["=cmd|' /C calc'!A0", 9, 37.5]],
    total=["Total", 24, 100],
    derived=(2,),
)
NO_CHART = Table(key="notes", caption="Notes", columns=["Term", "Meaning"], rows=[["A", "B"]], counts=(), chart=False)


def _docx(marking: str | None = None) -> bytes:
    extra = {"marking": marking} if marking else {}
    return to_docx("Caseload", {"period": {}}, [CASES, NO_CHART], partnership=PARTNERSHIP, date_to=TO, **extra)


def test_xlsx_has_a_native_chart_of_the_tables_cells_beside_it():
    content = to_xlsx("Caseload", {"period": {}}, [CASES, NO_CHART], date_to=TO)
    assert to_xlsx("Caseload", {"period": {}}, [CASES, NO_CHART], date_to=TO) == content
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [name for name in archive.namelist() if name.startswith("xl/charts/")]
        assert charts == ["xl/charts/chart1.xml"]  # the table without a chart has none
        xml = archive.read(charts[0]).decode()
        drawing = archive.read("xl/drawings/drawing1.xml").decode()
    assert "<barChart>" in xml
    # Headings in row 4, three rows below; the total row is not charted.
    assert "<f>'Cases by type'!$A$5:$A$7</f>" in xml  # the labels, as text
    assert "<strRef>" in xml
    assert "<f>'Cases by type'!$B$5:$B$7</f>" in xml
    assert "<f>'Cases by type'!B4</f>" in xml  # the series is named by its heading
    # Anchored beside the table: three columns, a gap, then the chart (zero-based column 4 = E), at the headings.
    assert re.search(r"<(?:xdr:)?from><(?:xdr:)?col>4</(?:xdr:)?col>.*?<(?:xdr:)?row>3</", drawing)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook["Cases by type"]["A7"].value.startswith("'=")  # still neutralised


def test_docx_is_a4_portrait_with_marking_partnership_and_page_n_of_m():
    document = docx.Document(io.BytesIO(_docx()))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE   Testborough Community Safety Partnership"
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("OFFICIAL-SENSITIVE   Page ") and " of " in footer.text
    assert "PAGE" in footer._p.xml and "NUMPAGES" in footer._p.xml
    assert document.paragraphs[0].style.name == "Heading 1"
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 2"] == ["Cases by type", "Notes"]


def test_the_report_kind_may_mark_its_documents_official():
    section = docx.Document(io.BytesIO(_docx("OFFICIAL"))).sections[0]
    assert section.header.paragraphs[0].text.startswith("OFFICIAL   ")


def test_docx_tables_repeat_their_heading_row_and_each_chart_follows_its_table_with_alt_text():
    content = _docx()
    assert _docx() == content  # byte for byte
    document = docx.Document(io.BytesIO(content))
    first = document.tables[0]
    assert 'w:tblHeader w:val="true"' in first.rows[0]._tr.xml
    assert [cell.text for cell in first.rows[-1].cells] == ["Total", "24", "100"]
    shapes = document.inline_shapes
    assert len(shapes) == 1  # one chart: the notes table has none
    properties = shapes[0]._inline.docPr
    assert properties.get("title") == "Cases by type"
    assert properties.get("descr").startswith("Cases by type. Bar chart of cases by type. Anti-social behaviour: 12;")
    # The picture's paragraph comes straight after the table it draws.
    body = list(document.element.body)
    table_at = body.index(first._tbl)
    assert "graphic" in body[table_at + 1].xml


@pytest.mark.parametrize("kind", ["bar", "line"])
def test_png_is_reproducible_and_carries_no_software_or_time(kind):
    chart = Chart(
        kind=kind,
        title="Burglary",
        description="A chart.",
        categories=[f"Month {n}" for n in range(14)],
        series=[Series("Burglary", [n * 3 % 7 for n in range(14)])],
        marks=[None, "high", *[None] * 11, "low"] if kind == "line" else (),
    )
    image = png(chart)
    assert image.startswith(b"\x89PNG") and png(chart) == image
    assert b"tIME" not in image and b"Software" not in image and b"matplotlib" not in image.lower()
