"""Forms for the ASB Case Review: the application, each step, and the public status check."""

import datetime
from typing import Any

from django import forms

from saferhub import policy
from saferhub.accounts.models import User
from saferhub.asb.forms.fields import TEXTAREA, _not_future
from saferhub.asb.models import (
    Channel,
    ReviewItemKind,
)
from saferhub.cases.forms import UserChoiceField, _casework_users, _date_field
from saferhub.cases.models import ActionStatus, Case
from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import model_choice_field

# ASB Case Review ----------------------------------------------------------------------------------------


class ApplicationForm(GovukFormMixin, forms.Form):
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


class LinkCaseForm(GovukFormMixin, forms.Form):
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


class AcknowledgeForm(GovukFormMixin, forms.Form):
    acknowledged_on = _date_field("Date acknowledged")


class ThresholdForm(GovukFormMixin, forms.Form):
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


class MeetingForm(GovukFormMixin, forms.Form):
    held_on = _date_field("Date of the review meeting")
    attendees = forms.CharField(label="Agencies and people present", widget=forms.Textarea(attrs={"rows": 3}))

    def clean_held_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("held_on"), "The date of the review meeting")


class ReviewItemForm(GovukFormMixin, forms.Form):
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


class ReviewItemStatusForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect)


class ConsultationForm(GovukFormMixin, forms.Form):
    victim_consulted_on = _date_field("Date the victim was consulted on the action plan")
    victim_views = forms.CharField(label="The victim's views", widget=forms.Textarea(attrs=TEXTAREA))

    def clean_victim_consulted_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("victim_consulted_on"), "The date the victim was consulted")


class OutcomeForm(GovukFormMixin, forms.Form):
    sent_on = _date_field("Date the outcome letter was sent")
    summary = forms.CharField(label="Outcome for the letter", widget=forms.Textarea(attrs={"rows": 6}))


class AppealForm(GovukFormMixin, forms.Form):
    received_on = _date_field("Date the appeal was received")
    grounds = forms.CharField(label="Grounds of appeal", widget=forms.Textarea(attrs=TEXTAREA))


class AppealDecisionForm(GovukFormMixin, forms.Form):
    decided_on = _date_field("Date decided")
    upheld = forms.TypedChoiceField(
        label="Was the appeal upheld?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    outcome = forms.CharField(label="Outcome", widget=forms.Textarea(attrs=TEXTAREA))


# Public status check -------------------------------------------------------------------------------


class StatusCheckForm(GovukFormMixin, forms.Form):
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
