"""Form fields with sensible bounds, so no value a form accepts can break a page later.

Dates outside 1900–2100 overflow date arithmetic (a period's day after, a time zone, a ZIP
timestamp) and mean a typing slip anyway; ids beyond 64 bits overflow SQLite's integers.
"""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
# The largest id any database column holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1


def _day(value: datetime.date) -> str:
    return f"{value.day} {value:%B %Y}"


DATE_PARTS = ("day", "month", "year")
DATE_EXAMPLE = "For example, 27 3 2024"
DATETIME_EXAMPLE = "For example, 27 3 2024 and 14:30"
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def _parts_of(value: Any, with_time: bool) -> dict[str, str]:
    """The boxes' contents: what was typed (a dict), or a date, datetime or ISO text split up."""
    names = (*DATE_PARTS, "time") if with_time else DATE_PARTS
    if isinstance(value, dict):
        return {name: str(value.get(name) or "") for name in names}
    if isinstance(value, str) and value:
        text = value.strip().replace("T", " ")
        try:
            value = (
                datetime.datetime.fromisoformat(text)
                if with_time and " " in text
                else datetime.date.fromisoformat(text[:10])
            )
        except ValueError:
            return dict.fromkeys(names, "")
    if isinstance(value, datetime.date):
        parts = {"day": str(value.day), "month": str(value.month), "year": str(value.year)}
        if with_time:
            parts["time"] = f"{value:%H:%M}" if isinstance(value, datetime.datetime) else ""
        return parts
    return dict.fromkeys(names, "")


class GovukDateInput(forms.Widget):
    """The GOV.UK date input: day, month and year in three boxes named ``<name>-day`` and so on.

    A single ``<name>`` value (an ISO date from a link, a test or a bookmarked report) is still read,
    so addresses like ``?date_from=2026-04-01`` keep working.
    """

    parts: tuple[str, ...] = DATE_PARTS
    with_time = False

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        typed = {part: data.get(f"{name}-{part}") for part in self.parts}
        if all(value is None for value in typed.values()):
            return data.get(name)
        return {part: str(value or "").strip() for part, value in typed.items()}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in self.parts)

    def format_value(self, value: Any) -> Any:
        return _parts_of(value, self.with_time)

    def id_for_label(self, id_: str) -> str:
        return id_

    def boxes(self, name: str, value: Any, id_: str) -> list[dict[str, str]]:
        """One dict per box (name, id, label, value, width) for templates."""
        parts = _parts_of(value, self.with_time)
        labels = {"day": "Day", "month": "Month", "year": "Year", "time": "Time"}
        widths = {"day": "2", "month": "2", "year": "4", "time": "5"}
        return [
            {
                "part": part,
                "name": f"{name}-{part}",
                "id": id_ if index == 0 else f"{id_}-{part}",
                "label": labels[part],
                "value": parts[part],
                "width": widths[part],
            }
            for index, part in enumerate(self.parts)
        ]

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        attrs = {**self.attrs, **(attrs or {})}
        error = " govuk-input--error" if "--error" in str(attrs.get("class", "")) else ""
        boxes = self.boxes(name, value, str(attrs.get("id") or f"id_{name}"))
        items = format_html_join(
            "",
            '<div class="govuk-date-input__item"><div class="govuk-form-group">'
            '<label class="govuk-label govuk-date-input__label" for="{}">{}</label>'
            '<input class="govuk-input govuk-date-input__input govuk-input--width-{}{}" id="{}" name="{}" '
            'type="text" inputmode="{}" value="{}"></div></div>',
            (
                (
                    box["id"],
                    box["label"],
                    box["width"],
                    error,
                    box["id"],
                    box["name"],
                    "text" if box["part"] == "time" else "numeric",
                    box["value"],
                )
                for box in boxes
            ),
        )
        return format_html('<div class="govuk-date-input" id="{}-input">{}</div>', boxes[0]["id"], items)


class GovukDateTimeInput(GovukDateInput):
    """The date input with a fourth box for the time (24-hour, "14:30")."""

    parts = (*DATE_PARTS, "time")
    with_time = True


def field_name(field: forms.Field, fallback: str = "The date") -> str:
    """The field's label as the subject of a sentence: "Date of referral"."""
    label = str(field.label or fallback).strip().rstrip("?:")
    return label[:1].upper() + label[1:]


