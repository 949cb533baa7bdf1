"""Forms for making and deciding referrals."""

from typing import Any

from django import forms

from saferhub import policy
from saferhub.accounts.models import Agency, Team, User
from saferhub.cases.models import Case, CaseType, Referral, ReferralSource
from saferhub.core.forms import GovukFormMixin
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import model_choice_field
from saferhub.people.forms import PersonDetailsForm
from saferhub.people.models import Person, YesNoUnknown


def referral_teams(partnership_id: int) -> Any:
    """Live teams of the partnership that take referrals."""
    return (
        Team.objects.filter(partnership_id=partnership_id, accepts_referrals=True, archived_at__isnull=True)
        .select_related("agency")
        .order_by("agency__name", "name")
    )


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.name} ({obj.agency.name})"


class ReferralForm(PersonDetailsForm):
    """The referral, and optionally a new person's details (first name … gender, from PersonDetailsForm)."""

    field_order = [
        "to_team",
        "case_type",
        "source",
        "from_agency",
        "referrer_name",
        "referrer_contact",
        "reason",
        "consent_given",
        "person",
    ]

    to_team = TeamChoiceField(label="Team to refer to", queryset=Team.objects.none(), empty_label="Choose a team")
    case_type = forms.ModelChoiceField(
        label="Type of case", queryset=CaseType.objects.none(), empty_label="Choose a type"
    )
    source = forms.ChoiceField(
        label="Who is making the referral?",
        choices=ReferralSource.choices,
        initial=ReferralSource.AGENCY,
        widget=forms.RadioSelect,
    )
    from_agency = forms.ModelChoiceField(
        label="Referring agency",
        queryset=Agency.objects.none(),
        required=False,
        help_text="Your own agency, unless you are recording a referral another agency made.",
    )
    referrer_name = forms.CharField(
        label="Referrer’s name",
        max_length=200,
        required=False,
        help_text="For a self-referral taken by phone, or a named referrer at another agency.",
    )
    referrer_contact = forms.CharField(
        label="How to contact the referrer",
        max_length=200,
        required=False,
        help_text="A phone number or e-mail address.",
    )
    reason = forms.CharField(
        label="Reason for the referral",
        help_text="What has happened and what support is asked for.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    consent_given = forms.ChoiceField(
        label="Has the person agreed to the referral?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    person = forms.ModelChoiceField(
        label="Person referred",
        queryset=Person.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": "The person chosen is not one you can see. Find them again, or enter their details."
        },
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        partnership_id = user.partnership_id
        model_choice_field(self, "to_team").queryset = referral_teams(partnership_id)
        model_choice_field(self, "case_type").queryset = CaseType.objects.filter(
            partnership_id=partnership_id, active=True
        )
        model_choice_field(self, "from_agency").queryset = Agency.objects.live().filter(partnership_id=partnership_id)
        self.fields["from_agency"].initial = user.agency_id
        # Only people the user may already see can be named; anyone else is "not a valid choice".
        self.people = policy.visible_people(user)
        model_choice_field(self, "person").queryset = self.people

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        source = cleaned.get("source")
        if source == ReferralSource.AGENCY and not cleaned.get("from_agency"):
            self.add_error("from_agency", "Choose the agency making the referral.")
        if source == ReferralSource.ANONYMOUS and (cleaned.get("referrer_name") or "").strip():
            self.add_error(
                "referrer_name", "An anonymous referral has no referrer’s name. Remove it, or choose self-referral."
            )
        if cleaned.get("person") is not None and self.has_details():
            raise forms.ValidationError("Choose an existing person or enter a new person’s details, not both.")
        return cleaned

    def person_details(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in PersonDetailsForm.base_fields}

    def has_details(self) -> bool:
        return any(v not in (None, "") for v in self.person_details().values())

    def referral_fields(self) -> dict[str, Any]:
        """Keyword arguments for `actions.create_referral` (without the person)."""
        data = self.cleaned_data
        agency_source = data["source"] == ReferralSource.AGENCY
        from_agency = data["from_agency"] if agency_source else None
        # The user's team stays recorded as the sender (so it sees the referral under "Sent by my team")
        # unless the user is recording another agency's referral.
        own_agency = from_agency is None or from_agency.pk == self.user.agency_id
        return {
            "partnership_id": self.user.partnership_id,
            "to_team": data["to_team"],
            "case_type": data["case_type"],
            "source": data["source"],
            "from_agency": from_agency,
            "from_team_id": self.user.team_id if own_agency else None,
            "referrer_name": data["referrer_name"].strip(),
            "referrer_contact": data["referrer_contact"].strip(),
            "reason": data["reason"].strip(),
            "consent_given": data["consent_given"],
        }


