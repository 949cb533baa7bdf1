"""No text Saferhub writes to a spreadsheet runs as a formula: an imported organisation called
=HYPERLINK(...) reaches the victim-hub and MARAC returns as plain, visible text."""

import io

import openpyxl
import pytest
from django.core.management import call_command

from saferhub.accounts.models import Agency
from saferhub.core.spreadsheets import neutralise
from saferhub.panels.tests.world import build_world as panels_world
from saferhub.victims.tests.world import build_world as victims_world

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://example.invalid","y")'
# The organisation's name as a CSV cell (RFC 4180 quoting).
EVIL_CELL = '"' + EVIL.replace('"', '""') + '"'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("-12", "-12"),
        ("+3.5", "+3.5"),
        ("-0.25e3", "-0.25e3"),
        ("Testshire Homes", "Testshire Homes"),
        ("", ""),
        (-12, -12),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def _import_organisation(tmp_path, slug):
    path = tmp_path / "orgs.csv"
    path.write_text(f"external_ref,name,kind,parent\nEVIL1,{EVIL_CELL},voluntary,\n", encoding="utf-8")
    call_command("import_records", "organisations", str(path), "--partnership", slug, stdout=io.StringIO())
    assert Agency.objects.filter(name=EVIL).exists()


def _import(tmp_path, slug, kind, text):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_records", kind, str(path), "--partnership", slug, stdout=out, stderr=io.StringIO())
    assert "1 created" in out.getvalue()


def _report(tmp_path, slug, kind, *extra):
    target = tmp_path / f"{kind}.xlsx"
    call_command(
        "report",
        kind,
        "--from",
        "2023-04-01",
        "--to",
        "2024-03-31",
        "--partnership",
        slug,
        "--format",
        "xlsx",
        "--output",
        str(target),
        *extra,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    return openpyxl.load_workbook(target)


def _cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_visible_and_inert(workbook):
    cells = _cells(workbook)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    shown = [cell for cell in cells if cell.value == "'" + EVIL]
    assert shown and all(cell.data_type == "s" for cell in shown)
    # Figures stay numbers.
    assert any(isinstance(cell.value, int) and cell.value >= 1 for cell in cells)


def test_victim_hub_return(tmp_path):
    world = victims_world()
    world.partnership.slug = "testshire"
    world.partnership.save()
    _import_organisation(tmp_path, "testshire")
    header = (
        "external_ref,received_on,referrer_organisation,referrer_group,referral_kind,victim_type,crime_type,"
        "reported_to_police,assisting_investigation,person_ref,first_name,age,gender,ethnicity,support_provided,"
        "vcop_informed_on,rj_informed_on,closed_on\n"
    )
    row = f"R1,2023-05-03,{EVIL_CELL},,victim,direct,robbery,yes,yes,P1,Ada,34,female,,,,,\n"
    _import(tmp_path, "testshire", "victim-hub-referrals", header + row)
    _assert_visible_and_inert(_report(tmp_path, "testshire", "victim-hub"))


def test_marac_return(tmp_path):
    world = panels_world()
    world.partnership.slug = "testshire"
    world.partnership.save()
    _import_organisation(tmp_path, "testshire")
    header = "external_ref,panel_type,referral_date,victim_ref,referring_agency,children_in_household,relationship\n"
    _import(tmp_path, "testshire", "marac-referrals", header + f"R1,da_marac,2023-06-01,V1,{EVIL_CELL},0,partner\n")
    _assert_visible_and_inert(_report(tmp_path, "testshire", "marac", "--panel-type", "da_marac"))
