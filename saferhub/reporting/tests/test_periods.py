"""Financial-year period arithmetic and rounding."""

import datetime
from decimal import Decimal

import pytest

from saferhub.reporting.periods import (
    financial_quarter,
    financial_year,
    months_overlapping,
    percent,
    previous_period,
    quarters_overlapping,
    round_half_away,
)

D = datetime.date


@pytest.mark.parametrize(
    ("day", "year", "quarter"),
    [
        (D(2023, 4, 1), "2023/24", "2023/24 Q1"),
        (D(2023, 6, 30), "2023/24", "2023/24 Q1"),
        (D(2023, 7, 1), "2023/24", "2023/24 Q2"),
        (D(2023, 9, 30), "2023/24", "2023/24 Q2"),
        (D(2023, 10, 1), "2023/24", "2023/24 Q3"),
        (D(2023, 12, 31), "2023/24", "2023/24 Q3"),
        # January to March belong to the financial year that began the April before.
        (D(2024, 1, 1), "2023/24", "2023/24 Q4"),
        (D(2024, 3, 31), "2023/24", "2023/24 Q4"),
        (D(2024, 4, 1), "2024/25", "2024/25 Q1"),
        (D(1999, 5, 5), "1999/00", "1999/00 Q1"),
        (D(2000, 2, 29), "1999/00", "1999/00 Q4"),
    ],
)
def test_financial_year_and_quarter(day, year, quarter):
    assert financial_year(day) == year
    assert financial_quarter(day) == quarter


@pytest.mark.parametrize(
    ("date_from", "date_to", "labels"),
    [
        (D(2023, 4, 1), D(2023, 12, 31), ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3"]),
        (D(2023, 5, 15), D(2023, 5, 20), ["2023/24 Q1"]),
        (D(2023, 12, 31), D(2024, 1, 1), ["2023/24 Q3", "2023/24 Q4"]),
        (
            D(2022, 4, 1),
            D(2024, 4, 1),
            [
                "2022/23 Q1",
                "2022/23 Q2",
                "2022/23 Q3",
                "2022/23 Q4",
                "2023/24 Q1",
                "2023/24 Q2",
                "2023/24 Q3",
                "2023/24 Q4",
                "2024/25 Q1",
            ],
        ),
    ],
)
def test_quarters_overlapping(date_from, date_to, labels):
    quarters = quarters_overlapping(date_from, date_to)
    assert [q.label for q in quarters] == labels
    assert quarters[0].start <= date_from and quarters[-1].end >= date_to


def test_quarter_bounds():
    q4 = quarters_overlapping(D(2024, 2, 10), D(2024, 2, 10))[0]
    assert (q4.label, q4.start, q4.end) == ("2023/24 Q4", D(2024, 1, 1), D(2024, 3, 31))


@pytest.mark.parametrize(
    ("date_from", "date_to", "labels"),
    [
        (D(2023, 4, 1), D(2023, 6, 30), ["2023-04", "2023-05", "2023-06"]),
        (D(2023, 11, 15), D(2024, 2, 1), ["2023-11", "2023-12", "2024-01", "2024-02"]),
        (D(2024, 2, 29), D(2024, 2, 29), ["2024-02"]),
    ],
)
def test_months_overlapping(date_from, date_to, labels):
    assert [m.label for m in months_overlapping(date_from, date_to)] == labels


def test_month_ends_in_a_leap_year():
    assert months_overlapping(D(2024, 2, 1), D(2024, 2, 1))[0].end == D(2024, 2, 29)


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # Whole months: the same number of months before.
        ((D(2022, 4, 1)), D(2023, 3, 31), (D(2021, 4, 1), D(2022, 3, 31))),
        (D(2023, 4, 1), D(2023, 6, 30), (D(2023, 1, 1), D(2023, 3, 31))),
        (D(2024, 3, 1), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 2, 29))),
        (D(2016, 6, 1), D(2017, 5, 31), (D(2015, 6, 1), D(2016, 5, 31))),
        # Otherwise: the same number of days before.
        (D(2023, 4, 10), D(2023, 4, 19), (D(2023, 3, 31), D(2023, 4, 9))),
        (D(2024, 1, 1), D(2024, 1, 1), (D(2023, 12, 31), D(2023, 12, 31))),
        (D(2024, 3, 2), D(2024, 3, 31), (D(2024, 2, 1), D(2024, 3, 1))),
    ],
)
def test_previous_period(date_from, date_to, expected):
    assert previous_period(date_from, date_to) == expected


@pytest.mark.parametrize("function", [quarters_overlapping, months_overlapping, previous_period])
def test_period_must_not_end_before_it_starts(function):
    with pytest.raises(ValueError, match="starts"):
        function(D(2024, 1, 2), D(2024, 1, 1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.05, 0.1),
        (0.15, 0.2),
        (0.25, 0.3),
        (2.675, 2.7),
        (-0.05, -0.1),
        (-2.25, -2.3),
        (68.75, 68.8),
        (10.34, 10.3),
        (Decimal("42.55"), 42.6),
        (7, 7.0),
        ("1.45", 1.5),
    ],
)
def test_round_half_away_from_zero(value, expected):
    assert round_half_away(value, 1) == expected


def test_round_to_other_places():
    assert round_half_away(0.125, 2) == 0.13
    assert round_half_away(2.5, 0) == 3.0


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(44, 64, 68.8), (40, 47, 85.1), (20, 47, 42.6), (1, 8, 12.5), (1, 16, 6.3), (0, 5, 0.0), (3, 0, None)],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected
