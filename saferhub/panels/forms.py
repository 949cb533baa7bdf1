"""Forms for the panel pages. Choices are limited to the user's partnership."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from saferhub.accounts.models import Agency, Team, User
from saferhub.assessments.models import AnswerKind, AssessmentTemplate
from saferhub.assessments.scoring import clean_answers, score
from saferhub.cases.forms import DATE_FORMATS, _codes, _date_field
from saferhub.cases.models import LawfulBasis
from saferhub.core.forms import GovukFormMixin, IdMultipleChoiceField, SensibleDateField
from saferhub.core.models import ReferenceList
from saferhub.core.types import choice_field, model_choice_field
from saferhub.core.versioning import VERSION_ERRORS, VersionedFormMixin
from saferhub.panels.models import (
    CHILDREN_MAX,
    INCIDENTS_MAX,
    REVIEW_INTERVAL_MAX,
    SUMMARY_DAYS_MAX,
    Attendance,
    FollowUpRoute,
    HearingOutcome,
    IncidentType,
    InvolvementRole,
    PanelType,
    PerpetratorGender,
)
from saferhub.people.models import Gender, Person, YesNoUnknown

DASH_HIGH_RISK = 14
DASH_ITEMS = 24

EXPLOITATION_FLAGS = (
    "criminal_exploitation",
    "cuckooing",
    "weapons",
    "group_offending",
    "causing_or_affected_by_harm",
    "on_periphery",
    "care_experienced",
    "transition_from_youth_services",
)
DA_FIELDS = (
    "basis",
    "professional_judgement_reason",
    "dash_score",
    "incidents_in_last_12_months",
    "children_in_household",
    "relationship",
    "perpetrator_gender",
    "mental_health_need",
)
SIRM_FIELDS = ("incident_type", "incident_date", "incident_in_area", "follow_up_route")


CHECK_PREFIX = "check_"


def checklist_template(panel_type: PanelType) -> AssessmentTemplate | None:
    """The current version of the panel type's assessment template, with its questions, if installed."""
    if not panel_type.assessment_template_code:
        return None
    return (
        AssessmentTemplate.objects.current()
        .filter(partnership_id=panel_type.partnership_id, code=panel_type.assessment_template_code)
        .prefetch_related("questions__options", "bands")
        .order_by("-version")
        .first()
    )


def _agencies(partnership: Any) -> Any:
    return Agency.objects.live().filter(partnership=partnership).order_by("name")


class PersonSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name of the person referred", max_length=200, help_text="First name, last name or both")


class NewPersonForm(GovukFormMixin, forms.Form):
    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = _date_field("Date of birth", required=False, help_text="For example, 1990-03-27")
    gender = forms.ChoiceField(label="Gender", required=False, choices=[("", "Not recorded"), *Gender.choices])


