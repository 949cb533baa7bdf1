import datetime

import pytest

from saferhub.core.workingdays import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 3, 25), 2, D(2024, 3, 27)),  # Monday + 2 = Wednesday
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Good Friday and Easter Monday skipped
        (D(2024, 3, 29), 2, D(2024, 4, 3)),  # received on a bank holiday
        (D(2023, 12, 22), 2, D(2023, 12, 28)),  # weekend, Christmas Day, Boxing Day
        (D(2024, 5, 24), 1, D(2024, 5, 28)),  # Spring bank holiday Monday
        (D(2024, 3, 25), 0, D(2024, 3, 25)),
    ],
)
def test_add_working_days_skips_weekends_and_bank_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


def test_working_days_between_and_bank_holidays():
    assert not is_working_day(D(2024, 12, 25))
    assert is_working_day(D(2024, 12, 27))
    assert working_days_between(D(2024, 3, 28), D(2024, 4, 2)) == 1