def _lower(label: str) -> str:
    """ "date of referral" (but "DASH risk level", "ASB reference" keep their capitals)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _date_from_parts(field: forms.Field, parts: dict[str, str]) -> datetime.date | None:
    """GOV.UK's date messages: "… must include a month", "… must be a real date"."""
    name = field_name(field)
    filled = {part: value for part, value in parts.items() if part in DATE_PARTS and value}
    if not filled:
        return None
    missing = [part for part in DATE_PARTS if part not in filled]
    if missing:
        raise ValidationError(f"{name} must include a {' and '.join(missing)}", code="incomplete")
    if not all(value.isdigit() for value in filled.values()):
        raise ValidationError(f"{name} must be a real date", code="invalid")
    if len(filled["year"]) != 4:
        raise ValidationError(f"The year in {_the(_lower(name))} must include 4 numbers", code="invalid")
    try:
        return datetime.date(int(filled["year"]), int(filled["month"]), int(filled["day"]))
    except ValueError:
        raise ValidationError(f"{name} must be a real date", code="invalid") from None


class SensibleDateField(forms.DateField):
    """A date typed in the GOV.UK date input, between 1 January 1900 and 31 December 2100 (or the bounds
    given); every message names the field. ``past=True`` refuses future dates ("… must be in the past")
    and ``today_or_past=True`` refuses dates after today."""

    widget = GovukDateInput

    def __init__(
        self,
        *args: Any,
        earliest: datetime.date = EARLIEST_DATE,
        latest: datetime.date = LATEST_DATE,
        past: bool = False,
        today_or_past: bool = False,
        **kwargs: Any,
    ) -> None:
        # Every date field is the three-box input, whatever widget the form named (a hidden one stays).
        widget = kwargs.get("widget")
        if not isinstance(widget, forms.HiddenInput) and not (
            isinstance(widget, type) and issubclass(widget, forms.HiddenInput)
        ):
            kwargs["widget"] = GovukDateInput
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest
        self.past, self.today_or_past = past, today_or_past

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, dict):
            return _date_from_parts(self, value)
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code == "invalid":
                raise ValidationError(f"{field_name(self)} must be a real date", code="invalid") from None
            raise

    def validate(self, value: Any) -> None:
        super().validate(value)
        # A date that must be past is told so first, however far in the future it is.
        today = datetime.date.today()  # noqa: DTZ011 - the local date the person means
        if value and self.past and value >= today:
            raise ValidationError(f"{field_name(self)} must be in the past", code="past")
        if value and self.today_or_past and value > today:
            raise ValidationError(f"{field_name(self)} must be today or in the past", code="past")
        if value and not self.earliest <= value <= self.latest:
            name = (str(self.label) if self.label else "the date").lower()
            raise ValidationError(
                f"Enter {name} between {_day(self.earliest)} and {_day(self.latest)}", code="out_of_range"
            )


class SensibleDateTimeField(forms.DateTimeField):
    """A date (three boxes) and a time (one box, "14:30") whose day lies between 1 January 1900 and
    31 December 2100; the message names the field."""

    widget = GovukDateTimeInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        widget = kwargs.get("widget")
        if not isinstance(widget, forms.HiddenInput):
            kwargs["widget"] = GovukDateTimeInput
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict):
            day = _date_from_parts(self, value)
            time = str(value.get("time") or "")
            if day is None:
                if time:
                    raise ValidationError(f"{field_name(self)} must include a day, month and year", code="incomplete")
                return None
            match = _TIME.match(time)
            if not time:
                raise ValidationError(f"{field_name(self)} must include a time", code="incomplete")
            if not match or int(match[1]) > 23 or int(match[2]) > 59:
                raise ValidationError(
                    f"Enter the time of {_lower(field_name(self))} in the 24-hour clock, like 14:30", code="invalid"
                )
            value = f"{day.isoformat()} {int(match[1]):02d}:{match[2]}"
        try:
            return super().to_python(value)
        except ValidationError as exc:
            if exc.code == "invalid":
                raise ValidationError(f"{field_name(self)} must be a real date and time", code="invalid") from None
            raise

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


# --- Messages that name their field (GOV.UK style) ------------------------------------------------

PLACEHOLDER = "---------"


def _default_messages(field: forms.Field) -> dict[str, str]:
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        messages.update({code: str(text) for code, text in getattr(cls, "default_error_messages", {}).items()})
    return messages


def _safe(text: str) -> str:
    # Messages with parameters are %-formatted by Django: a label's own "%" must not break them.
    return text.replace("%", " per cent")


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.MultipleChoiceField) or isinstance(
        field.widget, forms.Select | forms.RadioSelect | forms.CheckboxSelectMultiple
    )


def _required_message(field: forms.Field, label: str, lower: str) -> str:
    if isinstance(field, forms.FileField):
        return f"Select a file for {lower}"
    if isinstance(field, forms.BooleanField):
        return f"Select “{label}” to continue"
    if _is_choice(field):
        return f"Select {lower}"
    return f"Enter {lower}"


_NO_ARTICLE = ("the ", "your ", "a ", "an ", "any ", "each ", "every ", "this ", "their ", "his ", "her ", "its ")


