"""Forms of the restorative justice module. On bad input nothing is written and each message names
the field and what to do."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.core.forms import DATE_EXAMPLE, GovukFormMixin, SensibleDateField
from saferhub.core.types import model_choice_field
from saferhub.core.versioning import VersionedFormMixin
from saferhub.directory.models import Category, Service
from saferhub.retention.actions import MIN_REASON as ERASURE_MIN_REASON
from saferhub.rj.models import (
    ActionStatus,
    Consent,
    CouncilMembership,
    HarmKind,
    InterventionKind,
    MemberKind,
    Outcome,
    Party,
    PartyRole,
    ProviderOutcome,
    Safety,
    Satisfaction,
    Source,
    SpecialistHarm,
    Suitability,
    TrainingLevel,
)

# The field is GOV.UK's three-box date input (core.forms), with its own example.
DATE_HINT = DATE_EXAMPLE


def date_field(label: str, *, required: bool = True, help_text: str = DATE_HINT) -> forms.DateField:
    return SensibleDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the {label[:1].lower()}{label[1:]}"},
    )


def radios(label: str, choices: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": f"Choose the {label.lower()}", "invalid_choice": f"Choose the {label.lower()}"},
        **kwargs,
    )


def text(label: str, *, max_length: int, required: bool = False, rows: int = 0, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "max_length": f"The {label.lower()} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


class NotFutureMixin(GovukFormMixin, forms.Form):
    """Dates of things that have happened must not be in the future."""

    past_dates: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in self.past_dates:
            value = data.get(name)
            if isinstance(value, datetime.date) and value > today:
                label = str(self.fields[name].label)
                self.add_error(name, f"The {label[:1].lower()}{label[1:]} must be today or in the past")
        return data


HARM_FIELDS = ("harm_kind", "specialist_harm", "harm_on", "harm_summary")


class HarmFields(GovukFormMixin, forms.Form):
    harm_kind = radios("Harm", HarmKind.choices)
    specialist_harm = radios(
        "Is it domestic abuse or sexual harm?",
        SpecialistHarm.choices,
        initial=SpecialistHarm.NONE,
        help_text="These need the enhanced risk assessment and a manager's approval before anyone contacts the parties.",
    )
    harm_summary = text("What happened", max_length=500, rows=3)


class ReferralForm(NotFutureMixin, HarmFields):
    past_dates = ("referred_on", "harm_on")

    source = radios("Referred by", Source.choices)
    referred_on = date_field("Date of the referral")
    referrer = text("Name of the referrer", max_length=200, help_text="An officer, a teacher, a youth justice worker")
    harm_on = date_field("Date of the harm", required=False)
    harmed_first_name = text("First name of the person harmed", max_length=100)
    harmed_last_name = text("Last name of the person harmed", max_length=100)
    responsible_first_name = text("First name of the person responsible", max_length=100)
    responsible_last_name = text("Last name of the person responsible", max_length=100)

    field_order = [
        "source",
        "referred_on",
        "referrer",
        "harm_kind",
        "specialist_harm",
        "harm_on",
        "harm_summary",
        "harmed_first_name",
        "harmed_last_name",
        "responsible_first_name",
        "responsible_last_name",
    ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for prefix, who in (("harmed", "person harmed"), ("responsible", "person responsible")):
            first, last = data.get(f"{prefix}_first_name"), data.get(f"{prefix}_last_name")
            if bool(first) != bool(last):
                missing = f"{prefix}_last_name" if first else f"{prefix}_first_name"
                self.add_error(missing, f"Enter both names of the {who}, or neither")
        return data


class HubReferralForm(HarmFields):
    """The hub's Right 3 referral: the victim and the crime come from the hub record."""


class ScreenForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("screened_on",)

    suitability = radios(
        "Is restorative justice suitable?",
        [(Suitability.SUITABLE, "Suitable"), (Suitability.NOT_SUITABLE, "Not suitable")],
    )
    screened_on = date_field("Date of the screening")
    notes = text("Screening notes", max_length=1000, rows=4)


class ApproveForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("approved_on",)

    approved_on = date_field("Date of the approval")


class ConsentForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("consent_on",)

    consent = radios("Consent", [c for c in Consent.choices if c[0] != Consent.NOT_ASKED])
    consent_on = date_field("Date of the consent")


class MeetingForm(NotFutureMixin):
    past_dates = ("held_on",)

    party = forms.ModelChoiceField(
        label="Met with",
        queryset=Party.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose who the meeting was with",
            "invalid_choice": "Choose who the meeting was with",
        },
    )
    held_on = date_field("Date of the meeting")
    notes = text("Notes", max_length=1000, rows=4)

    def __init__(self, *args: Any, rj_case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "party")
        field.queryset = Party.objects.filter(rj_case=rj_case).order_by("role")
        field.label_from_instance = lambda obj: obj.get_role_display()  # type: ignore[method-assign,assignment]


class InterventionForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("intervention_on",)

    intervention_kind = radios("Intervention", InterventionKind.choices)
    intervention_on = date_field("Date of the intervention")
    outcome = radios("Outcome", [c for c in Outcome.choices if c[0] != Outcome.NOT_PROCEEDED])
    outcome_notes = text("What was agreed", max_length=1000, rows=4)


class AgreementActionForm(GovukFormMixin, forms.Form):
    text = text("Action", max_length=500, required=True, help_text="For example, repair the fence by Friday")
    by_role = radios("Who does it", PartyRole.choices, initial=PartyRole.RESPONSIBLE)
    due_on = date_field("Date it is due", required=False)


class AgreementActionStatusForm(GovukFormMixin, VersionedFormMixin):
    status = radios("Status", ActionStatus.choices)
    completed_on = date_field("Date it was done", required=False)


class FollowUpForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("followed_up_on",)

    followed_up_on = date_field("Date of the follow-up")
    harmed_satisfaction = radios("How satisfied is the person harmed?", Satisfaction.choices)
    harmed_safety = radios("How safe does the person harmed feel?", Safety.choices)
    responsible_satisfaction = radios("How satisfied is the person responsible?", Satisfaction.choices)
    responsible_safety = radios("How safe does the person responsible feel?", Safety.choices)


def provider_queryset(partnership_id: int) -> Any:
    return (
        Service.objects.filter(partnership_id=partnership_id, archived_at__isnull=True)
        .in_category(Category.RESTORATIVE_JUSTICE)
        .order_by("name")
    )


class ProviderForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("referred_on",)

    provider = forms.ModelChoiceField(
        label="Provider",
        queryset=Service.objects.none(),
        empty_label="Choose a provider",
        error_messages={"required": "Choose the provider", "invalid_choice": "Choose a provider from the list"},
    )
    referred_on = date_field("Date of the referral to the provider")

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "provider").queryset = rj_providers(partnership_id)


class ProviderOutcomeForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("provider_outcome_on",)

    provider_outcome = radios("Provider's outcome", ProviderOutcome.choices)
    provider_outcome_on = date_field("Date of the outcome")


class MemberForm(NotFutureMixin, VersionedFormMixin):
    past_dates = ("dbs_checked_on", "rj_council_confirmed_on")

    kind = radios("Role", MemberKind.choices)
    name = text("Name", max_length=200, required=True)
    organisation = text("Organisation", max_length=200)
    school = text("School", max_length=200, help_text="For a Restorative Practice Lead or a champion in a school")
    training_level = radios("Training level", TrainingLevel.choices)
    dbs_checked_on = date_field("Date of the DBS check", required=False)
    availability = text("Availability", max_length=200, help_text="For example, weekday evenings")
    lived_experience = forms.BooleanField(label="Volunteer with lived experience", required=False)
    active = forms.BooleanField(label="Active", required=False, initial=True)
    rj_council = forms.ChoiceField(
        label="Restorative Justice Council membership",
        choices=CouncilMembership.choices,
        widget=forms.RadioSelect,
        initial=CouncilMembership.NONE,
        help_text="An accredited organisation holds the Council's Restorative Service Quality Mark",
        error_messages={
            "required": "Choose the Restorative Justice Council membership",
            "invalid_choice": "Choose the Restorative Justice Council membership from the list",
        },
    )
    rj_council_confirmed_on = date_field(
        "Date the membership was confirmed",
        required=False,
        help_text=f"When the Council's register or certificate was last checked. {DATE_HINT}",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        council = data.get("rj_council")
        if council and council != CouncilMembership.NONE and not data.get("rj_council_confirmed_on"):
            if "rj_council_confirmed_on" not in self.errors:
                self.add_error(
                    "rj_council_confirmed_on",
                    "Enter the date the Restorative Justice Council membership was confirmed",
                )
        return data


class MemberErasureForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are this member's details being erased?",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=ERASURE_MIN_REASON,
        max_length=1000,
        help_text="For example, the member's erasure request and the date it was received",
        error_messages={
            "required": "Enter why the details are being erased",
            "min_length": f"The reason must be at least {ERASURE_MIN_REASON} characters",
        },
    )