class PanelReferralForm(GovukFormMixin, forms.Form):
    referral_date = _date_field("Date of referral")
    referring_agency = forms.ModelChoiceField(label="Referring agency", queryset=Agency.objects.none())
    referrer_name = forms.CharField(label="Name of the referrer", max_length=200, required=False)
    reason = forms.CharField(label="Reason for the referral", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    # DA MARAC
    basis = forms.ChoiceField(label="Basis of the referral", required=False)
    professional_judgement_reason = forms.CharField(
        label="Reason for professional judgement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when the basis is professional judgement",
    )
    dash_score = forms.IntegerField(
        label="Risk checklist score",
        required=False,
        min_value=0,
        max_value=DASH_ITEMS,
        help_text=f"Number of 'yes' answers, 0 to {DASH_ITEMS}; {DASH_HIGH_RISK} or more is visible high risk",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    incidents_in_last_12_months = forms.IntegerField(
        label="Incidents in the last 12 months",
        required=False,
        min_value=0,
        max_value=INCIDENTS_MAX,
        help_text="3 or more is potential escalation",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    children_in_household = forms.IntegerField(
        label="Children in the household",
        required=False,
        min_value=0,
        max_value=CHILDREN_MAX,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    relationship = forms.ChoiceField(label="Relationship of the perpetrator to the victim", required=False)
    perpetrator_gender = forms.ChoiceField(
        label="Perpetrator's gender", required=False, choices=[("", "Not recorded"), *PerpetratorGender.choices]
    )
    mental_health_need = forms.ChoiceField(
        label="Does the victim have a mental health need?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    # Adults at Risk and TVE
    criminal_exploitation = forms.BooleanField(label="Criminal exploitation", required=False)
    cuckooing = forms.BooleanField(label="Victim of cuckooing (home taken over)", required=False)
    weapons = forms.BooleanField(label="Involved in weapons-based offending", required=False)
    group_offending = forms.BooleanField(label="Involved in group or gang offending", required=False)
    causing_or_affected_by_harm = forms.BooleanField(label="Causing or affected by harm", required=False)
    on_periphery = forms.BooleanField(label="On the periphery of the above, in the referrer's view", required=False)
    care_experienced = forms.BooleanField(label="Care experienced", required=False)
    transition_from_youth_services = forms.BooleanField(label="Moving on from youth services", required=False)
    # SIRM
    incident_type = forms.ChoiceField(
        label="Type of incident", required=False, choices=[("", "Choose"), *IncidentType.choices]
    )
    incident_date = _date_field("Date of the incident", required=False)
    incident_in_area = forms.ChoiceField(
        label="Did it happen in the partnership's area?",
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    follow_up_route = forms.ChoiceField(
        label="Follow-up route", required=False, choices=[("", "Choose"), *FollowUpRoute.choices]
    )
    role_in_incident = forms.ChoiceField(
        label="The person's part in the incident",
        required=False,
        choices=[("", "Choose"), *InvolvementRole.choices],
    )

    PERSON_FIELDS = ("first_name", "last_name", "date_of_birth", "gender")

    def __init__(
        self,
        *args: Any,
        panel_type: PanelType,
        new_person: bool = False,
        checklist: bool = True,
        omit: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.panel_type = panel_type
        self.new_person = new_person
        partnership = panel_type.partnership
        model_choice_field(self, "referring_agency").queryset = _agencies(partnership)
        choice_field(self, "basis").choices = [("", "Choose"), *_codes(partnership, ReferenceList.MARAC_REFERRAL_BASIS)]
        choice_field(self, "relationship").choices = [
            ("", "Not recorded"),
            *_codes(partnership, ReferenceList.RELATIONSHIP),
        ]
        self.fields["referral_date"].initial = timezone.localdate()
        keep = {"referral_date", "referring_agency", "referrer_name", "reason"}
        if panel_type.uses_dash:
            keep |= set(DA_FIELDS)
        elif panel_type.uses_exploitation_criteria:
            keep |= set(EXPLOITATION_FLAGS) | {"mental_health_need"}
        elif panel_type.is_sirm:
            keep |= set(SIRM_FIELDS) | {"role_in_incident"}
        else:
            keep |= {"mental_health_need"}
        keep -= set(omit)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.template = checklist_template(panel_type) if panel_type.uses_dash and checklist else None
        self.checklist_answers: dict[str, str] = {}
        if self.template is not None:
            self._add_checklist(self.template)
        if new_person:
            # The person's details come first on the page.
            person = NewPersonForm().fields
            self.fields = {**{f"person_{n}": person[n] for n in self.PERSON_FIELDS}, **self.fields}

    def _add_checklist(self, template: AssessmentTemplate) -> None:
        self.fields["dash_score"].help_text += "; or answer the checklist below and the score is counted for you"
        for question in template.questions.all():
            choices = [("yes", "Yes"), ("no", "No")]
            if question.answer_kind == AnswerKind.YES_NO_UNKNOWN:
                choices.append(("unknown", "Not known"))
            self.fields[CHECK_PREFIX + question.code] = forms.ChoiceField(
                label=f"{question.number}. {question.text}",
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
                help_text=question.help_text,
            )

    def checklist_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name.startswith(CHECK_PREFIX)]

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if not name.startswith(CHECK_PREFIX)]

    def _clean_checklist(self, data: dict[str, Any]) -> None:
        """Answered at all: every question must be answered, and the score comes from the answers."""
        answers = {n.removeprefix(CHECK_PREFIX): v for n, v in data.items() if n.startswith(CHECK_PREFIX) and v}
        if not answers or self.template is None:
            return
        try:
            cleaned = clean_answers(self.template, answers)
        except ValidationError as exc:
            for code, errors in exc.message_dict.items():
                self.add_error(CHECK_PREFIX + code if CHECK_PREFIX + code in self.fields else None, errors)
            return
        self.checklist_answers = cleaned
        data["dash_score"] = score(self.template, cleaned)[0]

    def clean_referral_date(self) -> datetime.date:
        day = self.cleaned_data["referral_date"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of referral cannot be in the future")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._clean_checklist(data)
        basis = data.get("basis")
        if basis == "professional_judgement" and not (data.get("professional_judgement_reason") or "").strip():
            self.add_error("professional_judgement_reason", "Enter the reason for referring on professional judgement")
        score = data.get("dash_score")
        if basis == "visible_high_risk" and score is not None and score < DASH_HIGH_RISK:
            self.add_error("dash_score", f"A score of {score} is below {DASH_HIGH_RISK}: it is not visible high risk")
        incidents = data.get("incidents_in_last_12_months")
        if basis == "potential_escalation" and incidents is not None and incidents < 3:
            self.add_error("incidents_in_last_12_months", "Potential escalation needs 3 or more incidents in 12 months")
        if self.panel_type.is_sirm:
            if not data.get("incident_type"):
                self.add_error("incident_type", "Choose the type of incident")
            if not data.get("follow_up_route"):
                self.add_error("follow_up_route", "Choose the follow-up route")
        return data

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[f"person_{name}"] for name in self.PERSON_FIELDS}

    def referral_fields(self) -> dict[str, Any]:
        """The cleaned values as PanelReferral fields (blank choices stored as empty strings)."""
        data = {
            k: v for k, v in self.cleaned_data.items() if not k.startswith("person_") and not k.startswith(CHECK_PREFIX)
        }
        for name in ("referral_date", "referring_agency", "role_in_incident"):
            data.pop(name, None)
        return {
            key: ("" if value is None and key in {"basis", "relationship"} else value) for key, value in data.items()
        }


class AgencyReferralForm(PanelReferralForm):
    """A member agency's online referral: dated today, from the referrer's own agency."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, omit=("referral_date", "referring_agency"), **kwargs)
        self.fields["referrer_name"].initial = user.full_name
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = "Enter why you are making the referral"


def referral_edit_form(referral: Any, data: Any = None) -> PanelReferralForm:
    """The referral form with the referral's values. The checklist answers stay as recorded;
    the people involved in an incident are changed on their own pages."""
    omit: tuple[str, ...] = ("role_in_incident",)
    if referral.assessment_id or referral.checklist_answers:
        omit += ("dash_score",)
    form = PanelReferralForm(data, panel_type=referral.panel_type, checklist=False, omit=omit)
    for name in form.fields:
        form.fields[name].initial = getattr(referral, name)
    # The referral's version as the user saw it: a save over someone else's change is refused.
    form.fields["version"] = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, initial=referral.version, error_messages=VERSION_ERRORS
    )
    return form


class KnownPersonField(forms.ModelChoiceField[Person]):
    def label_from_instance(self, obj: Person) -> str:
        born = f", born {obj.date_of_birth:%-d %B %Y}" if obj.date_of_birth else ""
        return f"{obj.display_name}{born}"


class AcceptReferralForm(GovukFormMixin, forms.Form):
    same_person_as = KnownPersonField(
        label="Is this someone the panel already knows?",
        queryset=Person.objects.none(),
        required=False,
        empty_label="No: the person as referred",
        widget=forms.RadioSelect,
        help_text="Choose the existing record if it is the same person, so earlier referrals count for repeats",
    )

    def __init__(self, *args: Any, matches: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "same_person_as").queryset = matches
        if not matches:
            del self.fields["same_person_as"]


class ReturnReferralForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the referral being returned?",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The referrer sees this",
        error_messages={"required": "Enter the reason for returning the referral"},
    )


class CancelMeetingForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the reason for cancelling the meeting"},
    )


class HoldMeetingForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why record it as held now?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the audit trail with what was still open",
        error_messages={
            "required": "Enter why the meeting is recorded as held with these still open",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )


class IncidentPersonForm(GovukFormMixin, forms.Form):
    """Someone involved in a serious incident: a person found by the search, or someone new."""

    role = forms.ChoiceField(
        label="Their part in the incident",
        choices=InvolvementRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they are a victim, a suspect or both"},
    )

    def __init__(self, *args: Any, new_person: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.new_person = new_person
        if new_person:
            person = NewPersonForm().fields
            self.fields = {**{f"person_{n}": person[n] for n in PanelReferralForm.PERSON_FIELDS}, **self.fields}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.new_person and not (data.get("person_first_name") or data.get("person_last_name")):
            self.add_error("person_last_name", "Enter the person's first name, last name or both")
        return data

    def person_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[f"person_{name}"] for name in PanelReferralForm.PERSON_FIELDS}


class PanelTypeForm(GovukFormMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = PanelType
        fields = [
            "name",
            "cadence",
            "coordinating_team",
            "member_agencies",
            "referral_criteria",
            "assessment_template_code",
            "summary_days_before",
            "summary_days_after",
            "review_interval_days",
        ]
        labels = {
            "summary_days_before": "Summaries open this many days before a meeting",
            "summary_days_after": "Summaries close this many days after a meeting",
            "review_interval_days": "Days until a case to be reviewed is due again",
            "assessment_template_code": "Assessment used with referrals",
        }
        field_classes = {"member_agencies": IdMultipleChoiceField}
        error_messages = {
            name: {
                code: f"Enter the number of days {what}, from {low} to {high}" for code in ("min_value", "max_value")
            }
            for name, what, low, high in (
                ("summary_days_before", "summaries open before a meeting", 0, SUMMARY_DAYS_MAX),
                ("summary_days_after", "summaries stay open after a meeting", 0, SUMMARY_DAYS_MAX),
                ("review_interval_days", "until a reviewed case is due again", 1, REVIEW_INTERVAL_MAX),
            )
        }
        widgets = {
            "member_agencies": forms.CheckboxSelectMultiple,
            "summary_days_before": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "summary_days_after": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "review_interval_days": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = self.instance.partnership
        model_choice_field(self, "member_agencies").queryset = _agencies(partnership)
        # Chosen by name; the code is what the panel type stores (any version may be current).
        templates = AssessmentTemplate.objects.for_partnership(partnership).latest_by_code()
        current = self.instance.assessment_template_code
        choices = [("", "None"), *((code, template.name) for code, template in sorted(templates.items()))]
        if current and current not in templates:
            choices.append((current, f"{current} (not installed)"))
        self.fields["assessment_template_code"] = forms.ChoiceField(
            label="Assessment used with referrals",
            choices=choices,
            required=False,
            help_text="The checklist a referral to this panel is scored with",
        )
        model_choice_field(self, "coordinating_team").queryset = (
            Team.objects.live().filter(partnership=partnership).select_related("agency")
        )


class MeetingForm(GovukFormMixin, forms.Form):
    date = _date_field("Date of the meeting")
    location = forms.CharField(label="Where", max_length=200, required=False, help_text="A room or 'Online'")
    chair = forms.CharField(label="Chair", max_length=200, required=False)

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError("The meeting date is more than a year ago: check the year")
        return day


class AddAgencyForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none())

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = _agencies(partnership)


class AttendanceForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    """One attendance choice and representative field per invited agency; the meeting's version guards the lot."""

    def __init__(self, *args: Any, rows: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in rows:
            self.fields[f"attendance_{row.pk}"] = forms.ChoiceField(
                label=row.agency.name, choices=Attendance.choices, initial=row.attendance, widget=forms.RadioSelect
            )
            self.fields[f"representative_{row.pk}"] = forms.CharField(
                label=f"Representative of {row.agency.name}", max_length=200, required=False, initial=row.representative
            )


def attendance_values(rows: list[Any]) -> dict[str, Any]:
    """The attendance form's fields as the rows now stand."""
    values: dict[str, Any] = {}
    for row in rows:
        values[f"attendance_{row.pk}"] = row.attendance
        values[f"representative_{row.pk}"] = row.representative
    return values


class OutcomesForm(GovukFormMixin, forms.Form):
    """The outcome of each listed case the coordinator may see, with each hearing's version as the page showed it."""

    NOT_YET = [("", "Not decided yet")]

    def __init__(self, *args: Any, hearings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hearings = hearings
        for hearing in hearings:
            self.fields[f"outcome_{hearing.pk}"] = forms.ChoiceField(
                label=hearing.panel_case.case.reference,
                choices=self.NOT_YET + HearingOutcome.choices,
                initial=hearing.outcome,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"version_{hearing.pk}"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=hearing.version, min_value=1, max_value=2**31 - 1
            )

    def decided(self) -> list[tuple[Any, str, int]]:
        """(hearing, outcome, version seen) for each case given an outcome that differs from its current one."""
        rows = []
        for hearing in self.hearings:
            outcome = self.cleaned_data.get(f"outcome_{hearing.pk}") or ""
            if outcome and outcome != hearing.outcome:
                rows.append((hearing, outcome, self.cleaned_data[f"version_{hearing.pk}"]))
        return rows


class InformationForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label="Agency that shared it", queryset=Agency.objects.none())
    information = forms.CharField(label="Information shared", widget=forms.Textarea(attrs={"rows": 5}))
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for sharing", choices=LawfulBasis.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = _agencies(partnership)
        self.fields["information"].error_messages["required"] = "Enter the information the agency shared"
        self.fields["lawful_basis"].error_messages["required"] = "Choose the lawful basis for sharing"


class OwnerWithAgencyField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.agency.name})"  # type: ignore[union-attr]  # queryset: agency__isnull=False


class AgreedActionForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Action", max_length=200)
    owner = OwnerWithAgencyField(label="Owner", queryset=User.objects.none(), help_text="The person who will do it")
    due_on = _date_field("Due date")

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "owner").queryset = (
            User.objects.filter(partnership=partnership, is_active=True, agency__isnull=False)
            .select_related("agency")
            .order_by("full_name")
        )
        self.fields["title"].error_messages["required"] = "Enter the action agreed"

    def clean_due_on(self) -> datetime.date:
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate() - datetime.timedelta(days=365):
            raise forms.ValidationError("The due date is more than a year ago: check the year")
        return day


class OutcomeForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    risks = forms.CharField(label="Risks identified", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    decisions = forms.CharField(label="Decisions", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=HearingOutcome.choices, widget=forms.RadioSelect)
    review_due_on = SensibleDateField(
        label="Review due",
        required=False,
        input_formats=DATE_FORMATS,
        help_text="When the case should come back; leave blank for the panel's usual interval",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].error_messages["required"] = "Choose whether the case is reviewed again or closed"


class MinutesForm(GovukFormMixin, forms.Form):
    include_shared = forms.BooleanField(
        label="Include the information agencies shared",
        required=False,
        help_text="Leave unticked for minutes that can be circulated: decisions and actions only",
    )
