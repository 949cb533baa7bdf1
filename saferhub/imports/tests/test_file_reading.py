"""Reading the file: bad bytes and NUL characters on their exact line, dates in a sane range,
and no statement kept in memory while importing with DEBUG on."""

import datetime
import io

import pytest
from django.db import connection

from saferhub.accounts.models import Agency
from saferhub.imports import fields
from saferhub.imports.registry import CellError, get_kind
from saferhub.imports.runner import run_import
from saferhub.imports.tests.helpers import HEADER, one_partnership, run

pytestmark = pytest.mark.django_db


def rows(count):
    return "".join(f"R{n},Organisation {n},council,\n" for n in range(2, count + 2))


def write(tmp_path, data):
    path = tmp_path / "orgs.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("bad_line", [2, 2002, 2999])
def test_a_byte_that_is_not_utf8_is_reported_on_its_own_line(tmp_path, bad_line):
    one_partnership()
    lines = (HEADER + rows(2999)).encode().splitlines(keepends=True)
    lines[bad_line - 1] = lines[bad_line - 1].replace(b"Organisation", b"Caf\xe9")
    code, _, err = run(write(tmp_path, b"".join(lines)))
    assert code == 1
    assert f"line {bad_line}: the file is not UTF-8 text" in err
    assert Agency.objects.count() == 0


def test_a_bad_byte_inside_a_quoted_multiline_value_names_its_physical_line(tmp_path):
    one_partnership()
    data = (HEADER + 'A,"Alpha\nTrust\nof \xe9",council,\n').encode().replace(b"\xc3\xa9", b"\xe9")
    code, _, err = run(write(tmp_path, data))
    assert code == 1
    assert "line 4: the file is not UTF-8 text" in err


def test_rows_before_a_bad_byte_in_the_same_block_are_still_checked(tmp_path):
    one_partnership()
    data = (HEADER + "A,Alpha,spaceship,\nB,Caf\xe9,council,\n").encode().replace(b"\xc3\xa9", b"\xe9")
    _, _, err = run(write(tmp_path, data))
    assert "line 2, column kind: 'spaceship' is not one of" in err
    assert "line 3: the file is not UTF-8 text" in err


def test_good_non_ascii_text_and_a_byte_order_mark_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr("saferhub.imports.runner.READ_BLOCK", 7)  # every line spans several blocks
    partnership = one_partnership()
    code, out, err = run(
        write(tmp_path, ("\ufeff" + HEADER + "A,Café Trust,council,\r\nB,Ünïcode,council,\n").encode())
    )
    assert code == 0, err
    assert "2 created" in out
    assert set(Agency.objects.filter(partnership=partnership).values_list("name", flat=True)) == {
        "Café Trust",
        "Ünïcode",
    }


def test_a_nul_byte_is_refused_with_its_line_and_column(tmp_path):
    one_partnership()
    code, _, err = run(write(tmp_path, (HEADER + "A,Alpha,council,\nB,Be\x00ta,council,\n").encode()))
    assert code == 1
    assert "line 3, column name: the cell holds a NUL character (byte 0)" in err
    assert Agency.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2999-01-01", "2999-01-01 is more than a year ahead"),
        ("1066-10-14", "1066-10-14 is before 1900-01-01: check the year"),
    ],
)
def test_dates_out_of_range_are_refused(text, message):
    with pytest.raises(CellError, match=message):
        fields.date(text, None, {})  # type: ignore[arg-type]


def test_a_date_within_a_year_ahead_is_accepted():
    ahead = datetime.date.today() + datetime.timedelta(days=300)
    assert fields.date(ahead.isoformat(), None, {}) == ahead  # type: ignore[arg-type]


def test_an_import_refuses_a_date_in_2999():
    partnership = one_partnership()
    text = "external_ref,applied_on,threshold_met\nR1,2019-05-01,yes\nR2,2999-05-01,no\n"
    result = run_import(get_kind("asb-case-reviews"), io.StringIO(text), partnership=partnership, filename="r.csv")
    assert result.errors == [
        f"line 3, column applied_on: 2999-05-01 is more than a year ahead (after {fields.latest_date()}): check the year"
    ]


def test_statements_are_not_kept_with_debug_on(settings, tmp_path):
    settings.DEBUG = True
    settings.IMPORT_BATCH_SIZE = 5
    partnership = one_partnership()
    connection.queries_log.clear()
    result = run_import(
        get_kind("organisations"), io.StringIO(HEADER + rows(60)), partnership=partnership, filename="o"
    )
    assert result.created == 60
    # Only the run's record is written after the import proper.
    assert len(connection.queries) < 10
    assert Agency.objects.filter(partnership=partnership).count() == 60
    assert len(connection.queries) >= 1  # DEBUG logging is back on afterwards


def test_progress_is_reported(tmp_path):
    partnership = one_partnership()
    seen = []
    result = run_import(
        get_kind("organisations"),
        io.BytesIO((HEADER + rows(600)).encode()),
        partnership=partnership,
        filename="o.csv",
        on_progress=lambda done, errors: seen.append((done, errors)),
    )
    assert result.created == 600
    assert seen[-1] == (600, 0)
