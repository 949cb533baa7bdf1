"""The section registry and the `board-pack` return: each section's figures equal its report run on its own."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from saferhub.boardpack.contents import PackSpec, build_contents
from saferhub.boardpack.sections import offered_sections
from saferhub.boardpack.tests.world import Q1, build_world
from saferhub.reporting import registry
from saferhub.reporting.registry import ReportKind
from saferhub.reporting.tables import Table

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _report(world, *args):
    out = io.StringIO()
    dates = ["--from", Q1[0].isoformat(), "--to", Q1[1].isoformat()]
    call_command("report", *args, *dates, "--partnership", world.partnership.slug, stdout=out)
    return json.loads(out.getvalue())


def test_each_section_equals_its_report_run_on_its_own(world):
    pack = _report(world, "board-pack")
    assert pack["report"] == "board-pack"
    assert pack["period"] == {"from": "2024-04-01", "to": "2024-06-30"}
    assert pack["period_label"] == "2024/25 Q1"
    reports = [section["report"] for section in pack["sections"]]
    assert {"victim-hub", "marac", "panel-activity", "asb", "activities", "action-plan"} <= set(reports)
    built = 0
    for section in pack["sections"]:
        assert set(section) >= {"title", "report", "figures"}
        if section["figures"] is None:
            # The crime dashboard needs imported police data; the pack says why instead.
            assert section["report"] == "crime-dashboard" and section["unavailable"]
            continue
        extra = ["--panel-type", section["options"]["panel_type"]] if section["options"] else []
        assert section["figures"] == _report(world, section["report"], *extra), section["title"]
        built += 1
    assert built >= 6
    marac = next(s for s in pack["sections"] if s["key"] == "marac:da_marac")
    assert marac["figures"]["total"]["referrals"] == 7


def test_a_section_is_offered_only_when_its_report_is_registered(world, monkeypatch):
    assert "rj" in {section.report for section in offered_sections(world.partnership)}
    monkeypatch.delitem(registry._REPORTS, "rj")  # as before the RJ module registered its return
    reports = {section.report for section in offered_sections(world.partnership)}
    assert {"iom", "missing", "indicators"} <= reports and "rj" not in reports
    rj = ReportKind(
        slug="rj",
        title="Restorative justice",
        build=lambda partnership, date_from, date_to, **options: {"report": "rj", "cases": 3},
        tables=lambda result: [Table("rj", "Cases", ["Measure", "Count"], [["Cases", result["cases"]]])],
    )
    monkeypatch.setitem(registry._REPORTS, "rj", rj)
    sections = offered_sections(world.partnership)
    assert [s.report for s in sections].index("rj") < [s.report for s in sections].index("activities")
    pack = build_contents(world.partnership, PackSpec(date_from=Q1[0], date_to=Q1[1]))
    assert next(s for s in pack["sections"] if s["report"] == "rj")["figures"] == {"report": "rj", "cases": 3}


def test_sections_per_panel_type(world):
    keys = [section.key for section in offered_sections(world.partnership)]
    assert "marac:da_marac" in keys and "marac:cs_marac" in keys
    assert "panel-activity:sirm" in keys
    assert "marac:sirm" not in keys  # the MARAC return is for MARAC panel types


def test_chosen_sections_in_order(world):
    spec = PackSpec(date_from=Q1[0], date_to=Q1[1], sections=["action-plan", "marac:da_marac", "gone:away"])
    pack = build_contents(world.partnership, spec)
    assert [s["key"] for s in pack["sections"]] == ["action-plan", "marac:da_marac"]
    assert pack["sections"][0]["rag_explained"].startswith("Each commitment's latest rating")


def _docx_text(path):
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        body = archive.read("word/document.xml").decode()
        assert any(n.startswith("word/media/") for n in names)  # the charts beside the tables
        headers = "".join(archive.read(n).decode() for n in names if n.startswith("word/header"))
        footers = "".join(archive.read(n).decode() for n in names if n.startswith("word/footer"))
    return body, headers, footers


def test_docx_full_and_publishable(world, tmp_path):
    full, public = tmp_path / "full.docx", tmp_path / "public.docx"
    args = ["report", "board-pack", "--to", Q1[1].isoformat(), "--format", "docx"]
    args += ["--partnership", world.partnership.slug]
    call_command(*args, "--output", str(full), stderr=io.StringIO())
    call_command(*args, "--output", str(public), "--publish", stderr=io.StringIO())
    body, headers, footers = _docx_text(full)
    assert "OFFICIAL-SENSITIVE" in headers
    assert "PAGE" in footers and "NUMPAGES" in footers and "Testshire Safer Communities Partnership" in headers
    assert '<w:pgSz w:w="11906" w:h="16838"' in body or 'w:w="11906"' in body  # A4 in twentieths of a point
    assert "Contents" in body and "Recommendations" in body and "Summary" in body
    assert "Action plan progress" in body and "How the RAG ratings are set." in body
    assert "<w:tblHeader" in body
    public_body, public_headers, _ = _docx_text(public)
    assert "OFFICIAL" in public_headers and "OFFICIAL-SENSITIVE" not in public_headers
    # The activities table holds a 3 (participants); publication shows it as "<5".
    assert "&lt;5" in public_body and "&lt;5" not in body
    # The same data gives the same bytes.
    again = tmp_path / "again.docx"
    call_command(*args, "--output", str(again), stderr=io.StringIO())
    assert again.read_bytes() == full.read_bytes()
