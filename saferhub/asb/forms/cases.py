"""Forms for ASB cases: opening one, its details, victims' contact and reports of incidents."""

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import User
from saferhub.asb.forms.fields import TEXTAREA, CodeChoiceField, PersonChoiceField, _codes, _not_future
from saferhub.asb.models import (
    Incident,
    ReportedTo,
)
from saferhub.cases.forms import UserChoiceField, VersionedForm, _casework_users, _date_field
from saferhub.cases.models import Case
from saferhub.core.forms import GovukFormMixin
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import model_choice_field
from saferhub.people.models import Person
from saferhub.places.models import Ward

# Cases --------------------------------------------------------------------------------


class AsbCaseForm(GovukFormMixin, forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="A short description of the problem, e.g. noise from a flat on Larch Row",
    )
    category = CodeChoiceField(label="Category", queryset=ReferenceCode.objects.none(), empty_label="Choose a category")
    ward = forms.ModelChoiceField(label="Ward", required=False, queryset=Ward.objects.none(), empty_label="Not known")
    location = forms.CharField(label="Where it happens", required=False, max_length=500)
    opened_on = _date_field("Date opened", required=False, help_text="Leave blank for today")
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    assigned_to = UserChoiceField(
        label="Officer (single point of contact)",
        required=False,
        queryset=User.objects.none(),
        empty_label="Nobody yet",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "category").queryset = _codes(user.partnership_id, ReferenceList.ASB_CASE_CATEGORY)
        model_choice_field(self, "ward").queryset = Ward.objects.filter(partnership_id=user.partnership_id, active=True)
        model_choice_field(self, "assigned_to").queryset = _casework_users(user.partnership_id).filter(
            team_id=user.team_id
        )

    def clean_opened_on(self) -> datetime.date:
        return _not_future(self.cleaned_data.get("opened_on"), "The date opened") or timezone.localdate()


class AsbDetailsForm(VersionedForm):
    category = CodeChoiceField(label="Category", queryset=ReferenceCode.objects.none(), empty_label="Choose a category")
    ward = forms.ModelChoiceField(label="Ward", required=False, queryset=Ward.objects.none(), empty_label="Not known")
    location = forms.CharField(label="Where it happens", required=False, max_length=500)
    single_point_of_contact = UserChoiceField(
        label="Contact officer (single point of contact)",
        required=False,
        queryset=User.objects.none(),
        empty_label="Nobody yet",
        help_text="Victims deal with this officer unless you give a victim their own on the case page",
    )

    def __init__(self, *args: Any, asb: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = asb.partnership_id
        categories = ReferenceCode.objects.of(partnership, ReferenceList.ASB_CASE_CATEGORY)
        # A disabled category or ward already on the case stays choosable so the form can be saved unchanged.
        model_choice_field(self, "category").queryset = categories.filter(
            models.Q(active=True) | models.Q(pk=asb.category_id)
        ).order_by("sort_order", "label")
        model_choice_field(self, "ward").queryset = Ward.objects.filter(partnership_id=partnership).filter(
            models.Q(active=True) | models.Q(pk=asb.ward_id or 0)
        )
        model_choice_field(self, "single_point_of_contact").queryset = User.objects.filter(
            models.Q(pk__in=_casework_users(partnership).filter(team_id=asb.case.owning_team_id).values("pk"))
            | models.Q(pk=asb.single_point_of_contact_id or 0)
        ).order_by("full_name")

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class VictimContactForm(GovukFormMixin, forms.Form):
    officer = UserChoiceField(
        label="Single point of contact for this victim",
        required=False,
        queryset=User.objects.none(),
    )

    def __init__(self, *args: Any, case: Case, default: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        name = (default.full_name or default.email) if default else "nobody yet"
        model_choice_field(self, "officer").empty_label = f"The case's contact officer ({name})"
        model_choice_field(self, "officer").queryset = _casework_users(case.partnership_id).order_by("full_name")

    def clean_officer(self) -> Any:
        officer = self.cleaned_data.get("officer")
        if officer is not None and not policy.can_view_case(officer, self.case):
            raise forms.ValidationError(
                f"{officer.full_name or officer.email} cannot see this case: share it with their team first"
            )
        return officer


def case_people(case: Case, roles: list[str] | None = None) -> Any:
    people = Person.objects.filter(participations__case=case)
    if roles:
        people = people.filter(participations__role__in=roles)
    return people.distinct().order_by("last_name", "first_name")


class ReportForm(GovukFormMixin, forms.Form):
    incident = forms.ModelChoiceField(
        label="Incident",
        required=False,
        queryset=Incident.objects.none(),
        empty_label="A new incident",
        help_text="Choose an incident already recorded when this is the same incident reported to another body",
    )
    behaviour_on = _date_field("Date of the behaviour", required=False, help_text="For a new incident")
    summary = forms.CharField(label="What happened", required=False, max_length=300, help_text="For a new incident")
    hate_incident = forms.BooleanField(label="Perceived as a hate incident", required=False)
    reporter = PersonChoiceField(
        label="Who reported it", required=False, queryset=Person.objects.none(), empty_label="Anonymous or not recorded"
    )
    reported_to = forms.ChoiceField(label="Reported to", choices=ReportedTo.choices, widget=forms.RadioSelect)
    reported_on = _date_field("Date reported")
    description = forms.CharField(label="Details of the report", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    body_reference = forms.CharField(label="The other body's reference", required=False, max_length=100)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "incident").queryset = Incident.objects.filter(case=case)
        model_choice_field(self, "reporter").queryset = case_people(case)

    def clean_reported_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("reported_on"), "The date reported")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("incident"):
            if not data.get("behaviour_on"):
                self.add_error("behaviour_on", "Enter the date of the behaviour for a new incident")
            if not data.get("summary"):
                self.add_error("summary", "Say what happened for a new incident")
        behaviour_on = data["incident"].behaviour_on if data.get("incident") else data.get("behaviour_on")
        if behaviour_on and data.get("reported_on") and data["reported_on"] < behaviour_on:
            self.add_error("reported_on", "The report cannot be made before the behaviour")
        return data
