"""Forms of the Victim Care Hub. On bad input nothing is written and each message names what is wrong."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.accounts.models import Agency, Team, User
from saferhub.cases.models import ReferralSource
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import choice_field, model_choice_field
from saferhub.core.versioning import VersionedFormMixin
from saferhub.directory.models import Category, Service
from saferhub.people.forms import PersonDetailsForm, ethnicity_field
from saferhub.people.models import YesNoUnknown
from saferhub.reporting.periods import financial_year_start
from saferhub.victims.models import (
    CarePlanCategory,
    ContactMethod,
    ContactMethodChoice,
    ItemStatus,
    OnwardOutcome,
    ReferralKind,
    SafetyItemKind,
    SettingKey,
    VictimType,
)

SCORE_HELP = "From 1 (very low) to 10 (very high), as the person says."


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return SensibleDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def not_future(value: datetime.date | None, label: str) -> datetime.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {label} must be today or in the past.")
    return value


def yes_no_unknown(label: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": f"{label} Choose yes, no or not known"},
    )


def score_field(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=10,
        required=required,
        help_text=SCORE_HELP,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        error_messages={
            "required": f"Enter the {label.lower()} score, from 1 to 10",
            "min_value": f"Enter the {label.lower()} score, from 1 to 10",
            "max_value": f"Enter the {label.lower()} score, from 1 to 10",
            "invalid": f"Enter the {label.lower()} score as a whole number, from 1 to 10",
        },
    )


def hub_members(team_id: int | None) -> Any:
    # None matches users without a team. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    return User.objects.filter(team_id=team_id, is_active=True).order_by("full_name")  # type: ignore[misc]


class CodeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceCode) -> str:
        return obj.label


def codes(partnership_id: int | None, code_list: str) -> Any:
    # None matches no code. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
    return ReferenceCode.objects.filter(
        partnership_id=partnership_id,  # type: ignore[misc]
        code_list=code_list,
        active=True,
    ).order_by("sort_order", "label")


class NeededForVictimsField(forms.ChoiceField):
    """A choice the form's clean() requires for victims only: shown without "(optional)", which would mislead."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=True, **kwargs)

    def validate(self, value: Any) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(f"Choose one of the options for {self.label}")


