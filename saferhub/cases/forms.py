"""Forms for the case pages. Choices are always limited to what the user's partnership and access allow."""

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import CASEWORK_ROLES, Agency, Team, User
from saferhub.cases.models import (
    REFERENCE_PATTERN,
    Case,
    CaseQuerySet,
    CaseShare,
    CaseStatus,
    CaseType,
    LawfulBasis,
    ParticipantRole,
    RiskLevel,
    matching_people,
)
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import choice_field, model_choice_field
from saferhub.people.models import Gender, Person

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]


def _date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return SensibleDateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=help_text,
    )


def _codes(partnership: Any, code_list: str) -> list[tuple[str, str]]:
    return list(
        ReferenceCode.objects.of(partnership, code_list)
        .active()
        .order_by("sort_order", "label")
        .values_list("code", "label")
    )


def _casework_users(partnership_id: int) -> models.QuerySet[User]:
    return User.objects.filter(
        partnership_id=partnership_id,
        is_active=True,
        role_assignments__partnership_id=partnership_id,
        role_assignments__role__in=CASEWORK_ROLES,
    ).distinct()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name or obj.email


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the case version the user saw, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# List -----------------------------------------------------------------------


class CaseFilterForm(GovukFormMixin, forms.Form):
    TEAM_CHOICES = [("", "Any"), ("mine", "Owned by my team"), ("shared", "Shared with me by other teams")]

    q = forms.CharField(
        label="Search", required=False, max_length=200, help_text="Case reference, title or a participant's name"
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any"), *CaseStatus.choices])
    case_type = forms.ModelChoiceField(
        label="Case type", required=False, queryset=CaseType.objects.none(), empty_label="Any"
    )
    risk_level = forms.ChoiceField(label="Risk level", required=False, choices=[("", "Any"), *RiskLevel.choices])
    team = forms.ChoiceField(label="Owning team", required=False, choices=TEAM_CHOICES)
    assigned_to_me = forms.BooleanField(label="Only cases assigned to me", required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        model_choice_field(self, "case_type").queryset = CaseType.objects.filter(partnership_id=user.partnership_id)

    def filter(self, qs: CaseQuerySet) -> CaseQuerySet:
        data = self.cleaned_data
        if data.get("q"):
            qs = qs.search(data["q"], partnership_id=self.user.partnership_id)
        return self._filter(qs)

    def filter_parts(self, qs: CaseQuerySet) -> list[CaseQuerySet]:
        """The filters as one or more querysets (a search by title or name is two): for keyset lists."""
        data = self.cleaned_data
        text = (data.get("q") or "").strip()
        if not text:
            return [self._filter(qs)]
        # The people are matched once for every part of visibility this is applied to.
        people = getattr(self, "_people", None)
        if people is None and not REFERENCE_PATTERN.match(text):
            people = self._people = matching_people(text, self.user.partnership_id)
        parts = qs.search_parts(text, partnership_id=self.user.partnership_id, people=people)
        return [self._filter(part) for part in parts]

    def _filter(self, qs: CaseQuerySet) -> CaseQuerySet:
        data = self.cleaned_data
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if data.get("case_type"):
            qs = qs.filter(case_type=data["case_type"])
        if data.get("risk_level"):
            qs = qs.filter(risk_level=data["risk_level"])
        if data.get("team") == "mine":
            qs = qs.filter(owning_team_id=self.user.team_id)
        elif data.get("team") == "shared":
            qs = qs.exclude(owning_team_id=self.user.team_id)
        if data.get("assigned_to_me"):
            qs = qs.filter(assigned_to=self.user)
        return qs


# Create and edit ----------------------------------------------------------------


class CaseDetailsForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title for the case"})
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    risk_level = forms.ChoiceField(label="Risk level", choices=RiskLevel.choices, initial=RiskLevel.NOT_ASSESSED)
    assigned_to = UserChoiceField(
        label="Assigned to", required=False, queryset=User.objects.none(), empty_label="Nobody yet"
    )

    def __init__(self, *args: Any, team_id: int, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "assigned_to").queryset = _casework_users(partnership_id).filter(team_id=team_id)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class CaseCreateForm(CaseDetailsForm):
    case_type = forms.ModelChoiceField(
        label="Case type",
        queryset=CaseType.objects.none(),
        empty_label="Choose a case type",
        error_messages={"required": "Choose the case type"},
    )
    opened_on = _date_field("Date opened")

    field_order = ["case_type", "title", "summary", "risk_level", "assigned_to", "opened_on"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, team_id=user.team_id, partnership_id=user.partnership_id, **kwargs)
        model_choice_field(self, "case_type").queryset = CaseType.objects.filter(
            partnership_id=user.partnership_id, active=True
        )
        self.fields["opened_on"].initial = timezone.localdate()

    def clean_opened_on(self) -> datetime.date:
        opened_on = self.cleaned_data["opened_on"]
        if opened_on > timezone.localdate():
            raise forms.ValidationError("Date opened must be today or in the past")
        return opened_on


class CaseEditForm(VersionedForm, CaseDetailsForm):
    restricted = forms.BooleanField(
        label="Restrict this case to named users",
        required=False,
        help_text="Only the people named on a restricted case can see it. You will be named on it.",
    )

    field_order = ["title", "summary", "risk_level", "assigned_to", "restricted", "version"]

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, team_id=case.owning_team_id, partnership_id=case.partnership_id, **kwargs)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


# Status ---------------------------------------------------------------------


class StatusChangeForm(VersionedForm):
    reason = forms.CharField(label="Reason", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class CloseCaseForm(VersionedForm):
    closure_reason = forms.ChoiceField(
        label="Why is the case closing?", error_messages={"required": "Choose why the case is closing"}
    )
    reason = forms.CharField(
        label="More detail", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = _codes(partnership, ReferenceList.CASE_CLOSURE_REASON)
        if choices:
            self.fields["closure_reason"].widget = forms.RadioSelect()
            choice_field(self, "closure_reason").choices = choices
        else:
            # No list set up by the administrator yet: a short free-text reason.
            self.fields["closure_reason"] = forms.CharField(
                label="Why is the case closing?",
                max_length=50,
                error_messages={"required": "Enter why the case is closing"},
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("closure_reason") == "other" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Give more detail of why the case is closing, as you chose Other")
        return cleaned


class ApproveClosureForm(VersionedForm):
    """Nothing to fill in: the version the manager saw, so a request changed meanwhile is not approved."""


class ReturnClosureForm(VersionedForm):
    reason = forms.CharField(
        label="Why are you returning the request?",
        help_text="The caseworker who asked is told, and sees this on the case",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter why you are returning the request to close the case",
            "max_length": "Enter why you are returning the request in 500 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter why you are returning the request to close the case")
        return reason


# Notes and actions ----------------------------------------------------------------


class NoteForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Note", widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "Enter the note"}
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Enter the note")
        return text


def action_owner_choices(case: Case) -> models.QuerySet[User]:
    """Users of the owning team and of the agencies and teams the case is currently shared with."""
    shares = CaseShare.objects.current().filter(case=case)
    return (
        _casework_users(case.partnership_id)
        .filter(
            models.Q(team_id=case.owning_team_id)
            | models.Q(agency_id__in=shares.filter(agency__isnull=False).values("agency_id"))
            | models.Q(team_id__in=shares.filter(team__isnull=False).values("team_id"))
        )
        .order_by("full_name")
    )


class ActionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="What needs to be done", max_length=200, error_messages={"required": "Enter what needs to be done"}
    )
    owner = UserChoiceField(
        label="Owner",
        queryset=User.objects.none(),
        empty_label="Choose who will do it",
        error_messages={"required": "Choose who will do it", "invalid_choice": "Choose someone who works on this case"},
    )
    due_on = _date_field("Due date")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = action_owner_choices(case)
        self.fields["due_on"].error_messages["required"] = "Enter the due date"

    def clean_due_on(self) -> datetime.date:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError("Due date must be today or in the future")
        return due_on


# Participants ---------------------------------------------------------------------


class PersonSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name of the person", max_length=200, required=False)


# No role is chosen for the user: a wrong default (it was "Direct victim") skews the returns.
ROLE_CHOICES = [("", "Choose a role"), *ParticipantRole.choices]
ROLE_REQUIRED = "Choose the person’s role in the case"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.display_name


class ExistingParticipantForm(GovukFormMixin, forms.Form):
    person = PersonChoiceField(
        label="Person",
        queryset=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a person", "invalid_choice": "Choose a person from the list"},
    )
    role = forms.ChoiceField(label="Role in the case", choices=ROLE_CHOICES, error_messages={"required": ROLE_REQUIRED})

    def __init__(self, *args: Any, people: models.QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "person").queryset = people


class NewPersonForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = _date_field("Date of birth", required=False)
    age = forms.IntegerField(
        label="Age in years", required=False, min_value=0, max_value=120, help_text="If the date of birth is not known"
    )
    gender = forms.ChoiceField(label="Gender", required=False, choices=[("", "Not recorded"), *Gender.choices])
    ethnicity = forms.ChoiceField(label="Ethnicity", required=False)
    role = forms.ChoiceField(label="Role in the case", choices=ROLE_CHOICES, error_messages={"required": ROLE_REQUIRED})
    # Set once the user has seen the likely duplicates and said this is someone else.
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "ethnicity").choices = [("", "Not recorded"), *_codes(partnership, ReferenceList.ETHNICITY)]

    def clean_date_of_birth(self) -> datetime.date | None:
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("Date of birth must be in the past")
        return dob

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_of_birth") and data.get("age") is not None:
            self.add_error("age", "Give either a date of birth or an age, not both")
        for key in ("first_name", "last_name"):
            if key in data:
                data[key] = data[key].strip()
        return data

    def person_fields(self) -> dict[str, Any]:
        return {
            k: v for k, v in self.cleaned_data.items() if k not in ("role", "confirmed_new") and v not in (None, "")
        }


# Sharing ------------------------------------------------------------------------


class ShareForm(GovukFormMixin, forms.Form):
    recipient = forms.ChoiceField(
        label="Share with", error_messages={"required": "Choose an agency or team to share with"}
    )
    purpose = forms.CharField(
        label="Purpose of sharing",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the purpose of sharing"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the lawful basis for sharing"},
    )
    expires_on = _date_field("Share until", required=False, help_text="Leave blank to share until it is revoked.")

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        agencies = Agency.objects.live().filter(partnership_id=case.partnership_id)
        teams = (
            Team.objects.filter(archived_at__isnull=True)
            .filter(partnership_id=case.partnership_id)
            .exclude(pk=case.owning_team_id)
            .select_related("agency")
        )
        choice_field(self, "recipient").choices = [
            ("", "Choose an agency or team"),
            ("Agencies (every team in the agency)", [(f"agency:{a.pk}", a.name) for a in agencies]),
            ("Teams", [(f"team:{t.pk}", str(t)) for t in teams]),
        ]

    def clean_purpose(self) -> str:
        purpose = self.cleaned_data["purpose"].strip()
        if not purpose:
            raise forms.ValidationError("Enter the purpose of sharing")
        return purpose

    def clean_expires_on(self) -> datetime.date | None:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on and expires_on <= timezone.localdate():
            raise forms.ValidationError("The share must end on a date in the future")
        return expires_on

    def clean_recipient(self) -> dict[str, Any]:
        kind, _, pk = self.cleaned_data["recipient"].partition(":")
        recipient: dict[str, Any] = {}
        if kind == "agency":
            recipient["agency"] = Agency.objects.get(pk=pk, partnership_id=self.case.partnership_id)
        else:
            recipient["team"] = Team.objects.select_related("agency").get(
                pk=pk, partnership_id=self.case.partnership_id
            )
        if CaseShare.objects.current().filter(case=self.case, **recipient).exists():
            raise forms.ValidationError("The case is already shared with them: revoke that share first to change it")
        return recipient


# Links and restriction -----------------------------------------------------------


class LinkCaseForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Reference of the case to link", max_length=30, error_messages={"required": "Enter the case reference"}
    )
    reason = forms.CharField(label="Why are they linked?", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.case = case

    def clean_reference(self) -> Case:
        reference = self.cleaned_data["reference"].strip().upper()
        # Same message for a case that does not exist and one the user cannot see.
        other = policy.visible_cases(self.user).filter(reference=reference).first()
        if other is None:
            raise forms.ValidationError("There is no case with that reference that you can open")
        if other.pk == self.case.pk:
            raise forms.ValidationError("Enter the reference of a different case")
        return other


class NameUserForm(GovukFormMixin, forms.Form):
    user = UserChoiceField(
        label="Person to name on the case",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Choose a person to name", "invalid_choice": "Choose a person from the list"},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "user").queryset = (
            _casework_users(case.partnership_id)
            .exclude(pk__in=case.restricted_access.values("user_id"))
            .order_by("full_name")
        )


# Emergency access ---------------------------------------------------------------


class BreakGlassStartForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label="Case reference", max_length=30, error_messages={"required": "Enter the case reference"}
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class BreakGlassForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why do you need emergency access?",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Your reason is recorded and reviewed by an auditor.",
        error_messages={
            "required": "Enter why you need emergency access",
            "min_length": "Give the reason for emergency access in at least 10 characters",
        },
    )
