"""XLSX sheet names: readable when cut to Excel's 31 characters, unique, and a table may choose its own."""

import datetime
import io

import openpyxl
import pytest

from saferhub.reporting.outputs import _sheet_title, to_xlsx
from saferhub.reporting.tables import Table


@pytest.mark.parametrize(
    ("caption", "expected"),
    [
        ("Referrals received by quarter, against target", "Referrals received by quarter"),
        ("Cases opened and closed by quarter", "Cases opened and closed by"),
        ("Victims' Code and restorative justice information", "Victims' Code and restorative"),
        ("Short caption", "Short caption"),
        ("Equality monitoring: age [band] / sex?", "Equality monitoring age band"),
        ("'Quoted'", "Quoted"),
        ("Abcdefghijklmnopqrstuvwxyzabcdefghij", "Abcdefghijklmnopqrstuvwxyzabcde"),
        ("???", "Table"),
    ],
)
def test_a_long_caption_is_cut_at_a_word_with_no_loose_punctuation(caption, expected):
    title = _sheet_title(caption, set())
    assert title == expected
    assert len(title) <= 31


def test_names_stay_unique_without_loose_ends():
    used: set[str] = set()
    names = [_sheet_title("Referrals received by quarter, against target", used) for _ in range(3)]
    assert names == ["Referrals received by quarter", "Referrals received by (2)", "Referrals received by (3)"]
    assert len({name.lower() for name in names}) == 3


def test_a_table_may_give_its_sheet_a_short_name():
    tables = [
        Table(key="a", caption="Referrals received by quarter, against target", columns=["Q", "N"], rows=[["Q1", 1]]),
        Table(
            key="b",
            caption="Referrals received by quarter, against target",
            columns=["Q", "N"],
            rows=[["Q1", 1]],
            sheet_name="Referrals v target",
        ),
        Table(key="c", caption="Referrals received by quarter, against target", columns=["Q", "N"], rows=[]),
    ]
    content = to_xlsx("Test", {"period": {}}, tables, date_to=datetime.date(2024, 3, 31))
    names = openpyxl.load_workbook(io.BytesIO(content)).sheetnames
    assert names == ["Referrals received by quarter", "Referrals v target", "Referrals received by (2)"]