class HubFieldsForm(GovukFormMixin, forms.Form):
    """The hub's own fields of a referral: kind of referral, the crime, the police, the area."""

    referral_kind = forms.ChoiceField(
        label="What is the referral for?",
        choices=ReferralKind.choices,
        initial=ReferralKind.VICTIM,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the referral is for"},
    )
    victim_type = NeededForVictimsField(
        label="Direct or indirect victim",
        choices=VictimType.choices,
        widget=forms.RadioSelect,
        help_text="Needed for a victim of crime; leave it unanswered for crime prevention.",
    )
    crime_type = CodeChoiceField(
        label="Crime type",
        queryset=ReferenceCode.objects.none(),
        empty_label="Choose a crime type",
        error_messages={"required": "Choose a crime type"},
    )
    incident_date = date_field("Date of the incident", required=False)
    incident_in_area = yes_no_unknown("Did the incident happen in the partnership's area?")
    lives_in_area = yes_no_unknown(
        "Does the person live in the area?", "Residents of other areas are supported when the incident happened here."
    )
    reported_to_police = yes_no_unknown("Has it been reported to the police?")
    police_reference = forms.CharField(label="Crime reference number", max_length=50, required=False)
    assisting_investigation = yes_no_unknown("Is the person assisting the police investigation?")

    contact_phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "class": "govuk-input--width-20"}),
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
    )
    contact_email = forms.EmailField(
        label="E-mail address",
        required=False,
        error_messages={"invalid": "Enter the e-mail address in the correct format, like name@example.org"},
    )
    contact_address = forms.CharField(
        label="Address",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Address must be 500 characters or fewer"},
    )
    safe_contact_method = forms.ChoiceField(
        label="How is it safe to contact them?",
        choices=ContactMethodChoice.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Ask the person: someone they live with may see messages or letters.",
        error_messages={"invalid_choice": "Choose how it is safe to contact them"},
    )
    safe_to_leave_message = forms.ChoiceField(
        label="Is it safe to leave a message?",
        choices=YesNoUnknown.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose whether it is safe to leave a message: yes, no or not known"},
    )
    language = forms.CharField(
        label="Preferred language",
        max_length=100,
        required=False,
        help_text="For example, English, Polish or British Sign Language",
        error_messages={"max_length": "Preferred language must be 100 characters or fewer"},
    )
    interpreter_needed = forms.ChoiceField(
        label="Do they need an interpreter?",
        choices=YesNoUnknown.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose whether they need an interpreter: yes, no or not known"},
    )

    CONTACT_FIELDS = (
        "contact_phone",
        "contact_email",
        "contact_address",
        "safe_contact_method",
        "safe_to_leave_message",
        "language",
        "interpreter_needed",
    )
    # The detail the hub needs for each safe way of contact, and what to ask for when it is missing.
    METHOD_NEEDS = {
        ContactMethodChoice.PHONE: ("contact_phone", "Enter a phone number, or choose another way to contact them"),
        ContactMethodChoice.TEXT: ("contact_phone", "Enter a phone number, or choose another way to contact them"),
        ContactMethodChoice.EMAIL: ("contact_email", "Enter an e-mail address, or choose another way to contact them"),
        ContactMethodChoice.LETTER: ("contact_address", "Enter an address, or choose another way to contact them"),
    }

    HUB_FIELDS = (
        "referral_kind",
        "victim_type",
        "crime_type",
        "incident_date",
        "incident_in_area",
        "lives_in_area",
        "reported_to_police",
        "police_reference",
        "assisting_investigation",
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "crime_type").queryset = codes(partnership_id, ReferenceList.VICTIM_HUB_CRIME_TYPE)

    def clean_incident_date(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("incident_date"), "date of the incident")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("referral_kind")
        if kind == ReferralKind.VICTIM and not cleaned.get("victim_type"):
            self.add_error("victim_type", "Choose whether the person is a direct or an indirect victim")
        if kind == ReferralKind.CRIME_PREVENTION:
            cleaned["victim_type"] = ""
        if cleaned.get("incident_in_area") == YesNoUnknown.NO and cleaned.get("lives_in_area") == YesNoUnknown.NO:
            self.add_error(
                "lives_in_area",
                "The hub supports people from outside the area only when the incident happened in the area",
            )
        needed = self.METHOD_NEEDS.get(cleaned.get("safe_contact_method", ""))
        if needed and not (cleaned.get(needed[0]) or "").strip() and needed[0] not in self.errors:
            self.add_error(needed[0], needed[1])
        if cleaned.get("police_reference", "").strip() and cleaned.get("reported_to_police") == YesNoUnknown.NO:
            self.add_error(
                "police_reference", "Remove the crime reference, or say the crime was reported to the police"
            )
        return cleaned

    def hub_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in (*self.HUB_FIELDS, *self.CONTACT_FIELDS)}
        for name in ("police_reference", "contact_phone", "contact_address", "language"):
            fields[name] = fields[name].strip()
        for name in ("safe_to_leave_message", "interpreter_needed"):
            fields[name] = fields[name] or YesNoUnknown.UNKNOWN
        return fields


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.parent.name})" if obj.parent is not None else obj.name


