"""Period arithmetic for returns: UK public-sector financial years and quarters, months,
comparison periods, and rounding of percentages.

The financial year runs 1 April to 31 March and is written ``2023/24``. Quarters:
Q1 April–June, Q2 July–September, Q3 October–December, Q4 January–March (so
January 2024 is in ``2023/24 Q4``).
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Period:
    """A labelled run of days, both ends included."""

    label: str
    start: datetime.date
    end: datetime.date

    def __str__(self) -> str:
        return self.label

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


def financial_year_start(day: datetime.date) -> int:
    """The calendar year in which the day's financial year begins."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year(day: datetime.date) -> str:
    start = financial_year_start(day)
    return f"{start}/{(start + 1) % 100:02d}"


def quarter_number(day: datetime.date) -> int:
    return (day.month - 4) % 12 // 3 + 1


def financial_quarter(day: datetime.date) -> str:
    return f"{financial_year(day)} Q{quarter_number(day)}"


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def quarter_of(day: datetime.date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1  # calendar quarters line up with financial ones
    start = datetime.date(day.year, first_month, 1)
    end_year, end_month = _add_months(day.year, first_month, 2)
    return Period(financial_quarter(day), start, _last_day(end_year, end_month))


def month_of(day: datetime.date) -> Period:
    return Period(f"{day:%Y-%m}", day.replace(day=1), _last_day(day.year, day.month))


def _check(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValueError(f"The period starts ({date_from}) after it ends ({date_to}).")


def quarters_overlapping(date_from: datetime.date, date_to: datetime.date) -> list[Period]:
    """Every financial quarter with at least one day in the period, in order (whole quarters)."""
    _check(date_from, date_to)
    quarters = []
    quarter = quarter_of(date_from)
    while quarter.start <= date_to:
        quarters.append(quarter)
        quarter = quarter_of(quarter.end + datetime.timedelta(days=1))
    return quarters


def months_overlapping(date_from: datetime.date, date_to: datetime.date) -> list[Period]:
    """Every calendar month with at least one day in the period, in order (whole months)."""
    _check(date_from, date_to)
    months = []
    month = month_of(date_from)
    while month.start <= date_to:
        months.append(month)
        month = month_of(month.end + datetime.timedelta(days=1))
    return months


def is_whole_months(date_from: datetime.date, date_to: datetime.date) -> bool:
    return date_from.day == 1 and date_to == _last_day(date_to.year, date_to.month)


def previous_period(date_from: datetime.date, date_to: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length that ends the day before this one starts.

    When the period is whole calendar months (starts on a 1st, ends on a month's last
    day) the comparison is the same number of whole months before it, so 2022-04-01 to
    2023-03-31 compares with 2021-04-01 to 2022-03-31 and February's length does not
    matter. Otherwise it is the same number of days immediately before.
    """
    _check(date_from, date_to)
    end = date_from - datetime.timedelta(days=1)
    if is_whole_months(date_from, date_to):
        months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        year, month = _add_months(date_from.year, date_from.month, -months)
        return datetime.date(year, month, 1), end
    return end - (date_to - date_from), end


def round_half_away(value: Decimal | float | int | str, places: int = 1) -> float:
    """Round half away from zero (0.05 -> 0.1, -0.05 -> -0.1, 2.25 -> 2.3), unlike Python's round().

    Floats are taken at their shortest decimal representation, so 0.05 means 0.05.
    """
    number = value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else str(value))
    return float(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent(part: int, whole: float, places: int = 1) -> float | None:
    """part as a percentage of whole, rounded half away from zero; None when whole is 0."""
    if not whole:
        return None
    return round_half_away(Decimal(part) * 100 / Decimal(whole), places)
