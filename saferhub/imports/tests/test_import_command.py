"""The import framework, driven through `manage.py import_records` with the organisations kind."""

import pytest

from saferhub.accounts.models import Agency, AgencyKind
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.imports.models import ImportRun, ImportStatus
from saferhub.imports.tests.helpers import HEADER, agencies, one_partnership, run, write_csv

pytestmark = pytest.mark.django_db

GOOD = HEADER + (
    "FS,Family Services,council,\nOU,Onwards & Upwards,voluntary,Family Services\nMPS,Metropolitan Police,police,\n"
)


def test_good_file_creates_every_row(tmp_path):
    partnership = one_partnership()
    code, out, err = run(write_csv(tmp_path, GOOD))
    assert code == 0, err
    assert "3 created, 0 updated, 0 unchanged" in out
    found = agencies(partnership)
    assert set(found) == {"FS", "OU", "MPS"}
    assert found["OU"].parent == found["FS"]
    assert found["MPS"].kind == AgencyKind.POLICE
    run_row = ImportRun.objects.get()
    assert (run_row.status, run_row.created_count, run_row.user, run_row.dry_run) == (
        ImportStatus.SUCCEEDED,
        3,
        None,
        False,
    )
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.partnership == partnership
    assert event.detail["created"] == 3


def test_same_file_again_changes_nothing(tmp_path):
    one_partnership()
    path = write_csv(tmp_path, GOOD)
    run(path)
    code, out, _ = run(path)
    assert code == 0
    assert "0 created, 0 updated, 3 unchanged" in out
    assert Agency.objects.count() == 3


def test_changed_row_updates_the_record(tmp_path):
    partnership = one_partnership()
    run(write_csv(tmp_path, GOOD))
    changed = GOOD.replace("OU,Onwards & Upwards,voluntary,Family Services", "OU,Onwards and Upwards,voluntary,")
    code, out, _ = run(write_csv(tmp_path, changed, name="changed.csv"))
    assert code == 0
    assert "0 created, 1 updated, 2 unchanged" in out
    ou = agencies(partnership)["OU"]
    assert (ou.name, ou.parent) == ("Onwards and Upwards", None)


def test_one_bad_row_among_many_writes_nothing(tmp_path):
    one_partnership()
    rows = [f"R{n},Organisation {n},council,\n" for n in range(2, 40)]
    rows[20] = "R22,Organisation 22,spaceship,\n"  # physical line 22
    code, _, err = run(write_csv(tmp_path, HEADER + "".join(rows)))
    assert code == 1
    assert "line 22, column kind: 'spaceship' is not one of" in err
    assert Agency.objects.count() == 0
    run_row = ImportRun.objects.get()
    assert (run_row.status, run_row.error_count) == (ImportStatus.FAILED, 1)
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT).count() == 1


def test_every_problem_is_reported_and_nothing_written_even_after_a_batch(tmp_path, settings):
    settings.IMPORT_BATCH_SIZE = 5
    one_partnership()
    rows = [f"R{n},Organisation {n},council,\n" for n in range(2, 30)]
    rows[25] = "R27,,council,\n"  # after several batches were written
    rows[26] = ",Organisation 28,bad,\n"
    code, _, err = run(write_csv(tmp_path, HEADER + "".join(rows)))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("line ")]
    assert lines == [
        "line 27, column name: a value is required",
        "line 28, column external_ref: a value is required",
        "line 28, column kind: 'bad' is not one of: council, police, probation, housing, health, voluntary, education, other",
    ]
    assert Agency.objects.count() == 0


def test_unknown_column_is_an_error(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, "external_ref,name,knid\nA,Alpha,council\n"))
    assert code == 1
    assert "line 1, column knid: unknown column" in err
    assert Agency.objects.count() == 0


def test_missing_required_column_is_an_error(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, "external_ref,kind\nA,council\n"))
    assert code == 1
    assert "line 1, column name: required column is missing" in err


def test_column_order_is_free_and_optional_columns_may_be_left_out(tmp_path):
    partnership = one_partnership()
    code, out, _ = run(write_csv(tmp_path, "name,external_ref\nAlpha Trust,A\n"))
    assert code == 0
    assert agencies(partnership)["A"].kind == AgencyKind.OTHER


def test_byte_order_mark_is_accepted(tmp_path):
    partnership = one_partnership()
    code, out, err = run(write_csv(tmp_path, GOOD, encoding="utf-8-sig"))
    assert code == 0, err
    assert set(agencies(partnership)) == {"FS", "OU", "MPS"}


def test_quoted_commas_and_newlines_keep_line_numbers(tmp_path):
    partnership = one_partnership()
    text = HEADER + '"A1","Smith, Jones & Co",council,\n' + '"A2","Two\nLine Trust",voluntary,\n' + "A3,Third,bad,\n"
    code, _, err = run(write_csv(tmp_path, text))
    assert code == 1
    # A2 spans lines 3 and 4, so the bad row starts on line 5.
    assert "line 5, column kind:" in err
    code, _, err = run(write_csv(tmp_path, text.replace(",bad,", ",council,"), name="ok.csv"))
    assert code == 0, err
    found = agencies(partnership)
    assert found["A1"].name == "Smith, Jones & Co"
    assert found["A2"].name == "Two\nLine Trust"