class RegisterFilterForm(GovukFormMixin, forms.Form):
    council = forms.ChoiceField(
        label="Restorative Justice Council membership",
        choices=[("", "Any membership"), *CouncilMembership.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a Restorative Justice Council membership from the list"},
    )


class NewMemberForm(MemberForm):
    version = None  # type: ignore[assignment]


class TrainingForm(GovukFormMixin, forms.Form):
    activity: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label="Training or meeting attended",
        queryset=None,  # type: ignore[arg-type]
        empty_label="Choose an activity",
        error_messages={"required": "Choose the activity", "invalid_choice": "Choose an activity from the list"},
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        from saferhub.governance.models import Activity
        from saferhub.rj.setup import PROGRAMME

        super().__init__(*args, **kwargs)
        field = model_choice_field(self, "activity")
        field.queryset = Activity.objects.filter(partnership_id=partnership_id, programme=PROGRAMME).order_by(
            "-held_on"
        )
        field.label_from_instance = lambda obj: f"{obj.title}, {obj.held_on:%-d %B %Y}"  # type: ignore[method-assign,assignment]


def rj_providers(partnership_id: int) -> Any:
    return provider_queryset(partnership_id)


class StreetOutcome:
    RESOLVED = "resolved"
    REFER = "refer"
    CHOICES = [
        (RESOLVED, "Resolved here: community resolution agreed"),
        (REFER, "Not resolved here: refer on to a restorative justice provider"),
    ]


class StreetForm(NotFutureMixin):
    """The officer's street resolution: short, thumb-sized, no more than the record needs."""

    past_dates = ("happened_on",)

    client_uuid = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": "Reload the page and record the resolution again", "invalid": "Reload the page"},
    )
    happened_on = date_field("Date")
    harm_kind = radios("What was the harm?", HarmKind.choices)
    summary = text("What happened", max_length=500, rows=2, help_text="One or two lines")
    harmed_first_name = text("Person harmed: first name", max_length=100)
    harmed_last_name = text("Person harmed: last name", max_length=100)
    responsible_first_name = text("Person responsible: first name", max_length=100)
    responsible_last_name = text("Person responsible: last name", max_length=100)
    consent = forms.BooleanField(
        label="Both parties agreed to take part",
        error_messages={"required": "Confirm both parties agreed to take part, or do not record a resolution"},
    )
    outcome = radios("Outcome", StreetOutcome.CHOICES)
    agreed = text("What was agreed", max_length=500, rows=2, help_text="For example, an apology and repair of damage")
    provider = forms.ModelChoiceField(
        label="Refer on to",
        queryset=Service.objects.none(),
        required=False,
        empty_label="Choose a provider",
        error_messages={"invalid_choice": "Choose a provider from the list"},
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "provider").queryset = rj_providers(partnership_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("outcome") == StreetOutcome.REFER and not data.get("provider"):
            self.add_error("provider", "Choose the provider to refer on to")
        if data.get("outcome") == StreetOutcome.RESOLVED and not data.get("agreed"):
            self.add_error("agreed", "Enter what was agreed")
        for prefix, who in (("harmed", "person harmed"), ("responsible", "person responsible")):
            if bool(data.get(f"{prefix}_first_name")) != bool(data.get(f"{prefix}_last_name")):
                missing = f"{prefix}_last_name" if data.get(f"{prefix}_first_name") else f"{prefix}_first_name"
                self.add_error(missing, f"Enter both names of the {who}, or neither")
        return data