class HubReferralForm(HubFieldsForm, PersonDetailsForm):
    """The professional referral form; every detail of the person is optional (many stay anonymous)."""

    field_order = [
        "from_agency",
        "referrer_name",
        "referrer_contact",
        "consent_given",
        *HubFieldsForm.HUB_FIELDS,
        "reason",
        "first_name",
        "last_name",
        "date_of_birth",
        "age",
        "gender",
        "ethnicity",
        "disability",
        *HubFieldsForm.CONTACT_FIELDS,
    ]

    from_agency = AgencyChoiceField(
        label="Referring agency or team",
        queryset=Agency.objects.none(),
        empty_label="Choose the referring agency",
        error_messages={"required": "Choose the referring agency"},
    )
    referrer_name = forms.CharField(
        label="Referrer’s name", max_length=200, error_messages={"required": "Enter the referrer’s name"}
    )
    referrer_contact = forms.CharField(
        label="How to contact the referrer",
        max_length=200,
        help_text="A phone number or e-mail address.",
        error_messages={"required": "Enter a phone number or e-mail address for the referrer"},
    )
    consent_given = yes_no_unknown("Has the person agreed to the referral?")
    reason = forms.CharField(
        label="What has happened, and what support is asked for?",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe what has happened and the support asked for"},
    )
    disability = yes_no_unknown("Does the person have a disability?")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, partnership_id=user.partnership_id, **kwargs)
        self.user = user
        model_choice_field(self, "from_agency").queryset = (
            Agency.objects.live().filter(partnership_id=user.partnership_id).select_related("parent").order_by("name")
        )
        self.fields["from_agency"].initial = user.agency_id
        self.fields["ethnicity"] = ethnicity_field(user.partnership)
        self.order_fields(self.field_order)

    def person_details(self) -> dict[str, Any]:
        names = [*PersonDetailsForm.base_fields, "ethnicity"]
        details = {name: self.cleaned_data.get(name) for name in names}
        details["ethnicity"] = details["ethnicity"] or ""
        details["gender"] = details["gender"] or ""
        if self.cleaned_data.get("disability") != YesNoUnknown.UNKNOWN:
            details["disability"] = self.cleaned_data["disability"]
        return details

    def has_details(self) -> bool:
        return any(value not in (None, "") for value in self.person_details().values())

    def referral_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        own = data["from_agency"].pk == self.user.agency_id
        return {
            "source": ReferralSource.AGENCY,
            "from_agency": data["from_agency"],
            "from_team_id": self.user.team_id if own else None,
            "referrer_name": data["referrer_name"].strip(),
            "referrer_contact": data["referrer_contact"].strip(),
            "reason": data["reason"].strip(),
            "consent_given": data["consent_given"],
        }


class HubDetailsForm(VersionedFormMixin, HubFieldsForm):
    """Correcting the hub fields after triage."""


class AcceptForm(GovukFormMixin, forms.Form):
    assigned_to = forms.ModelChoiceField(
        label="Hub worker for the case", queryset=User.objects.none(), required=False, empty_label="Not assigned yet"
    )

    def __init__(self, *args: Any, team_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assigned_to").queryset = hub_members(team_id)


class ContactAttemptForm(GovukFormMixin, forms.Form):
    made_on = date_field("Date of the attempt")
    method = forms.ChoiceField(
        label="How did you try to contact the person?",
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you tried to contact the person"},
    )
    successful = forms.TypedChoiceField(
        label="Did you speak to the person?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you spoke to the person"},
    )
    notes = forms.CharField(label="Notes", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_made_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("made_on"), "date of the attempt")


class StartScoresForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    satisfaction = score_field("Satisfaction")
    safety = score_field("Feeling of safety")


class CarePlanItemForm(GovukFormMixin, forms.Form):
    category = forms.ChoiceField(
        label="Category",
        choices=CarePlanCategory.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the category of the care plan item"},
    )
    description = forms.CharField(
        label="What will be done",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Describe what will be done"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose who owns it",
        error_messages={"required": "Choose who owns the item"},
    )
    due_on = date_field("Due date")

    def __init__(self, *args: Any, team_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = hub_members(team_id)


class CarePlanOutcomeForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ItemStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the status of the item"},
    )
    outcome = forms.CharField(label="Outcome", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") and cleaned["status"] != ItemStatus.OPEN and not cleaned.get("outcome", "").strip():
            self.add_error("outcome", "Describe the outcome")
        return cleaned


class SupportForm(GovukFormMixin, forms.Form):
    support_type = CodeChoiceField(
        label="Support given", queryset=ReferenceCode.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    delivered_on = date_field("Date")
    notes = forms.CharField(label="Notes", max_length=500, required=False)

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "support_type").queryset = codes(partnership_id, ReferenceList.VICTIM_SUPPORT_TYPE)
        self.fields["support_type"].error_messages["required"] = "Choose the support given"

    def clean_delivered_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("delivered_on"), "date")


class SafetyItemForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label="Item",
        choices=SafetyItemKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the item issued"},
    )
    quantity = forms.IntegerField(
        label="How many",
        min_value=1,
        max_value=20,
        initial=1,
        error_messages={
            "required": "Enter how many were issued, from 1 to 20",
            "min_value": "Enter how many were issued, from 1 to 20",
            "max_value": "Enter how many were issued, from 1 to 20",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
    )
    issued_on = date_field("Date issued")
    notes = forms.CharField(label="Notes", max_length=500, required=False)

    def clean_issued_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("issued_on"), "date issued")


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Service) -> str:
        # What it helps with, so the worker can choose without leaving the form for the directory.
        helps = ", ".join(obj.category_labels)
        return f"{obj.name} ({helps})" if helps else obj.name


class OnwardReferralForm(GovukFormMixin, forms.Form):
    service = ServiceChoiceField(
        label="Service",
        queryset=Service.objects.none(),
        empty_label="Choose a service",
        error_messages={"required": "Choose the service you referred the person to"},
    )
    referred_on = date_field("Date of the referral")
    reason = forms.CharField(label="Reason", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, partnership_id: int | None, category: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        services = Service.objects.live().of(partnership_id)
        if category:
            services = services.in_category(category)
            self.fields["service"].label = f"{Category(category).label} service"
        model_choice_field(self, "service").queryset = services.order_by("name").prefetch_related("categories")

    def clean_referred_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("referred_on"), "date of the referral")


class OnwardOutcomeForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=OnwardOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome of the referral"},
    )
    outcome_on = date_field("Date of the outcome")


class RightChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReferenceCode) -> str:
        return f"Right {obj.code}: {obj.label}"


class RightForm(GovukFormMixin, forms.Form):
    right = RightChoiceField(
        label="Right",
        queryset=ReferenceCode.objects.none(),
        empty_label="Choose a right",
        error_messages={"required": "Choose the Victims' Code right"},
    )
    informed_on = date_field("Date the person was informed of the right", required=False)
    met_on = date_field("Date the right was met", required=False)
    notes = forms.CharField(label="Notes", max_length=500, required=False)

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "right").queryset = codes(partnership_id, ReferenceList.VCOP_RIGHT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("informed_on", "met_on"):
            try:
                not_future(cleaned.get(name), "date")
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if not cleaned.get("informed_on") and not cleaned.get("met_on") and not self.errors:
            self.add_error("informed_on", "Enter the date the person was informed of the right, or the date it was met")
        return cleaned


class RightsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ReferenceCode) -> str:
        return f"Right {obj.code}: {obj.label}"


class SeveralRightsForm(RightForm):
    """Several rights informed or met on the same day. `seen` holds each right's record as the page
    showed it (``right id@timestamp``), so a right recorded meanwhile by someone else refuses the batch."""

    rights = RightsChoiceField(
        label="Rights",
        queryset=ReferenceCode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one Victims' Code right"},
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    field_order = ["rights", "informed_on", "met_on", "notes", "seen"]

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, partnership_id=partnership_id, **kwargs)
        del self.fields["right"]
        model_choice_field(self, "rights").queryset = codes(partnership_id, ReferenceList.VCOP_RIGHT)

    def seen_stamps(self) -> dict[int, str]:
        stamps: dict[int, str] = {}
        for part in (self.cleaned_data.get("seen") or "").split(";"):
            right_id, _, stamp = part.partition("@")
            if right_id.isascii() and right_id.isdigit() and len(right_id) < 19:
                stamps[int(right_id)] = stamp
        return stamps


class RjInformedForm(GovukFormMixin, forms.Form):
    informed_on = date_field("Date the person was told of their right to restorative justice")

    def clean_informed_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("informed_on"), "date")


OTHER = "other"


class CloseForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    closure_reason = forms.ChoiceField(label="Reason for closing", choices=(), widget=forms.RadioSelect)
    closure_details = forms.CharField(
        label="Give details of the reason",
        required=False,
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the reason is Other",
        error_messages={"max_length": "Details of the reason must be 400 characters or fewer"},
    )
    closed_on = date_field("Date closed")
    satisfaction_end = score_field("Satisfaction at the end", required=False)
    safety_end = score_field("Feeling of safety at the end", required=False)
    close_anyway_reason = forms.CharField(
        label="Why close the case with these still open?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the case's status history and the audit trail",
        error_messages={
            "required": "Enter why the case is closing with these still open",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        partnership_id: int | None,
        still_open: list[str] | None = None,
        asking: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "closure_reason").choices = [
            (code.code, code.label) for code in codes(partnership_id, ReferenceList.CASE_CLOSURE_REASON)
        ]
        self.fields["closure_reason"].error_messages["required"] = "Choose the reason for closing"
        if not still_open:
            del self.fields["close_anyway_reason"]
        if asking:
            del self.fields["closed_on"]  # asking for approval: the case closes on the day it is approved

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("closure_reason") == OTHER and not (cleaned.get("closure_details") or "").strip():
            self.add_error("closure_details", "Give details of the reason for closing, as you chose Other")
        return cleaned

    def clean_closed_on(self) -> datetime.date | None:
        return not_future(self.cleaned_data.get("closed_on"), "date closed")


def year_choices(today: datetime.date) -> list[tuple[int, str]]:
    current = financial_year_start(today)
    return [(year, f"{year}/{(year + 1) % 100:02d}") for year in range(current + 1, 2009, -1)]


class TargetYearForm(GovukFormMixin, forms.Form):
    """Which financial year's targets the page shows (a GET form), so the boxes always hold that year's values."""

    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "year").choices = year_choices(timezone.localdate())


class TargetsForm(GovukFormMixin, forms.Form):
    # Hidden: the year is chosen above the form, which then shows that year's targets.
    year = forms.TypedChoiceField(
        label="Financial year",
        coerce=int,
        choices=(),
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "Choose a financial year from the list",
            "required": "Choose a financial year",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "year").choices = year_choices(timezone.localdate())
        for quarter in range(1, 5):
            self.fields[f"q{quarter}"] = forms.IntegerField(
                label=f"Q{quarter} referral target",
                min_value=0,
                max_value=100000,
                error_messages={
                    "min_value": f"Enter the Q{quarter} target as a whole number, 0 or more",
                    "max_value": f"Enter a Q{quarter} target of 100,000 or less",
                    "invalid": f"Enter the Q{quarter} target as a whole number, 0 or more",
                },
                required=False,
                help_text="Leave blank for no target." if quarter == 1 else "",
                widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
            )

    def targets(self) -> dict[int, int | None]:
        return {quarter: self.cleaned_data.get(f"q{quarter}") for quarter in range(1, 5)}


class HubTeamForm(GovukFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Hub team",
        queryset=Team.objects.none(),
        empty_label="Choose the hub team",
        error_messages={"required": "Choose the hub team"},
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = (
            Team.objects.live().filter(partnership_id=partnership_id).select_related("agency")
        )


class FirstContactSettingForm(GovukFormMixin, forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, initial=SettingKey.FIRST_CONTACT_WORKING_DAYS)
    value = forms.IntegerField(
        label="Working days to first contact",
        min_value=1,
        max_value=30,
        error_messages={
            "required": "Enter the number of working days, from 1 to 30",
            "min_value": "Enter the number of working days, from 1 to 30",
            "max_value": "Enter the number of working days, from 1 to 30",
            "invalid": "Enter the number of working days as a whole number, from 1 to 30",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-2"}),
        help_text="The Victims' Code target for contacting a victim after the hub receives a referral.",
    )
    effective_from = date_field("Takes effect from")

    def clean_key(self) -> str:
        if self.cleaned_data["key"] not in SettingKey.values:
            raise forms.ValidationError("Unknown setting")
        return self.cleaned_data["key"]
