"""Forms of the IOM module. On bad input nothing is written and each message names the field and what to do."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.accounts.models import CASEWORK_ROLES, Agency, User
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.types import choice_field, model_choice_field
from saferhub.core.versioning import VersionedFormMixin
from saferhub.iom.models import (
    CohortKind,
    ContactKind,
    CostOfCrime,
    DeselectionReason,
    Management,
    Pathway,
    PlanOutcome,
    PlanStatus,
    Rag,
    SettingKey,
    YjKpi,
)
from saferhub.people.forms import ethnicity_field
from saferhub.people.models import Gender, YesNoUnknown

DATE_HINT = ""


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
    return SensibleDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose the {label.lower()}", "invalid_choice": f"Choose the {label.lower()}"},
        **kwargs,
    )


def select(label: str, choices: Any, *, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={"required": f"Choose the {label.lower()}", "invalid_choice": f"Choose the {label.lower()}"},
    )


def not_future(value: datetime.date | None, label: str) -> datetime.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past.")
    return value


class StaySelectionFields(GovukFormMixin, forms.Form):
    """Selection into the cohort: the kind of cohort, who manages the person and why they were chosen."""

    cohort = radios("Cohort", CohortKind.choices, help_text="Fixed, flex or free, as the selection panel decided.")
    management = radios("Management", Management.choices)
    selection_reason = forms.CharField(
        label="Reason for selection",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Enter the reason for selection"},
    )
    lead_agency = forms.ModelChoiceField(
        label="Lead agency", queryset=Agency.objects.none(), required=False, empty_label="Not chosen"
    )
    offender_manager = forms.ModelChoiceField(
        label="Offender manager", queryset=User.objects.none(), required=False, empty_label="Not chosen"
    )
    transferred_from_youth_justice = forms.BooleanField(
        label="Transferred from the Youth Justice Service", required=False
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "lead_agency").queryset = Agency.objects.filter(partnership=partnership).order_by(
            "name"
        )
        model_choice_field(self, "offender_manager").queryset = (
            User.objects.filter(
                partnership=partnership,
                is_active=True,
                role_assignments__role__in=CASEWORK_ROLES,
                role_assignments__partnership=partnership,
            )
            .distinct()
            .order_by("full_name")
        )


class AdoptForm(StaySelectionFields):
    """Adopt a person into the cohort; the person's details unless an existing person is being adopted."""

    first_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter the first name"}
    )
    last_name = forms.CharField(label="Last name", max_length=100, error_messages={"required": "Enter the last name"})
    date_of_birth = date_field("Date of birth", required=False)
    gender = select("Gender", [("", "Not recorded"), *Gender.choices], required=False)
    adopted_on = date_field("Date adopted into the cohort")
    rag = radios("RAG status", Rag.choices)

    field_order = [
        "first_name",
        "last_name",
        "date_of_birth",
        "gender",
        "ethnicity",
        "adopted_on",
        "cohort",
        "management",
        "selection_reason",
        "lead_agency",
        "offender_manager",
        "rag",
        "transferred_from_youth_justice",
    ]

    def __init__(self, *args: Any, partnership: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["ethnicity"] = ethnicity_field(partnership)
        self.order_fields(self.field_order)
        if person is not None:
            for name in ("first_name", "last_name", "date_of_birth", "gender", "ethnicity"):
                del self.fields[name]

    def clean_date_of_birth(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("date_of_birth"), "date of birth")

    def clean_adopted_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("adopted_on"), "date adopted into the cohort")


class StayDetailsForm(VersionedFormMixin, StaySelectionFields):
    pass


class RagForm(GovukFormMixin, forms.Form):
    rag = radios("RAG status", Rag.choices)
    on = date_field("Date of this status")
    note = forms.CharField(
        label="Why it changed", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def clean_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("on"), "date of this status")


class OffenceForm(GovukFormMixin, forms.Form):
    offence_date = date_field("Date of the offence")
    offence_group = select("Offence group", [])
    charged = radios("Charged", YesNoUnknown.choices, initial=YesNoUnknown.UNKNOWN)
    note = forms.CharField(label="Details", max_length=500, required=False)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: dict[str, str] = {}
        for code, label in (
            CostOfCrime.objects.of(partnership.pk)
            .order_by("offence_group", "-effective_from")
            .values_list("offence_group", "label")
        ):
            groups.setdefault(code, label)
        choice_field(self, "offence_group").choices = [
            ("", "Choose a group"),
            *sorted(groups.items(), key=lambda i: i[1]),
        ]

    def clean_offence_date(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("offence_date"), "date of the offence")


class PlanItemForm(GovukFormMixin, forms.Form):
    pathway = radios("Pathway", Pathway.choices)
    action = forms.CharField(
        label="What will be done", max_length=500, error_messages={"required": "Enter what will be done"}
    )
    referred_to = forms.CharField(label="Referred to", max_length=200, required=False, help_text="Service or agency")
    referred_on = date_field("Date referred", required=False)
    status = radios("Progress", PlanStatus.choices, initial=PlanStatus.PLANNED)
    completed_on = date_field("Date completed or ended", required=False)
    outcome = radios("Outcome", PlanOutcome.choices, required=False, initial="")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        referred, done = cleaned.get("referred_on"), cleaned.get("completed_on")
        if referred and done and done < referred:
            self.add_error("completed_on", "The date completed must be on or after the date referred")
        if cleaned.get("status") == PlanStatus.REFERRED and not cleaned.get("referred_to"):
            self.add_error("referred_to", "Enter the service or agency the person was referred to")
        return cleaned


