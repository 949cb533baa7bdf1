"""Indicator periods: financial quarters ("2026/27 Q1") and financial years ("2026/27"), by their labels.

Labels are what users read and what files carry; `parse_period` turns one back into its days.
"""

import datetime
import re

from saferhub.reporting.periods import Period, financial_year_start, quarter_of

_LABEL = re.compile(r"^(\d{4})/(\d{2})(?: Q([1-4]))?$")
PERIOD_HELP = "a financial quarter such as 2026/27 Q1, or a financial year such as 2026/27"


def year_period(start_year: int) -> Period:
    return Period(
        f"{start_year}/{(start_year + 1) % 100:02d}",
        datetime.date(start_year, 4, 1),
        datetime.date(start_year + 1, 3, 31),
    )


def parse_period(label: str) -> Period:
    """The period a label names; ValueError (saying what to write) for anything else."""
    match = _LABEL.match(" ".join(label.split()).upper())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"'{label}' is not {PERIOD_HELP}")
    start_year, quarter = int(match.group(1)), match.group(3)
    if not 1990 <= start_year <= 2100:
        raise ValueError(f"'{label}' is not a year Saferhub can hold: use {PERIOD_HELP}")
    if quarter is None:
        return year_period(start_year)
    month = 4 + (int(quarter) - 1) * 3
    first = datetime.date(start_year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return quarter_of(first)


def period_containing(frequency: str, day: datetime.date) -> Period:
    return year_period(financial_year_start(day)) if frequency == "year" else quarter_of(day)


def same_period_a_year_before(period: Period) -> Period:
    label = period.label
    start = int(label[:4]) - 1
    return parse_period(f"{start}/{(start + 1) % 100:02d}{label[7:]}")


def periods_back(frequency: str, day: datetime.date, count: int) -> list[Period]:
    """The `count` periods ending with the one containing `day`, oldest first."""
    periods = [period_containing(frequency, day)]
    while len(periods) < count:
        periods.insert(0, period_containing(frequency, periods[0].start - datetime.timedelta(days=1)))
    return periods
