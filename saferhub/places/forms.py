"""Forms of the ward, LSOA and population pages. Every message names its field and what to do."""

import re
from typing import Any

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.places.models import PopulationMeasure

_CODE = re.compile(r"^[EWSN]\d{8}$")


def _code(value: str, prefixes: tuple[str, ...], what: str, example: str) -> str:
    code = value.strip().upper()
    if code and (not _CODE.match(code) or not code.startswith(prefixes)):
        raise forms.ValidationError(f"Enter the ONS {what} code as a letter and 8 digits, like {example}")
    return code


class VersionForm(GovukFormMixin, forms.Form):
    """The version of the record the user saw (disable and enable pages carry only this)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class WardForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Ward name",
        max_length=100,
        error_messages={"required": "Enter the ward's name", "max_length": "Ward names are at most 100 characters"},
    )
    code = forms.CharField(
        label="ONS ward code",
        required=False,
        max_length=20,
        help_text="For example, E05013636. Police ward data and the ONS lookup match wards by this code.",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_code(self) -> str:
        return _code(self.cleaned_data["code"], ("E05", "W05"), "ward", "E05013636")


class WardChangeForm(WardForm, VersionForm):
    pass


class LsoaForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="LSOA code (2021)",
        max_length=9,
        help_text="For example, E01000001",
        error_messages={"required": "Enter the LSOA's 2021 code"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label="LSOA name",
        required=False,
        max_length=100,
        help_text="As ONS names it, for example Barnet 014D",
        error_messages={"max_length": "LSOA names are at most 100 characters"},
    )

    def clean_code(self) -> str:
        code = _code(self.cleaned_data["code"], ("E01", "W01"), "LSOA", "E01000001")
        if not code:
            raise forms.ValidationError("Enter the LSOA's 2021 code")
        return code


class PopulationChangeForm(VersionForm):
    area_name = forms.CharField(
        label="Area name",
        required=False,
        max_length=100,
        error_messages={"max_length": "Area names are at most 100 characters"},
    )
    value = forms.IntegerField(
        label="Figure",
        min_value=0,
        max_value=2_000_000_000,
        help_text="A whole number",
        error_messages={
            "required": "Enter the figure",
            "invalid": "Enter the figure as a whole number, like 388400",
            "min_value": "The figure cannot be negative",
            "max_value": "Enter a figure below 2,000,000,000",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )


class PopulationForm(GovukFormMixin, forms.Form):
    area_code = forms.CharField(
        label="Area code",
        required=False,
        max_length=9,
        help_text=(
            "ONS code of a local authority, ward or LSOA, for example E09000003. Leave it blank for a figure for "
            "the whole partnership when its area is not a set of local authorities."
        ),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    area_name = PopulationChangeForm.base_fields["area_name"]
    year = forms.IntegerField(
        label="Year the figure describes",
        min_value=1800,
        max_value=2200,
        error_messages={
            "required": "Enter the year the figure describes",
            "invalid": "Enter the year as 4 digits, like 2021",
            "min_value": "Enter a year after 1800",
            "max_value": "Enter a year before 2200",
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )
    measure = forms.ChoiceField(
        label="What it counts",
        choices=PopulationMeasure.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the figure counts"},
    )
    value = PopulationChangeForm.base_fields["value"]

    def clean_area_code(self) -> str:
        code = self.cleaned_data["area_code"].strip().upper()
        if code and not _CODE.match(code):
            raise forms.ValidationError("Enter the ONS area code as a letter and 8 digits, like E09000003")
        return code

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class PopulationFilterForm(GovukFormMixin, forms.Form):
    area = forms.CharField(label="Area code or name", required=False, max_length=100)
    measure = forms.ChoiceField(
        label="Measure",
        required=False,
        choices=[("", "Any"), *PopulationMeasure.choices],
        widget=forms.Select(attrs={"class": "govuk-!-width-full"}),
    )
