"""Filters for the audit viewer and its export, and the break-glass review form."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from saferhub.accounts.models import Partnership, User
from saferhub.audit.models import AuditAction
from saferhub.cases.models import Case
from saferhub.core.forms import MAX_ID, GovukFormMixin, SensibleDateField


class AuditUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.email})" if obj.full_name else obj.email


class AuditFilterForm(GovukFormMixin, forms.Form):
    user = AuditUserChoiceField(
        label="User",
        queryset=User.objects.none(),
        required=False,
        empty_label="Anyone",
        error_messages={"invalid_choice": "Choose a user from the list"},
    )
    action = forms.ChoiceField(
        label="Action",
        choices=[("", "Any action"), *AuditAction.choices],
        required=False,
        error_messages={"invalid_choice": "Choose an action from the list"},
    )
    date_from = SensibleDateField(
        label="From",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter the 'from' date as a real date, for example 2024-03-27"},
    )
    date_to = SensibleDateField(
        label="To",
        required=False,
        widget=forms.DateInput,
        error_messages={"invalid": "Enter the 'to' date as a real date, for example 2024-03-27"},
    )
    case_reference = forms.CharField(
        label="Case reference",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )
    person_id = forms.IntegerField(
        label="Person number",
        required=False,
        min_value=1,
        max_value=MAX_ID,
        help_text="The number in the address of the person's page.",
        error_messages={
            code: "Enter the person number as a whole number, for example 1234"
            for code in ("invalid", "min_value", "max_value")
        },
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )
    flagged = forms.BooleanField(label="Only events flagged for review", required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(partnership=partnership).order_by("full_name", "email")  # type: ignore[attr-defined]

    def clean_case_reference(self) -> str:
        reference = self.cleaned_data["case_reference"].strip()
        if reference:
            cases = Case.objects.filter(partnership=self.partnership, reference__iexact=reference)
            case_id = cases.values_list("pk", flat=True).first()
            if case_id is None:
                raise ValidationError(f"There is no case with the reference {reference}")
            self.case_id = case_id
        return reference

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def filter(self, events: models.QuerySet) -> models.QuerySet:
        """Apply the cleaned filters. Dates are whole days in the partnership's time zone."""
        data = self.cleaned_data
        if data.get("user"):
            events = events.filter(user=data["user"])
        if data.get("action"):
            events = events.filter(action=data["action"])
        if data.get("date_from"):
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            events = events.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        if data.get("case_reference"):
            events = events.filter(case_id=self.case_id)
        if data.get("person_id"):
            events = events.filter(person_id=data["person_id"])
        if data.get("flagged"):
            events = events.filter(flagged=True)
        return events

    def audit_detail(self) -> dict[str, Any]:
        """The filters as plain values, for the audit row recording this search."""
        if not self.is_bound:
            return {}
        if not self.is_valid():
            return {"invalid": {k: v for k, v in self.data.items() if k in self.fields}}
        detail: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value in (None, "", False):
                continue
            if isinstance(value, User):
                value = value.pk
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            detail[name] = value
        if "case_reference" in detail:
            detail["case_id"] = self.case_id
        return detail


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class BreakGlassReviewForm(GovukFormMixin, forms.Form):
    review_note = forms.CharField(
        label="Review note",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            "Say whether the emergency access was justified and what, if anything, follows from it. "
            "At least 10 characters."
        ),
        error_messages={"required": "Enter a review note"},
    )

    def clean_review_note(self) -> str:
        note = self.cleaned_data["review_note"].strip()
        if len(note) < 10:
            raise ValidationError("The review note must be at least 10 characters")
        return note
