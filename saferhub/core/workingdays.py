"""Working days in England and Wales: Monday to Friday, less bank holidays.

England and Wales share one list of bank holidays (Scotland and Northern Ireland
differ), so `holidays.UK(subdiv="ENG")` serves both.
"""

import datetime
from functools import cache

import holidays


@cache
def _bank_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The date `n` working days after `start` (the start day itself is not counted)."""
    day = start
    remaining = n
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days after `a` up to and including `b` (negative when b is before a)."""
    if b < a:
        return -working_days_between(b, a)
    return sum(1 for offset in range(1, (b - a).days + 1) if is_working_day(a + datetime.timedelta(days=offset)))