class AcceptForm(GovukFormMixin, forms.Form):
    NEW, EXISTING = "new", "existing"

    into = forms.ChoiceField(
        label="Accept the referral into",
        choices=[(NEW, "A new case"), (EXISTING, "An existing case of my team")],
        initial=NEW,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label="Title of the new case", max_length=200, required=False)
    assigned_to = forms.ModelChoiceField(
        label="Assign the new case to", queryset=User.objects.none(), required=False, empty_label="Not assigned yet"
    )
    existing_case = forms.CharField(
        label="Reference of the existing case",
        max_length=30,
        required=False,
        help_text="For example, VCH-2024-00031",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, user: Any, referral: Referral, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"title": _suggested_title(referral)})
        super().__init__(*args, **kwargs)
        self.user = user
        model_choice_field(self, "assigned_to").queryset = User.objects.filter(
            team_id=referral.to_team_id, partnership_id=referral.partnership_id, is_active=True
        ).order_by("full_name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("into") == self.EXISTING:
            reference = (cleaned.get("existing_case") or "").strip()
            if not reference:
                self.add_error("existing_case", "Enter the reference of the case to add the referral to.")
                return cleaned
            case = _team_case(self.user, reference)
            if case is None:
                self.add_error("existing_case", f"Your team has no case with the reference {reference}.")
            cleaned["case"] = case
        elif cleaned.get("into") == self.NEW:
            if not (cleaned.get("title") or "").strip():
                self.add_error("title", "Enter a title for the new case.")
            cleaned["case"] = None
        return cleaned


def _team_case(user: Any, reference: str) -> Case | None:
    return (
        policy.visible_cases(user)
        .filter(owning_team_id=user.team_id, reference__iexact=reference)
        .select_related("partnership")
        .first()
    )


def _suggested_title(referral: Referral) -> str:
    who = referral.person.display_name if referral.person_id and referral.person else "Anonymous"
    return f"{referral.case_type.name}: {who}"[:200]


class DeclineForm(GovukFormMixin, forms.Form):
    explanation = forms.CharField(
        label="Explanation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything the referrer should know, for example where else the person could get support.",
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(
            ReferenceCode.objects.of(partnership_id, ReferenceList.REFERRAL_DECLINE_REASON)
            .filter(active=True)
            .values_list("code", "label")
        )
        self.labels = dict(codes)
        if codes:
            self.fields["reason"] = forms.ChoiceField(
                label="Reason for declining",
                choices=codes,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose the reason for declining the referral."},
            )
        else:
            self.fields["reason"] = forms.CharField(
                label="Reason for declining",
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"required": "Enter the reason for declining the referral."},
            )
            del self.fields["explanation"]
        self.order_fields(["reason", "explanation"])

    def decision_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        label = self.labels.get(reason, reason).strip()
        explanation = (self.cleaned_data.get("explanation") or "").strip()
        return f"{label}: {explanation}" if explanation else label


class RedirectForm(GovukFormMixin, forms.Form):
    to_team = TeamChoiceField(
        label="Team to send the referral to", queryset=Team.objects.none(), empty_label="Choose a team"
    )
    reason = forms.CharField(
        label="Reason for redirecting",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the reason for redirecting the referral."},
    )

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_team").queryset = referral_teams(referral.partnership_id).exclude(
            pk=referral.to_team_id
        )
        self.fields["to_team"].error_messages["required"] = "Choose the team to send the referral to."