def _the(lower: str) -> str:
    """ "the date of referral" ("your name", "a reason" and "DASH" labels as they are)."""
    return lower if lower.startswith(_NO_ARTICLE) else f"the {lower}"


def govuk_messages(field: forms.Field, name: str = "") -> dict[str, str]:
    """The GOV.UK messages for a field, derived from its label: "Enter the date of referral",
    "Select the risk level", "Enter the email address in the correct format, like name@example.com".
    A label that is a question is quoted: "Answer “Is it safe to call?”"."""
    label = _safe(field_name(field, name.replace("_", " ") or "this"))
    if str(field.label or "").strip().endswith("?"):
        question = f"“{_safe(str(field.label).strip())}”"
        required = f"Select an answer to {question}" if _is_choice(field) else f"Answer {question}"
        return {"required": required, **_format_messages(field, label, f"the answer to {question}")}
    lower = _the(_lower(label))
    required = _required_message(field, label, lower)
    return {"required": required, **_format_messages(field, label, lower)}


def _format_messages(field: forms.Field, label: str, lower: str) -> dict[str, str]:
    messages = {
        "invalid_choice": f"Select one of the options listed for {lower}",
        "invalid_list": f"Select one of the options listed for {lower}",
        "invalid_pk_value": f"Select one of the options listed for {lower}",
        "max_length": f"{label} must be %(limit_value)d characters or fewer",
        "min_length": f"{label} must be %(limit_value)d characters or more",
        "max_value": f"{label} must be %(limit_value)s or less",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_digits": f"{label} must be %(max)s digits or fewer",
        "max_decimal_places": f"{label} must have no more than %(max)s decimal places",
        "step_size": f"{label} must be a multiple of %(limit_value)s",
        "empty": f"The file for {lower} is empty",
        "missing": f"Select a file for {lower}",
    }
    if isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {lower} in the correct format, like name@example.com"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter {lower} in the correct format, like https://www.example.com"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{label} must be a whole number, like 12"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{label} must be a number, like 12.5"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"{label} must be a real date and time"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{label} must be a real date"
    return messages


def _placeholder(field: forms.Field) -> str:
    label = _the(_lower(_safe(field_name(field, "an option"))))
    return f"Select {label}" if field.required else "Not chosen"


def apply_govuk_messages(field: forms.Field, name: str = "") -> None:
    """Replace Django's generic messages and "---------" with ones naming the field. Messages a form
    wrote itself are kept. Idempotent."""
    if getattr(field, "_govuk_messages", False):
        return
    field._govuk_messages = True  # type: ignore[attr-defined]
    defaults = _default_messages(field)
    for code, text in govuk_messages(field, name).items():
        current = field.error_messages.get(code)
        if current is None or str(current) == defaults.get(code):
            field.error_messages[code] = text
    if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
        if str(field.empty_label) == PLACEHOLDER:
            field.empty_label = _placeholder(field)
            field.widget.choices = field.choices
    elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
        if any(str(label) == PLACEHOLDER for _, label in choices):
            field.choices = [
                (value, _placeholder(field) if str(label) == PLACEHOLDER else label) for value, label in choices
            ]


def _as_govuk_date_field(field: forms.Field) -> forms.Field:
    """A plain date field (from a model, say) as the GOV.UK date input."""
    kind = SensibleDateTimeField if isinstance(field, forms.DateTimeField) else SensibleDateField
    if isinstance(field, SensibleDateField | SensibleDateTimeField) or isinstance(field.widget, forms.HiddenInput):
        return field
    replacement = kind(
        label=field.label,
        required=field.required,
        help_text=field.help_text,
        initial=field.initial,
        disabled=field.disabled,
    )
    replacement.error_messages.update(
        {code: text for code, text in field.error_messages.items() if str(text) != _default_messages(field).get(code)}
    )
    return replacement


class GovukFormMixin:
    """Mix into every form (before ``forms.Form`` / ``forms.ModelForm``): every message names its field
    and says what to do, selects have no "---------", every date is the GOV.UK date input.

    Fields added in a form's own ``__init__`` are covered too: the messages are set when the form is
    validated or a field is rendered.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._govuk_fields()

    def _govuk_fields(self) -> None:
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field = self.fields[name] = _as_govuk_date_field(field)
            apply_govuk_messages(field, name)

    def full_clean(self) -> None:
        self._govuk_fields()
        super().full_clean()  # type: ignore[misc]

    def __getitem__(self, name: str) -> Any:
        field = self.fields.get(name)
        if field is not None and not getattr(field, "_govuk_messages", False):
            self._govuk_fields()
        return super().__getitem__(name)  # type: ignore[misc]
