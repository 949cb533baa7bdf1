"""Fields and cleaning helpers shared by the ASB forms."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.core.forms import SensibleDateTimeField
from saferhub.core.models import ReferenceCode, ReferenceList

DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
TEXTAREA = {"rows": 4}


def _datetime_field(label: str, help_text: str) -> forms.DateTimeField:
    return SensibleDateTimeField(
        label=label,
        required=False,
        input_formats=DATETIME_FORMATS,
        help_text=help_text,
        error_messages={"invalid": f"Enter {label.lower()} as a date and time, for example 2024-03-27 14:30"},
    )


def _codes(partnership: Any, code_list: str) -> Any:
    return ReferenceCode.objects.of(partnership, code_list).active().order_by("sort_order", "label")


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.label if obj.code_list != ReferenceList.FPN_OFFENCE else f"{obj.code}: {obj.label}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


def _not_future(value: datetime.date | None, what: str) -> datetime.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future")
    return value


def _pence(pounds: Decimal | None) -> int | None:
    return None if pounds is None else int(pounds * 100)
