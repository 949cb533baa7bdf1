"""Forms of the set-up pages. Bounds and codes follow the set-up file's rules (setupfile.validate)."""

import re
from typing import Any

from django import forms
from django.core.validators import BaseValidator, MaxValueValidator, MinValueValidator

from saferhub.accounts.models import Agency, Team
from saferhub.assessments.models import AssessmentTemplate
from saferhub.core.forms import GovukFormMixin, IdMultipleChoiceField
from saferhub.core.types import choice_field, model_choice_field
from saferhub.panels.models import Cadence, PanelKind, PanelType
from saferhub.setup.setupfile.validate import LOCAL_AUTHORITY_CODE, PREFIX, REVIEW_DAYS, SUMMARY_DAYS

CODE_HELP = "Letters, numbers and underscores, e.g. ceam. Imports and returns use it; it cannot change later."


class VersionedForm(GovukFormMixin, forms.Form):
    """Carries the version token of the record as the administrator saw it (see setup.actions)."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _codes(text: str, label: str) -> list[str]:
    codes = [code.upper() for code in re.split(r"[\s,;]+", text.strip()) if code]
    bad = [code for code in codes if not LOCAL_AUTHORITY_CODE.match(code)]
    if bad:
        raise forms.ValidationError(
            f"Enter {label} as ONS local authority codes like E09000003, separated by commas: "
            f"{', '.join(bad)} {'is' if len(bad) == 1 else 'are'} not"
        )
    seen: list[str] = []
    for code in codes:
        if code not in seen:
            seen.append(code)
    return seen


class AreasForm(VersionedForm):
    areas = forms.CharField(
        label="Local authority areas",
        required=False,
        max_length=500,
        help_text="ONS codes of the local authorities the partnership covers, separated by commas, e.g. E09000003",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-30", "spellcheck": "false"}),
    )
    peer_group = forms.CharField(
        label="Peer group",
        required=False,
        max_length=2000,
        help_text="ONS codes of the local authorities you compare yourselves with (your Most Similar Group), "
        "separated by commas",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    field_order = ["areas", "peer_group", "version"]

    def clean_areas(self) -> list[str]:
        return _codes(self.cleaned_data["areas"], "the areas")

    def clean_peer_group(self) -> list[str]:
        return _codes(self.cleaned_data["peer_group"], "the peer group")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        own = set(data.get("areas") or [])
        overlap = [code for code in data.get("peer_group") or [] if code in own]
        if overlap:
            self.add_error(
                "peer_group", f"Leave out the partnership's own areas from its peer group: {', '.join(overlap)}"
            )
        return data


class DutyForm(GovukFormMixin, forms.Form):
    team = forms.ModelChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose a team"},
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "team").queryset = (
            Team.objects.live()
            .filter(partnership_id=partnership_id)
            .select_related("agency")
            .order_by("agency__name", "name")
        )


class CaseTypeCreateForm(GovukFormMixin, forms.Form):
    code = forms.SlugField(
        label="Code",
        max_length=50,
        help_text=CODE_HELP,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
    )
    name = forms.CharField(label="Name", max_length=100)
    # Not "prefix": forms use that name for their own field-name prefix.
    reference_prefix = forms.CharField(
        label="Reference prefix",
        max_length=10,
        help_text="Capital letters and digits; case references start with it, e.g. VCH gives VCH-2026-00031",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].lower()

    def clean_reference_prefix(self) -> str:
        prefix = self.cleaned_data["reference_prefix"].strip().upper()
        if not PREFIX.match(prefix):
            raise forms.ValidationError(
                "Enter a prefix of capital letters and digits that starts with a letter, e.g. VCH"
            )
        return prefix


class CaseTypeEditForm(VersionedForm, CaseTypeCreateForm):
    closure_needs_approval = forms.BooleanField(
        label="Closures need a team manager's approval",
        required=False,
        help_text="A caseworker asks to close a case; a team manager of the case's team approves or returns it",
    )
    field_order = ["name", "reference_prefix", "closure_needs_approval", "version"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["code"]
        self.fields["reference_prefix"].help_text += ". A new prefix applies to new cases; existing references stay."


def _template_choices(partnership_id: int) -> list[tuple[str, str]]:
    names = dict(
        AssessmentTemplate.objects.filter(partnership_id=partnership_id, active=True)
        .order_by("code", "version")
        .values_list("code", "name")
    )
    return [("", "None")] + sorted(names.items(), key=lambda item: item[1])


BOUNDS = {
    "summary_days_before": SUMMARY_DAYS,
    "summary_days_after": SUMMARY_DAYS,
    "review_interval_days": REVIEW_DAYS,
}


def _bound_messages(low: int, high: int) -> dict[str, str]:
    return dict.fromkeys(("min_value", "max_value"), f"Enter a whole number from {low} to {high}")


class PanelTypeForm(GovukFormMixin, forms.ModelForm):
    """Create (with code and kind) or edit a panel type; the version token guards edits."""

    version = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    assessment_template_code = forms.ChoiceField(
        label="Assessment template", required=False, help_text="The checklist referrers answer with a referral"
    )

    class Meta:
        model = PanelType
        fields = [
            "code",
            "name",
            "kind",
            "cadence",
            "referral_criteria",
            "assessment_template_code",
            "member_agencies",
            "coordinating_team",
            "summary_days_before",
            "summary_days_after",
            "review_interval_days",
            "active",
        ]
        labels = {
            "active": "In use: offered for referrals and meetings",
            "code": "Code",
            "kind": "Referral details asked for",
            "referral_criteria": "Referral criteria",
            "coordinating_team": "Coordinating team",
            "summary_days_before": "Summaries open this many days before a meeting",
            "summary_days_after": "Summaries close this many days after a meeting",
            "review_interval_days": "Days until a case to be reviewed is due again",
        }
        # Ids no database holds are a form error, not an OverflowError on SQLite.
        field_classes = {"member_agencies": IdMultipleChoiceField}
        error_messages = {name: _bound_messages(low, high) for name, (low, high) in BOUNDS.items()}
        help_texts = {
            "code": CODE_HELP,
            "coordinating_team": "Reviews referrals, runs the meetings and owns the panel's cases",
            "summary_days_before": "From 0 to 60: member agencies see listed cases' summaries from then",
            "summary_days_after": "From 0 to 60",
            "review_interval_days": "From 1 to 365",
        }
        widgets = {
            "code": forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
            "kind": forms.RadioSelect,
            "cadence": forms.RadioSelect,
            "member_agencies": forms.CheckboxSelectMultiple,
            "summary_days_before": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "summary_days_after": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
            "review_interval_days": forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        }

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.creating = self.instance.pk is None
        if not self.creating:
            # The code is what imports and returns use; the kind decides what past referrals recorded.
            del self.fields["code"]
            del self.fields["kind"]
        else:
            choice_field(self, "kind").choices = [
                (value, label) for value, label in PanelKind.choices if value == PanelKind.GENERAL
            ] + [(value, label) for value, label in PanelKind.choices if value != PanelKind.GENERAL]
            self.fields["kind"].initial = PanelKind.GENERAL
            self.fields[
                "kind"
            ].help_text = "Shipped panels ask for their own details (risk checklist, exploitation criteria, incident)"
        choice_field(self, "cadence").choices = list(Cadence.choices)
        choice_field(self, "assessment_template_code").choices = _template_choices(partnership_id)
        model_choice_field(self, "member_agencies").queryset = (
            Agency.objects.live().filter(partnership_id=partnership_id).order_by("name")
        )
        model_choice_field(self, "coordinating_team").queryset = (
            Team.objects.live()
            .filter(partnership_id=partnership_id)
            .select_related("agency")
            .order_by("agency__name", "name")
        )
        model_choice_field(self, "coordinating_team").empty_label = "No team yet"
        # The model holds the bounds (its validators run when the form checks the record); the form
        # field checks them too, so a wrong number gets one message, said the same way.
        for name, (low, high) in BOUNDS.items():
            field = self.fields[name]
            present = {(type(v), v.limit_value) for v in field.validators if isinstance(v, BaseValidator)}
            field.validators += [
                v for v in (MinValueValidator(low), MaxValueValidator(high)) if (type(v), v.limit_value) not in present
            ]
            field.error_messages.update(_bound_messages(low, high))

    def clean_code(self) -> str:
        return self.cleaned_data["code"].lower()

    def clean_referral_criteria(self) -> str:
        # Browsers send CRLF; keep one kind of line break so the set-up file round-trips.
        return self.cleaned_data["referral_criteria"].replace("\r\n", "\n")

    def clean_version(self) -> str:
        version = self.cleaned_data["version"]
        if not self.creating and not version:
            raise forms.ValidationError("The form is missing its version: open the page again")
        return version

    def values(self) -> dict[str, Any]:
        skip = {"code", "member_agencies", "version"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}
