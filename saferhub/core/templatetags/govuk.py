"""Template helpers for the GOV.UK form partials in ``templates/includes/``.

Load with ``{% load govuk %}``. The partials use these so that each form field
renders the right GOV.UK component without per-form markup.
"""

import re
from typing import Any

from django import forms, template
from django.conf import settings
from django.http import QueryDict
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from saferhub.core import dates
from saferhub.core.forms import DATE_EXAMPLE, DATETIME_EXAMPLE, GovukDateInput, GovukDateTimeInput
from saferhub.core.labels import label_for_code
from saferhub.core.models import ReferenceCode

register = template.Library()

# Most specific first: several widgets subclass others (CheckboxSelectMultiple is
# a RadioSelect, which is a Select; DateInput is an Input).
_WIDGET_TYPES: list[tuple[type[forms.Widget], str]] = [
    (GovukDateTimeInput, "govukdatetime"),
    (GovukDateInput, "govukdate"),
    (forms.MultipleHiddenInput, "hidden"),
    (forms.HiddenInput, "hidden"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.DateInput, "date"),
    (forms.DateTimeInput, "datetime"),
    (forms.Textarea, "textarea"),
    (forms.Select, "select"),
    (forms.SelectMultiple, "select"),
    (forms.FileInput, "file"),
    (forms.PasswordInput, "password"),
    (forms.EmailInput, "email"),
    (forms.NumberInput, "number"),
]

# Base GOV.UK class for the widgets rendered by Django itself.
_INPUT_CLASSES = {
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "file": "govuk-file-upload",
}


@register.filter
def widget_type(bound_field: forms.BoundField) -> str:
    """Short name of the GOV.UK component a field renders as (``text`` by default)."""
    widget = bound_field.field.widget
    for cls, name in _WIDGET_TYPES:
        if isinstance(widget, cls):
            return name
    return "text"


@register.filter
def error_anchor(bound_field: forms.BoundField) -> str:
    """The element id an error summary link should point at.

    Radios, checkboxes and multi-part widgets (e.g. a day/month/year date) link
    to their first input, as GOV.UK asks.
    """
    auto_id = bound_field.auto_id
    if widget_type(bound_field) in {"radios", "checkboxes"} or isinstance(bound_field.field.widget, forms.MultiWidget):
        return f"{auto_id}_0"
    return auto_id


@register.filter
def field_hint(bound_field: forms.BoundField) -> str:
    """Hint text: the field's help text, plus the expected format for dates."""
    help_text = conditional_escape(bound_field.help_text) if bound_field.help_text else ""
    if widget_type(bound_field) in {"date", "govukdate"}:
        example = DATE_EXAMPLE
    elif widget_type(bound_field) in {"datetime", "govukdatetime"}:
        example = DATETIME_EXAMPLE
    else:
        return help_text
    if "For example" in help_text:  # a form's own example (an ISO one, from before) gives way to ours
        help_text = help_text.split("For example")[0].strip()
    return format_html("{} {}", help_text, example) if help_text else example


@register.filter
def describedby(bound_field: forms.BoundField) -> str:
    """Value for ``aria-describedby``: the hint and error ids, when present."""
    ids = []
    existing = bound_field.field.widget.attrs.get("aria-describedby")
    if existing:
        ids.append(existing)
    if field_hint(bound_field):
        ids.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        ids.append(f"{bound_field.auto_id}-error")
    return " ".join(ids)


@register.simple_tag
def govuk_widget(bound_field: forms.BoundField, base_class: str = "") -> str:
    """Render a field's own widget with the GOV.UK classes and ARIA attributes.

    ``base_class`` defaults by widget type (``govuk-input``, ``govuk-select`` …);
    classes set on the widget in the form (e.g. ``govuk-input--width-10``) are kept.
    """
    kind = widget_type(bound_field)
    base_class = base_class or _INPUT_CLASSES.get(kind, "govuk-input")
    classes = [base_class]
    if kind in {"date", "datetime"} and "govuk-input--width" not in bound_field.field.widget.attrs.get("class", ""):
        classes.append("govuk-input--width-10")
    if bound_field.errors and base_class in {"govuk-input", "govuk-select", "govuk-textarea", "govuk-file-upload"}:
        classes.append(f"{base_class}--error")
    own = bound_field.field.widget.attrs.get("class")
    if own:
        classes.append(own)
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    aria = describedby(bound_field)
    if aria:
        attrs["aria-describedby"] = aria
    if kind == "date":
        # Free-text date: stop browsers and phones from second-guessing it.
        attrs.setdefault("autocomplete", bound_field.field.widget.attrs.get("autocomplete", "off"))
    return bound_field.as_widget(attrs=attrs)


@register.filter
def date_boxes(bound_field: forms.BoundField) -> list[dict[str, str]]:
    """The boxes of a GOV.UK date input (day, month, year, and time for a date and time)."""
    widget = bound_field.field.widget
    if not isinstance(widget, GovukDateInput):
        return []
    return widget.boxes(bound_field.html_name, bound_field.value(), bound_field.auto_id or f"id_{bound_field.name}")


