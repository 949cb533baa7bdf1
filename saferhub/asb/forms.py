"""Forms for ASB casework, tools and powers, PSPOs and the ASB Case Review."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone

from saferhub import policy
from saferhub.accounts.models import Team, User
from saferhub.asb.models import (
    ESCALATION_ORDER,
    Channel,
    Incident,
    Intervention,
    InterventionStatus,
    PspoCondition,
    ReportedTo,
    ReviewItemKind,
    SettingKey,
    ToolKind,
)
from saferhub.cases.forms import UserChoiceField, VersionedForm, _casework_users, _date_field
from saferhub.cases.models import ActionStatus, Case
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import choice_field, model_choice_field
from saferhub.people.models import Person
from saferhub.places.models import Ward

DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
TEXTAREA = {"rows": 4}


def _datetime_field(label: str, help_text: str) -> forms.DateTimeField:
    return forms.DateTimeField(
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


# Cases --------------------------------------------------------------------------------


class AsbCaseForm(forms.Form):
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


class VictimContactForm(forms.Form):
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


class ReportForm(forms.Form):
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


class InterventionForm(forms.Form):
    kind = CodeChoiceField(label="Tool or power", queryset=ReferenceCode.objects.none(), empty_label="Choose one")
    person = PersonChoiceField(
        label="Served on",
        required=False,
        queryset=Person.objects.none(),
        empty_label="Not a person on the case",
        help_text="People on the case; add the person to the case first. Their date of birth or age is checked",
    )
    served_on_name = forms.CharField(label="Or served on (business or occupier)", required=False, max_length=200)
    served_on = _date_field(
        "Date served", required=False, help_text="For a closure notice, give the time served below instead"
    )
    details = forms.CharField(
        label="Conditions, requirements or what it said", required=False, widget=forms.Textarea(attrs=TEXTAREA)
    )
    expires_on = _date_field("End date", required=False)
    review_on = _date_field(
        "Review date", required=False, help_text="A reminder is added to the case; leave blank for the default"
    )
    premises = forms.CharField(label="Premises (closure notices and orders)", required=False, max_length=300)
    served_at = _datetime_field("Time the closure notice was served", "For example, 2024-03-27 14:30")
    hearing_at = _datetime_field(
        "Time of the court hearing (closure notice)", "Within 48 hours of the notice being served"
    )
    extends = forms.ModelChoiceField(
        label="Extends the closure order",
        required=False,
        queryset=Intervention.objects.none(),
        empty_label="Not an extension",
    )
    conviction_on = _date_field("Date of conviction (Criminal Behaviour Order)", required=False)
    offence = CodeChoiceField(
        label="Offence code (fixed penalties)",
        required=False,
        queryset=ReferenceCode.objects.none(),
        empty_label="Not a fixed penalty",
    )
    amount = forms.DecimalField(
        label="Penalty in pounds (fixed penalties)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
    )
    pspo_condition = forms.ModelChoiceField(
        label="PSPO condition breached", required=False, queryset=PspoCondition.objects.none(), empty_label="None"
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = case.partnership_id
        order = {code.value: index for index, code in enumerate(ESCALATION_ORDER)}
        kinds = sorted(
            _codes(partnership, ReferenceList.ASB_TOOL_OR_POWER), key=lambda c: (order.get(c.code, 99), c.label)
        )
        model_choice_field(self, "kind").queryset = _codes(partnership, ReferenceList.ASB_TOOL_OR_POWER)
        choice_field(self, "kind").choices = [("", "Choose one"), *[(c.pk, c.label) for c in kinds]]
        model_choice_field(self, "person").queryset = case_people(case)
        model_choice_field(self, "extends").queryset = Intervention.objects.filter(
            case=case, kind__code=ToolKind.CLOSURE_ORDER
        )
        model_choice_field(self, "offence").queryset = _codes(partnership, ReferenceList.FPN_OFFENCE)
        model_choice_field(self, "pspo_condition").queryset = PspoCondition.objects.filter(
            pspo__partnership_id=partnership
        ).select_related("pspo")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("served_on") and not data.get("served_at"):
            self.add_error("served_on", "Enter the date it was served")
        _not_future(data.get("served_on"), "The date served")
        return data

    def intervention_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount_pence"] = _pence(data.pop("amount"))
        if data.get("served_on") is None:
            data.pop("served_on")
        return data


class InterventionStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", widget=forms.RadioSelect)

    def __init__(self, *args: Any, item: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if item.is_fpn:
            allowed = [InterventionStatus.UNPAID, InterventionStatus.WITHDRAWN]
        else:
            allowed = [
                s
                for s in InterventionStatus
                if s not in (InterventionStatus.UNPAID, InterventionStatus.PAID, InterventionStatus.PROSECUTION)
            ]
        choice_field(self, "status").choices = [(s.value, s.label) for s in allowed]


class PaymentForm(forms.Form):
    paid_on = _date_field("Date paid")

    def clean_paid_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("paid_on"), "The date paid")


class EscalateForm(forms.Form):
    escalated_on = _date_field("Date passed for prosecution")


class ExplainedForm(forms.Form):
    explained_on = _date_field("Date the Case Review was explained")


# PSPOs ------------------------------------------------------------------------------------


class PspoForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    area = forms.CharField(label="Area covered", max_length=500)
    starts_on = _date_field("Start date")
    ends_on = _date_field("End date", help_text="At most 3 years after the start")
    conditions = forms.CharField(label="Conditions, one per line", widget=forms.Textarea(attrs={"rows": 12}))

    def clean_conditions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["conditions"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Enter at least one condition")
        if any(len(line) > 500 for line in lines):
            raise forms.ValidationError("Each condition is at most 500 characters")
        return lines


class PspoRenewalForm(forms.Form):
    renewed_on = _date_field("Date extended")
    new_ends_on = _date_field("New end date", help_text="At most 3 years after the date extended")


class PspoBreachForm(forms.Form):
    condition = forms.ModelChoiceField(
        label="Condition breached", queryset=PspoCondition.objects.none(), widget=forms.RadioSelect
    )
    occurred_on = _date_field("Date of the breach")
    place = forms.CharField(label="Where", required=False, max_length=300)
    description = forms.CharField(label="What happened", required=False, widget=forms.Textarea(attrs=TEXTAREA))
    fpn_amount = forms.DecimalField(
        label="Fixed penalty issued, in pounds",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="Leave blank when no fixed penalty was issued",
    )

    def __init__(self, *args: Any, pspo: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "condition").queryset = pspo.conditions.all()


# Settings ---------------------------------------------------------------------------------------


class SettingForm(forms.Form):
    key = forms.ChoiceField(label="Setting", choices=SettingKey.choices)
    value = forms.IntegerField(label="Value", min_value=0, max_value=10_000_000)
    effective_from = _date_field("In force from", help_text="For a change in the law, its commencement date")
    source = forms.CharField(label="Source", max_length=300, help_text="The Act, regulation or local decision")


class DeskForm(forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        help_text="Receives Case Review applications and owns imported ASB cases",
    )

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = (
            Team.objects.filter(partnership=partnership).select_related("agency").order_by("name")
        )


# ASB Case Review ----------------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    """The public application; no account is needed. Strictly validated, with a trap field for robots."""

    applicant_name = forms.CharField(
        label="Your full name", max_length=200, error_messages={"required": "Enter your full name"}
    )
    surname = forms.CharField(
        label="Surname of the person affected",
        max_length=100,
        required=False,
        help_text="If it is you, your surname. With the case reference it lets us find your reports straight away",
    )
    case_reference_given = forms.CharField(
        label="ASB case reference (if you have one)",
        max_length=30,
        required=False,
        help_text="The council gives one when you report, for example ASB-2024-00012",
    )
    on_behalf_of = forms.CharField(
        label="If you are applying for someone else, their name", max_length=200, required=False
    )
    applicant_email = forms.EmailField(
        label="E-mail address", required=False, help_text="We send your acknowledgement here"
    )
    applicant_phone = forms.RegexField(
        label="Telephone number",
        required=False,
        regex=r"^[0-9 +()-]{7,20}$",
        max_length=20,
        error_messages={"invalid": "Enter a telephone number, like 01632 960 001"},
    )
    applicant_address = forms.CharField(
        label="Postal address", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    applicant_postcode = forms.RegexField(
        label="Postcode",
        required=False,
        max_length=10,
        regex=r"^[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}$",
        error_messages={"invalid": "Enter a real postcode, like AA1 1AA"},
    )
    contact_preference = forms.CharField(label="How and when should we contact you?", required=False, max_length=200)
    problem = forms.CharField(
        label="What is the anti-social behaviour?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Describe the anti-social behaviour"},
    )
    problem_location = forms.CharField(
        label="Where does it happen?", max_length=500, error_messages={"required": "Say where it happens"}
    )
    reports_made = forms.CharField(
        label="When did you report it, and to whom?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="For example: 3 March to the council, 10 March to the police, 20 March to my housing association",
        error_messages={"required": "Tell us when you reported it and to whom"},
    )
    hate_motivated = forms.BooleanField(
        label="I believe it targets me because of who I am (a hate incident)", required=False
    )
    # Robots fill every field; people never see this one.
    website = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError("The application could not be accepted.")
        if not (data.get("applicant_email") or data.get("applicant_phone") or data.get("applicant_address")):
            self.add_error(
                "applicant_email", "Give an e-mail address, a telephone number or a postal address so we can reply"
            )
        if data.get("case_reference_given"):
            data["case_reference_given"] = data["case_reference_given"].strip().upper()
        if data.get("applicant_postcode"):
            data["applicant_postcode"] = data["applicant_postcode"].upper()
        return data

    def review_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in ("website", "surname"):
            data.pop(key, None)
        return data


class OfficerApplicationForm(ApplicationForm):
    channel = forms.ChoiceField(label="How the application was made", choices=Channel.choices, widget=forms.RadioSelect)
    applied_on = _date_field("Date of the application")

    def clean_applied_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("applied_on"), "The date of the application")


class LinkCaseForm(forms.Form):
    reference = forms.CharField(label="ASB case reference", max_length=30, help_text="For example, ASB-2024-00012")
    single_point_of_contact = UserChoiceField(
        label="Single point of contact for the applicant",
        required=False,
        queryset=User.objects.none(),
        empty_label="Keep as it is",
    )

    def __init__(self, *args: Any, cases: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cases = cases
        model_choice_field(self, "single_point_of_contact").queryset = _casework_users(partnership_id)

    def clean_reference(self) -> Case:
        reference = self.cleaned_data["reference"].strip().upper()
        case = self.cases.filter(reference=reference).first()
        if case is None:
            raise forms.ValidationError("No ASB case you can see has that reference")
        return case


class AcknowledgeForm(forms.Form):
    acknowledged_on = _date_field("Date acknowledged")


class ThresholdForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Is the threshold met?",
        choices=[("yes", "Yes, a review will be held"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Needed when you depart from the computed result",
    )
    decided_on = _date_field("Date decided")


class MeetingForm(forms.Form):
    held_on = _date_field("Date of the review meeting")
    attendees = forms.CharField(label="Agencies and people present", widget=forms.Textarea(attrs={"rows": 3}))

    def clean_held_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("held_on"), "The date of the review meeting")


class ReviewItemForm(forms.Form):
    """One recommendation or action plan item: what, who and by when."""

    text = forms.CharField(label="What is to be done", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
    owner = UserChoiceField(label="Owner", queryset=User.objects.none(), empty_label="Choose the owner")
    due_on = _date_field("Due by")

    def __init__(self, *args: Any, review: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review, self.kind = review, kind
        model_choice_field(self, "owner").queryset = (
            _casework_users(review.partnership_id).select_related("team").order_by("full_name")
        )
        if kind == ReviewItemKind.ACTION:
            self.fields["owner"].help_text = "It goes on their home page as an action on the ASB case"

    def clean_owner(self) -> Any:
        owner = self.cleaned_data.get("owner")
        case = self.review.case
        if owner is not None and self.kind == ReviewItemKind.ACTION and case is not None:
            if not policy.can_view_case(owner, case):
                raise forms.ValidationError(
                    f"{owner.full_name or owner.email} cannot see {case.reference}: share the case with their team "
                    "or agency first"
                )
        return owner


class ReviewItemStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)


class ConsultationForm(forms.Form):
    victim_consulted_on = _date_field("Date the victim was consulted on the action plan")
    victim_views = forms.CharField(label="The victim's views", widget=forms.Textarea(attrs=TEXTAREA))

    def clean_victim_consulted_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("victim_consulted_on"), "The date the victim was consulted")


class OutcomeForm(forms.Form):
    sent_on = _date_field("Date the outcome letter was sent")
    summary = forms.CharField(label="Outcome for the letter", widget=forms.Textarea(attrs={"rows": 6}))


class AppealForm(forms.Form):
    received_on = _date_field("Date the appeal was received")
    grounds = forms.CharField(label="Grounds of appeal", widget=forms.Textarea(attrs=TEXTAREA))


class AppealDecisionForm(forms.Form):
    decided_on = _date_field("Date decided")
    upheld = forms.TypedChoiceField(
        label="Was the appeal upheld?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs=TEXTAREA))


# Fixed penalty register -----------------------------------------------------------------------


class FpnStatus(models.TextChoices):
    UNPAID = "unpaid", "Unpaid"
    PAID = "paid", "Paid"
    ESCALATED = "escalated", "Escalated to prosecution"
    WITHDRAWN = "withdrawn", "Withdrawn"


FPN_STATUS_FILTERS = {
    FpnStatus.UNPAID: InterventionStatus.UNPAID,
    FpnStatus.PAID: InterventionStatus.PAID,
    FpnStatus.ESCALATED: InterventionStatus.PROSECUTION,
    FpnStatus.WITHDRAWN: InterventionStatus.WITHDRAWN,
}


class FpnFilterForm(forms.Form):
    offence = forms.ChoiceField(label="Offence code", required=False)
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any"), *FpnStatus.choices])
    served_from = _date_field("Served from", required=False)
    served_to = _date_field("Served to", required=False)

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = ReferenceCode.objects.of(partnership_id, ReferenceList.FPN_OFFENCE).order_by("code")
        choice_field(self, "offence").choices = [("", "Any"), *[(c.code, f"{c.code}: {c.label}") for c in codes]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("served_from"), data.get("served_to")
        if start and end and end < start:
            self.add_error("served_to", "The end of the date range must be on or after its start")
        return data

    def filter(self, items: Any) -> Any:
        """The register filtered by the valid fields (an invalid field is ignored, and shown as an error)."""
        self.is_valid()
        data = self.cleaned_data  # holds only the fields that are valid
        if data.get("offence"):
            items = items.filter(offence__code=data["offence"])
        if data.get("status"):
            items = items.filter(status=FPN_STATUS_FILTERS[FpnStatus(data["status"])])
        if data.get("served_from"):
            items = items.filter(served_on__gte=data["served_from"])
        if data.get("served_to"):
            items = items.filter(served_on__lte=data["served_to"])
        return items


# Public status check -------------------------------------------------------------------------------


class StatusCheckForm(forms.Form):
    reference = forms.CharField(
        label="Your reference",
        max_length=30,
        help_text="It starts ACR, for example ACR-2024-00012",
        error_messages={"required": "Enter your reference"},
    )
    email_or_postcode = forms.CharField(
        label="The e-mail address or postcode you gave on your application",
        max_length=254,
        error_messages={"required": "Enter the e-mail address or postcode you gave on your application"},
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()

    def clean_email_or_postcode(self) -> str:
        return self.cleaned_data["email_or_postcode"].strip()
