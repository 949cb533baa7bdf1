"""`manage.py report`: output and clear errors."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.audit.models import AuditAction, AuditEvent


def report(*args):
    """Run the command; the fixture has a second partnership, so name ours unless the test does."""
    if "--partnership" not in args:
        args = (*args, "--partnership", "testborough")
    out, err = io.StringIO(), io.StringIO()
    call_command("report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_partnership_may_be_left_out_when_only_one_exists():
    PartnershipFactory(slug="onlyborough")
    out = io.StringIO()
    call_command("report", "caseload", "--from", "2023-04-01", "--to", "2023-06-30", stdout=out)
    assert json.loads(out.getvalue())["partnership"] == "onlyborough"


def test_json_goes_to_standard_output(caseload):
    out, _ = report("caseload", "--from", "2023-04-01", "--to", "2023-12-31")
    assert json.loads(out)["opened"]["total"] == 5
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.partnership == caseload
    assert event.detail == {
        "report": "caseload",
        "from": "2023-04-01",
        "to": "2023-12-31",
        "format": "json",
        "publish": False,
    }


def test_same_data_gives_the_same_bytes(caseload, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    report("caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--output", str(first))
    report("caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--output", str(second))
    assert first.read_bytes() == second.read_bytes()
    out, _ = report("caseload", "--from", "2023-04-01", "--to", "2023-12-31")
    assert out.encode() == first.read_bytes()


def test_xlsx_is_written_to_the_output_file(caseload, tmp_path):
    path = tmp_path / "caseload.xlsx"
    report("caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--format", "xlsx", "--output", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook["Caseload summary"]["B5"].value == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["caseload", "--from", "2023-13-01", "--to", "2023-12-31"], "--from must be a date in the form YYYY-MM-DD"),
        (["caseload", "--from", "2023-04-01", "--to", "31/12/2023"], "--to must be a date in the form YYYY-MM-DD"),
        (["caseload", "--from", "2024-01-01", "--to", "2023-12-31"], "--from (2024-01-01) is after --to (2023-12-31)"),
        (["caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--format", "xlsx"], "give --output"),
        (["caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--format", "docx"], "give --output"),
        (
            ["widgets", "--from", "2023-04-01", "--to", "2023-12-31"],
            "Unknown report 'widgets'. Known reports: ",
        ),
        (
            ["caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--partnership", "nowhere"],
            "no partnership 'nowhere'",
        ),
        (
            ["caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--panel-type", "da_marac"],
            "takes no --panel-type",
        ),
    ],
)
def test_errors_are_clear(caseload, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        report(*args)
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_partnership_must_be_named_when_two_exist(caseload):
    PartnershipFactory(slug="otherborough")
    with pytest.raises(CommandError, match="More than one partnership"):
        call_command("report", "caseload", "--from", "2023-04-01", "--to", "2023-12-31", stdout=io.StringIO())
    out, _ = report("caseload", "--from", "2023-04-01", "--to", "2023-12-31", "--partnership", "otherborough")
    assert json.loads(out)["opened"]["total"] == 0