class PlanItemUpdateForm(VersionedFormMixin, PlanItemForm):
    pass


class ContactForm(GovukFormMixin, forms.Form):
    contacted_on = date_field("Date of contact")
    kind = radios("Kind of contact", ContactKind.choices)
    note = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)

    def clean_contacted_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("contacted_on"), "date of contact")


class DeselectForm(GovukFormMixin, VersionedFormMixin):
    left_on = date_field("Date the person left the cohort")
    reason = radios("Reason for deselection", DeselectionReason.choices)
    note = forms.CharField(label="Details", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)

    def clean_left_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("left_on"), "date the person left the cohort")


def money_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100_000_000,
        help_text="Whole pounds",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter the {label.lower()} in whole pounds",
            "invalid": f"Enter the {label.lower()} in whole pounds, for example 11320",
            "min_value": f"The {label.lower()} must be 0 or more",
            "max_value": f"The {label.lower()} must be at most 100000000",
        },
    )


PRICE_YEAR_ERROR = "Enter the price year as a financial year, for example 2015/16"


def clean_price_year(value: str) -> str:
    value = value.strip()
    if len(value) != 7 or value[4] != "/" or not (value[:4].isdigit() and value[5:].isdigit()):
        raise forms.ValidationError(PRICE_YEAR_ERROR)
    if (int(value[:4]) + 1) % 100 != int(value[5:]):
        raise forms.ValidationError(PRICE_YEAR_ERROR)
    return value


class CostEditForm(GovukFormMixin, VersionedFormMixin):
    label = forms.CharField(label="Offence group name", max_length=200, error_messages={"required": "Enter the name"})
    unit_cost = money_field("Unit cost")
    price_year = forms.CharField(label="Price year", max_length=7, help_text="For example, 2015/16")
    source = forms.CharField(label="Source", max_length=300, error_messages={"required": "Enter the publication"})

    def clean_price_year(self) -> str:
        return clean_price_year(self.cleaned_data.get("price_year", ""))


class CostAddForm(GovukFormMixin, forms.Form):
    offence_group = forms.RegexField(
        label="Offence group code",
        regex=r"^[a-z0-9_]{1,50}$",
        max_length=50,
        help_text="Lower-case letters, digits and _, for example robbery",
        error_messages={
            "required": "Enter the offence group code",
            "invalid": "Enter the code in lower-case letters, digits and _, for example robbery",
        },
    )
    label = forms.CharField(label="Offence group name", max_length=200, error_messages={"required": "Enter the name"})
    unit_cost = money_field("Unit cost")
    price_year = forms.CharField(label="Price year", max_length=7, help_text="For example, 2015/16")
    source = forms.CharField(label="Source", max_length=300, error_messages={"required": "Enter the publication"})
    effective_from = date_field("Applies from")

    def clean_price_year(self) -> str:
        return clean_price_year(self.cleaned_data.get("price_year", ""))


def financial_years() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(year), f"{year}/{(year + 1) % 100:02d}") for year in range(this, 2014, -1)]


def kpi_number(label: str, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=Decimal(10_000_000),
        max_digits=9,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "0.01"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as a number, for example 12.5",
            "min_value": f"The {label.lower()} must be 0 or more",
            "max_value": f"The {label.lower()} must be at most 10000000",
            "max_digits": f"The {label.lower()} has too many digits",
            "max_decimal_places": f"Give the {label.lower()} to at most 2 decimal places",
            "max_whole_digits": f"The {label.lower()} has too many digits",
        },
    )


class KpiValuesFields(GovukFormMixin, forms.Form):
    value = kpi_number("Value", required=True)
    national = kpi_number("National")
    regional = kpi_number("Regional")
    statistical_neighbours = kpi_number("Statistical neighbours")


class KpiAddForm(KpiValuesFields):
    kpi = select("KPI", [("", "Choose a KPI"), *YjKpi.choices])
    year = select("Financial year", [])
    quarter = radios("Quarter", [(str(n), f"Q{n}") for n in range(1, 5)])
    field_order = ["kpi", "year", "quarter", "value", "national", "regional", "statistical_neighbours"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "year").choices = financial_years()
        self.order_fields(self.field_order)


class KpiEditForm(VersionedFormMixin, KpiValuesFields):
    pass


class SettingForm(GovukFormMixin, forms.Form):
    key = radios("Setting", SettingKey.choices)
    value = forms.IntegerField(
        label="Days between contacts",
        min_value=1,
        max_value=365,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the days between contacts",
            "invalid": "Enter the days between contacts as a whole number",
            "min_value": "The days between contacts must be 1 or more",
            "max_value": "The days between contacts must be at most 365",
        },
    )
    effective_from = date_field("Applies from")


class ReviewMeetingForm(GovukFormMixin, forms.Form):
    """Which scheduled cohort review meeting a stay is listed on (the soonest is chosen first)."""

    meeting = radios("Review meeting", [])

    def __init__(self, *args: Any, meetings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {str(meeting.pk): meeting for meeting in meetings}
        choice_field(self, "meeting").choices = [(pk, str(meeting)) for pk, meeting in self.meetings.items()]
        if meetings:
            self.initial.setdefault("meeting", str(meetings[0].pk))

    def clean_meeting(self) -> Any:
        return self.meetings[self.cleaned_data["meeting"]]
