"""Forms of the missing-children pages. Edit forms of shared records carry the record's `version`."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferhub.accounts.models import Team
from saferhub.core.forms import GovukFormMixin, SensibleDateField, SensibleDateTimeField
from saferhub.core.versioning import VersionedFormMixin
from saferhub.missing.models import (
    Group,
    LinkSource,
    MemberRole,
    PlaceKind,
    PlaceOfConcern,
    Risk,
    SettingKey,
    Theme,
    Visibility,
)
from saferhub.people.models import Person, YesNoUnknown
from saferhub.places.models import Ward

DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def moment(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return SensibleDateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(format="%Y-%m-%d %H:%M", attrs={"class": "govuk-input--width-10"}),
        help_text=help_text or "UK time",
        error_messages={
            "required": f"Enter {label.lower()}",
        },
    )


def text(label: str, max_length: int, *, required: bool = False, area: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=TEXTAREA if area else None,
        error_messages={"required": f"Enter {label.lower()}"},
    )


class EpisodeFields(GovukFormMixin, forms.Form):
    missing_from = moment("Missing from")
    police_reference = text("Police reference", 50)
    risk = forms.ChoiceField(
        label="Police risk grading", choices=[("", "Not graded yet"), *Risk.choices], required=False
    )
    placed_out_of_area = forms.ChoiceField(
        label="Is the child placed outside the borough?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child is placed outside the borough"},
    )


class NewChildEpisodeForm(EpisodeFields):
    """A child not yet known to the team goes missing: their names and date of birth, then the episode."""

    first_name = text("First name", 100, required=True)
    last_name = text("Last name", 100, required=True)
    date_of_birth = SensibleDateField(
        label="Date of birth",
        error_messages={
            "required": "Enter the date of birth",
        },
    )

    field_order = ["first_name", "last_name", "date_of_birth"]


class EpisodeForm(EpisodeFields):
    pass


class EpisodeChangeForm(VersionedFormMixin, EpisodeFields):
    where_found = text("Where found", 300)


class ReturnForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    returned_at = moment("Returned at")
    where_found = text("Where found", 300)

    def __init__(self, *args: Any, missing_from: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing_from = missing_from

    def clean_returned_at(self) -> Any:
        value = self.cleaned_data["returned_at"]
        if value and self.missing_from and value < self.missing_from:
            raise ValidationError("Returned at must be after the time the child went missing")
        return value


class AssignInterviewForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Provider",
        queryset=Team.objects.none(),
        help_text="The Early Help Hub for a child living in the borough; the commissioned provider for a child "
        "placed outside it. Its workers will see this interview only.",
        error_messages={"required": "Select the provider", "invalid_choice": "Select a provider from the list"},
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["team"]
        field.queryset = (
            Team.objects.live()
            .filter(partnership_id=partnership_id)
            .select_related("agency")
            .order_by("agency__name", "name")
        )
        field.label_from_instance = lambda team: f"{team.agency.name}: {team.name}"


class InterviewForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    rhi_offered_at = moment("Interview offered at", required=False)
    rhi_declined = forms.ChoiceField(
        label="Did the child decline the interview?",
        choices=YesNoUnknown.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the child declined the interview"},
    )
    rhi_completed_at = moment("Interview held at", required=False)
    push_factors = text("Push factors (what led them to leave)", 2000, area=True)
    pull_factors = text("Pull factors (what drew them away)", 2000, area=True)
    disclosures = text("Disclosures", 2000, area=True)
    concerns_raised = text("Concerns raised (places, people, exploitation)", 2000, area=True)
    onward_referrals = text("Onward referrals", 2000, area=True)

    def __init__(self, *args: Any, returned_at: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.returned_at = returned_at

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        offered, held = data.get("rhi_offered_at"), data.get("rhi_completed_at")
        if held and not offered:
            self.add_error("rhi_offered_at", "Enter when the interview was offered: it was held")
        if held and offered and held < offered:
            self.add_error("rhi_completed_at", "Interview held at must be after it was offered")
        if self.returned_at is None and (offered or held):
            self.add_error("rhi_offered_at", "Record the child's return before the interview")
        return data


class StrategyMeetingForm(GovukFormMixin, forms.Form):
    held_at = moment("Held at")
    attendees = text("Attendees", 2000, required=True, area=True)
    decisions = text("Decisions", 4000, area=True)
    actions = text("Actions", 4000, area=True)


# Contextual safeguarding ---------------------------------------------------------------------------------


def _visibility() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Who may see it",
        choices=Visibility.choices,
        initial=Visibility.TEAM,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who may see it"},
    )


class PlaceForm(GovukFormMixin, forms.Form):
    name = text("Name or description of the place", 200, required=True)
    kind = forms.ChoiceField(
        label="Type of place", choices=PlaceKind.choices, error_messages={"required": "Select the type of place"}
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Select a ward from the list"},
    )
    description = text("Why it is a concern", 500, area=True)
    identified_on = SensibleDateField(
        label="Identified on",
        error_messages={
            "required": "Enter the date it was identified",
        },
    )
    visibility = _visibility()

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["ward"]
        # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
        field.queryset = Ward.objects.filter(partnership_id=partnership_id, active=True).order_by("name")  # type: ignore[misc]


class PlaceChangeForm(VersionedFormMixin, PlaceForm):
    pass


class GroupForm(GovukFormMixin, forms.Form):
    name = text("Name", 200, required=True)
    description = text("Description", 500, area=True)
    identified_on = SensibleDateField(
        label="Identified on",
        error_messages={
            "required": "Enter the date it was identified",
        },
    )
    visibility = _visibility()


class GroupChangeForm(VersionedFormMixin, GroupForm):
    pass


class LinkForm(GovukFormMixin, forms.Form):
    """One piece of information: a child (or member) linked to a place, group or theme, or a group to a place or
    theme."""

    person = forms.ModelChoiceField(
        label="Young person",
        queryset=Person.objects.none(),
        required=False,
        help_text="A child with a missing record",
        error_messages={"invalid_choice": "Select a young person from the list"},
    )
    place = forms.ModelChoiceField(
        label="Place",
        queryset=PlaceOfConcern.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Select a place from the list"},
    )
    group = forms.ModelChoiceField(
        label="Group",
        queryset=Group.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Select a group from the list"},
    )
    role = forms.ChoiceField(
        label="Role in the group", choices=[("", "Not a member"), *MemberRole.choices], required=False
    )
    theme = forms.ChoiceField(label="Theme", choices=[("", "No theme"), *Theme.choices], required=False)
    source = forms.ChoiceField(
        label="Source of the information",
        choices=LinkSource.choices,
        error_messages={"required": "Select the source of the information"},
    )
    recorded_on = SensibleDateField(
        label="Date of the information",
        error_messages={
            "required": "Enter the date of the information",
        },
    )
    visibility = _visibility()
    notes = text("Notes", 500, area=True)

    def __init__(
        self,
        *args: Any,
        partnership_id: int | None,
        people: Any,
        places: Any,
        groups: Any,
        outreach_session: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["person"].queryset = people
        fields["person"].label_from_instance = lambda person: person.display_name
        fields["place"].queryset = places
        fields["group"].queryset = groups
        # A concern passed on from a detached outreach session: its source and date are the session's.
        self.outreach_session = outreach_session
        if outreach_session is not None:
            del fields["source"], fields["recorded_on"]

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        ends = [data.get("person"), data.get("place"), data.get("group"), data.get("theme") or None]
        if sum(end is not None for end in ends) < 2:
            self.add_error("person", "Choose at least two of: a young person, a place, a group, a theme")
        if data.get("role") and not (data.get("person") and data.get("group")):
            self.add_error("role", "A role in a group needs both a young person and a group")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        session = self.outreach_session
        return {
            "person": data["person"],
            "place": data["place"],
            "group": data["group"],
            "role": data["role"],
            "theme": data["theme"],
            "source": LinkSource.OUTREACH if session is not None else data["source"],
            "recorded_on": session.held_on if session is not None else data["recorded_on"],
            "visibility": data["visibility"],
            "notes": data["notes"],
            "outreach_session": session,
        }


class SettingForm(GovukFormMixin, forms.Form):
    key = forms.ChoiceField(label="Deadline or threshold", choices=SettingKey.choices, widget=forms.RadioSelect)
    value = forms.IntegerField(
        label="New value",
        min_value=1,
        max_value=1000,
        help_text="In the unit the setting names: hours, days or episodes",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
    )
    effective_from = SensibleDateField(
        label="Applies from", help_text="Episodes before this date keep the value in force when they happened"
    )


class OutreachSessionForm(GovukFormMixin, forms.Form):
    """A detached outreach session: when and where, how many young people, what was passed on, and optionally
    the young person the concerns are about (a link from this session)."""

    held_on = SensibleDateField(
        label="Date of the session",
        today_or_past=True,
        error_messages={"required": "Enter the date of the session"},
    )
    ward = forms.ModelChoiceField(
        label="Ward",
        queryset=Ward.objects.none(),
        error_messages={"required": "Select the ward of the session", "invalid_choice": "Select a ward from the list"},
    )
    place = forms.ModelChoiceField(
        label="Place of concern",
        queryset=PlaceOfConcern.objects.none(),
        required=False,
        empty_label="Not at a place of concern",
        help_text="If the session was held at a place the team holds",
        error_messages={"invalid_choice": "Select a place from the list"},
    )
    participants = forms.IntegerField(
        label="Young people engaged",
        min_value=0,
        max_value=10_000,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter how many young people were engaged",
            "invalid": "Enter young people engaged as a whole number",
            "min_value": "Young people engaged must be 0 or more",
            "max_value": "Young people engaged must be 10,000 or fewer",
        },
    )
    concerns_passed_on = text("Concerns passed on", 2000, area=True)
    person = forms.ModelChoiceField(
        label="Young person the concerns are about",
        queryset=Person.objects.none(),
        required=False,
        empty_label="No one named",
        help_text="A child with a missing record: linked to the place (and theme) as information from this session",
        error_messages={"invalid_choice": "Select a young person from the list"},
    )
    theme = forms.ChoiceField(label="Theme", choices=[("", "No theme"), *Theme.choices], required=False)
    visibility = _visibility()

    def __init__(self, *args: Any, partnership_id: int | None, people: Any, places: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
        fields["ward"].queryset = Ward.objects.filter(partnership_id=partnership_id, active=True).order_by("name")  # type: ignore[misc]
        fields["place"].queryset = places
        fields["person"].queryset = people
        fields["person"].label_from_instance = lambda person: person.display_name
        fields["visibility"].label = "Who may see the link to the young person"
        fields["concerns_passed_on"].help_text = (
            "What you passed on, and to whom (police, children's social care, the CEAM meeting). "
            "Name a young person below rather than here."
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("person") and not (data.get("place") or data.get("theme")):
            self.add_error("person", "Choose the place of concern or a theme to link the young person to")
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in self.fields}