def _anchor_for(bound_field: forms.BoundField, message: str) -> str:
    """A date input's error links to the box to fix ("… must include a month": the month box)."""
    anchor = error_anchor(bound_field)
    if isinstance(bound_field.field.widget, GovukDateInput) and " must include a " in message:
        part = message.split(" must include a ", 1)[1].split()[0]
        if part in ("month", "year", "time"):
            return f"{anchor}-{part}"
    return anchor


@register.filter
def error_list(form: forms.BaseForm) -> list[tuple[str, str]]:
    """The error summary's entries as (link, message), each once: non-field errors and hidden fields'
    errors (no link) first, then each visible field's, linked to its input. A message repeated for the
    same field, or a form-wide message that a field already shows, is listed once."""
    linked = [
        (f"#{_anchor_for(field, str(error))}", str(error))
        for field in visible_error_fields(form)
        for error in field.errors
    ]
    field_texts = {text for _, text in linked}
    unlinked = [("", str(error)) for error in form.non_field_errors()]
    unlinked += [("", f"{field.label}: {error}") for field in hidden_error_fields(form) for error in field.errors]
    entries: list[tuple[str, str]] = []
    for link, text in [*unlinked, *linked]:
        if (link, text) in entries or (not link and text in field_texts):
            continue
        entries.append((link, text))
    return entries


@register.filter
def hidden_error_fields(form: forms.BaseForm) -> list[forms.BoundField]:
    """Hidden fields with errors: listed in the summary, but nothing to link to."""
    return [f for f in form.hidden_fields() if f.errors]


@register.filter
def visible_error_fields(form: forms.BaseForm) -> list[forms.BoundField]:
    return [f for f in form.visible_fields() if f.errors]


@register.filter
def elided_pages(page_obj) -> list:
    """Page numbers around the current page, with ``…`` for gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))


@register.filter
def query_without(query: QueryDict, key: str) -> str:
    """URL-encode a query dict without one key, e.g. ``request.GET|query_without:"page"``."""
    copy = query.copy()
    copy.pop(key, None)
    return copy.urlencode()


@register.filter
def is_ellipsis(value) -> bool:
    return not isinstance(value, int)


# --- Dates as people read them (saferhub.core.dates) ------------------------------------------------


@register.filter
def uk_date(value: Any) -> str:
    """ "4 December 2026"."""
    return dates.uk_date(value)


@register.filter
def uk_short_date(value: Any) -> str:
    """ "4 Dec 2026"."""
    return dates.uk_short_date(value)


@register.filter
def uk_weekday(value: Any) -> str:
    """ "Friday 4 December"."""
    return dates.uk_weekday(value)


@register.filter
def uk_datetime(value: Any) -> str:
    """ "4 December 2026, 14:30"."""
    return dates.uk_datetime(value)


@register.filter
def uk_month(value: Any) -> str:
    """ "April 2026" (from a date or "2026-04")."""
    return dates.uk_month(value)


@register.filter
def uk_period(value: Any) -> str:
    """ "2026/27 Q1", or "1 August 2025 to 31 March 2026"."""
    return dates.uk_period(value)


@register.simple_tag
def uk_range(start: Any, end: Any) -> str:
    """ "1 August 2025 to 31 March 2026"."""
    return dates.uk_range(start, end)


@register.simple_tag
def session_idle_seconds() -> int:
    """How long a session lasts without a request (the idle sign-out warning counts down from it)."""
    return int(settings.SESSION_COOKIE_AGE)


@register.simple_tag
def code_label(partnership: Any, code_list: str, code: Any) -> str:
    """A reference code's label in the partnership's list ("ex_partner" -> "Ex-partner"), for people;
    an unknown code is shown as words. Usage: {% code_label referral.partnership "relationship_to_victim" referral.relationship %}"""
    if not code:
        return ""
    label = (
        ReferenceCode.objects.filter(partnership=partnership, code_list=code_list, code=code)
        .values_list("label", flat=True)
        .first()
    )
    return label or label_for_code(code)


_CODE_WORD = re.compile(r"(?<![\w@./-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w@/-])")


@register.filter
def mark_codes(text: Any) -> str:
    """Administrators' text naming codes (set-up file keys, commands): each code set as <code>, so it
    reads as something to type, not as a word."""
    return mark_safe(_CODE_WORD.sub(r"<code>\1</code>", str(conditional_escape(text))))  # noqa: S308 - escaped first


_CODE_WORD = re.compile(r"(?<![\w.@/-])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)(?![\w/-])")


@register.filter
def code_words(text: str) -> str:
    """Text written for people who fill in CSV files, with the column names and codes it mentions
    (`adopted_on`, `asb_case_categories`) set as code, since those are typed exactly as shown."""
    return mark_safe(_CODE_WORD.sub(r"<code>\1</code>", str(conditional_escape(text))))  # noqa: S308 - escaped first
