"""Forms for tools and powers (interventions, fixed penalties and their register) and PSPOs."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db import models

from saferhub.asb.forms.cases import case_people
from saferhub.asb.forms.fields import (
    TEXTAREA,
    CodeChoiceField,
    PersonChoiceField,
    _codes,
    _datetime_field,
    _not_future,
    _pence,
)
from saferhub.asb.models import (
    ESCALATION_ORDER,
    Intervention,
    InterventionStatus,
    PspoCondition,
    ToolKind,
)
from saferhub.cases.forms import _date_field
from saferhub.cases.models import Case
from saferhub.core.forms import GovukFormMixin
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.types import choice_field, model_choice_field
from saferhub.people.models import Person

# The one table of which fields each tool or power asks for (by its `asb_tools_and_powers` code). A code a
# partnership adds itself is not listed here and asks for every field.
_PERSON = ("person", "served_on_name")
FIELDS_BY_TOOL: dict[str, tuple[str, ...]] = {
    ToolKind.WARNING_LETTER: (*_PERSON, "served_on", "details", "review_on"),
    ToolKind.ABC: ("person", "served_on", "details", "expires_on", "review_on"),
    ToolKind.CPN_WARNING: (*_PERSON, "served_on", "details", "review_on"),
    ToolKind.CPN: (*_PERSON, "served_on", "details", "expires_on", "review_on"),
    ToolKind.FPN: (*_PERSON, "served_on", "offence", "amount", "pspo_condition", "details"),
    ToolKind.PSPO_BREACH: ("person", "served_on", "pspo_condition", "details"),
    ToolKind.CLOSURE_NOTICE: ("premises", "served_at", "hearing_at", "details", "expires_on"),
    ToolKind.CLOSURE_ORDER: ("premises", "served_on", "extends", "details", "expires_on", "review_on"),
    ToolKind.CIVIL_INJUNCTION: ("person", "served_on", "details", "expires_on", "review_on"),
    ToolKind.CBO: ("person", "conviction_on", "served_on", "details", "expires_on", "review_on"),
    ToolKind.DISPERSAL: ("person", "served_on", "details", "expires_on"),
}


def tool_kinds(case: Case) -> list[Any]:
    """The partnership's tools and powers in escalation order."""
    order = {code.value: index for index, code in enumerate(ESCALATION_ORDER)}
    return sorted(
        _codes(case.partnership_id, ReferenceList.ASB_TOOL_OR_POWER), key=lambda c: (order.get(c.code, 99), c.label)
    )


class ToolChoiceForm(GovukFormMixin, forms.Form):
    """The first page of recording a tool or power: which one (the next page asks only for its fields)."""

    kind = forms.TypedChoiceField(
        label="Which tool or power?",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the tool or power to record",
            "invalid_choice": "Choose the tool or power to record",
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(c.pk, c.label) for c in tool_kinds(case)]


class InterventionForm(GovukFormMixin, forms.Form):
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

    def __init__(self, *args: Any, case: Case, tool: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership = case.partnership_id
        kinds = tool_kinds(case)
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
        if tool is not None:
            # The tool was chosen on the first page: keep it, and ask only for its fields.
            self.fields["kind"].widget = forms.HiddenInput()
            self.initial["kind"] = tool.pk
            wanted = FIELDS_BY_TOOL.get(tool.code)
            if wanted is not None:
                for name in [n for n in self.fields if n != "kind" and n not in wanted]:
                    del self.fields[name]
                self.order_fields(["kind", *wanted])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("served_on") and not data.get("served_at"):
            # A closure notice is served at a time; the other tools on a day. Only one is asked.
            if "served_on" in self.fields:
                self.add_error("served_on", "Enter the date it was served")
            elif "served_at" in self.fields:
                self.add_error("served_at", "Enter the time the closure notice was served")
            else:
                self.add_error(None, "Enter when it was served")
        _not_future(data.get("served_on"), "The date served")
        return data

    def intervention_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amount_pence"] = _pence(data.pop("amount", None))
        if data.get("served_on") is None:
            data.pop("served_on", None)
        return data


class InterventionStatusForm(GovukFormMixin, forms.Form):
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


class PaymentForm(GovukFormMixin, forms.Form):
    paid_on = _date_field("Date paid")

    def clean_paid_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("paid_on"), "The date paid")


class EscalateForm(GovukFormMixin, forms.Form):
    escalated_on = _date_field("Date passed for prosecution")


class ExplainedForm(GovukFormMixin, forms.Form):
    explained_on = _date_field("Date the Case Review was explained")


# PSPOs ------------------------------------------------------------------------------------


class PspoForm(GovukFormMixin, forms.Form):
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


class PspoRenewalForm(GovukFormMixin, forms.Form):
    renewed_on = _date_field("Date extended")
    new_ends_on = _date_field("New end date", help_text="At most 3 years after the date extended")


class PspoBreachForm(GovukFormMixin, forms.Form):
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


class FpnFilterForm(GovukFormMixin, forms.Form):
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