def test_dry_run_writes_nothing_but_reports_counts(tmp_path):
    one_partnership()
    code, out, _ = run(write_csv(tmp_path, GOOD), "--dry-run")
    assert code == 0
    assert "3 created, 0 updated, 0 unchanged" in out
    assert "Dry run" in out
    assert Agency.objects.count() == 0
    assert ImportRun.objects.get().status == ImportStatus.CHECKED


def test_unknown_parent_organisation_is_an_error_without_the_option(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, HEADER + "A,Alpha,council,Nowhere Trust\n"))
    assert code == 1
    assert "line 2, column parent: unknown organisation 'Nowhere Trust'" in err
    assert Agency.objects.count() == 0


def test_unknown_parent_organisation_is_created_with_the_option(tmp_path):
    partnership = one_partnership()
    code, out, err = run(write_csv(tmp_path, HEADER + "A,Alpha,council,Nowhere Trust\n"), "--create-organisations")
    assert code == 0, err
    alpha = agencies(partnership)["A"]
    assert alpha.parent.name == "Nowhere Trust"
    assert "1 new organisations" in out


def test_parent_is_matched_case_insensitively_and_may_be_an_earlier_row(tmp_path):
    partnership = one_partnership()
    AgencyFactory(partnership=partnership, name="Family Services")
    text = HEADER + "A,Alpha,council,FAMILY SERVICES\nB,Beta,council,alpha\n"
    code, _, err = run(write_csv(tmp_path, text))
    assert code == 0, err
    found = agencies(partnership)
    assert found["A"].parent.name == "Family Services"
    assert found["B"].parent == found["A"]


def test_parent_named_on_a_later_row_is_an_error(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, HEADER + "B,Beta,council,Alpha\nA,Alpha,council,\n"))
    assert code == 1
    assert "line 2, column parent: unknown organisation 'Alpha'" in err


def test_an_organisation_set_up_by_hand_is_adopted(tmp_path):
    partnership = one_partnership()
    existing = AgencyFactory(partnership=partnership, name="Family Services", kind=AgencyKind.COUNCIL)
    code, out, _ = run(write_csv(tmp_path, HEADER + "FS,family services,council,\n"))
    assert code == 0
    assert "0 created, 1 updated" in out
    existing.refresh_from_db()
    assert (existing.external_ref, existing.name) == ("FS", "family services")


def test_name_clash_with_another_reference_is_an_error(tmp_path):
    partnership = one_partnership()
    AgencyFactory(partnership=partnership, name="Family Services", external_ref="OTHER")
    code, _, err = run(write_csv(tmp_path, HEADER + "FS,Family Services,council,\n"))
    assert code == 1
    assert "line 2, column name: another organisation is already called 'Family Services'" in err


def test_row_with_the_wrong_number_of_values(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, HEADER + "A,Alpha,council,,extra\n"))
    assert code == 1
    assert "line 2: expected 4 values" in err


def test_file_that_is_not_utf8(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, HEADER + "A,Caf\u00e9 Trust,council,\n", encoding="latin-1"))
    assert code == 1
    assert "not UTF-8" in err
    assert Agency.objects.count() == 0


def test_empty_file(tmp_path):
    one_partnership()
    code, _, err = run(write_csv(tmp_path, ""))
    assert code == 1
    assert "line 1: the file is empty" in err


def test_partnership_may_be_omitted_when_only_one_exists(tmp_path):
    partnership = one_partnership()
    code, _, _ = run(write_csv(tmp_path, GOOD))
    assert code == 0
    assert Agency.objects.filter(partnership=partnership).count() == 3


def test_partnership_must_be_named_when_two_exist(tmp_path):
    one_partnership()
    other = PartnershipFactory(slug="otherborough")
    path = write_csv(tmp_path, GOOD)
    code, _, err = run(path)
    assert code == 1
    assert "More than one partnership exists: choose one with --partnership (otherborough, testborough)" in err
    code, _, _ = run(path, "--partnership", "otherborough")
    assert code == 0
    assert Agency.objects.filter(partnership=other).count() == 3


def test_unknown_partnership_and_unknown_kind(tmp_path):
    from django.core.management import CommandError, call_command

    one_partnership()
    path = write_csv(tmp_path, GOOD)
    code, _, err = run(path, "--partnership", "nowhere")
    assert "There is no partnership 'nowhere'" in err
    with pytest.raises(CommandError, match="Unknown import kind 'widgets'. Known kinds: .*organisations"):
        call_command("import_records", "widgets", str(path))


def test_missing_file(tmp_path):
    one_partnership()
    code, _, err = run(tmp_path / "absent.csv")
    assert code == 1
    assert "Cannot read" in err


def test_five_thousand_rows_import_in_batches(tmp_path, settings):
    settings.IMPORT_BATCH_SIZE = 500
    partnership = one_partnership()
    text = HEADER + "".join(f"R{n},Organisation {n},council,\n" for n in range(5000))
    code, out, err = run(write_csv(tmp_path, text))
    assert code == 0, err
    assert "5000 created, 0 updated, 0 unchanged" in out
    assert Agency.objects.filter(partnership=partnership).count() == 5000
