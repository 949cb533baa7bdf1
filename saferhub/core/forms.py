"""Form fields with sensible bounds, so no value a form accepts can break a page later.

Dates outside 1900–2100 overflow date arithmetic (a period's day after, a time zone, a ZIP
timestamp) and mean a typing slip anyway; ids beyond 64 bits overflow SQLite's integers.
"""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# The largest id any database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


class SensibleDateField(forms.DateField):
    """A date between 1 January 1900 and 31 December 2100 (or the bounds given); the message names the field."""

    def __init__(
        self,
        *args: Any,
        earliest: datetime.date = EARLIEST_DATE,
        latest: datetime.date = LATEST_DATE,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not self.earliest <= value <= self.latest:
            name = (str(self.label) if self.label else "the date").lower()
            raise ValidationError(
                f"Enter {name} between {_day(self.earliest)} and {_day(self.latest)}", code="out_of_range"
            )


class SensibleDateTimeField(forms.DateTimeField):
    """A date and time whose day lies between 1 January 1900 and 31 December 2100; the message names the field."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not EARLIEST_DATE <= value.date() <= LATEST_DATE:
            name = (str(self.label) if self.label else "the date").lower()
            raise ValidationError(
                f"Enter {name} between {_day(EARLIEST_DATE)} and {_day(LATEST_DATE)}", code="out_of_range"
            )


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of records that answers "choose from the list" for ids no database can hold,
    instead of letting them reach the query (SQLite cannot bind integers beyond 64 bits)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else ():
            text = str(pk).strip()
            if not text.isdigit() or int(text) > MAX_ID:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super().clean(value)
