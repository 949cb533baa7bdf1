"""Forms for the issues raised on an activity and for turning one into an action. Every message names its
field and what to do."""

from typing import Any

from django import forms

from saferhub.accounts.models import Agency, User
from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.versioning import VERSION_ERRORS
from saferhub.governance.models import ActionPlan, CommitmentStatus
from saferhub.places.models import Ward

ISSUE_FIELDS = ["text", "ward", "location", "raised_by"]
NEW_PLAN = "new"


class IssueForm(GovukFormMixin, forms.Form):
    text = forms.CharField(
        label="Issue raised",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the concern is, for example overgrown bushes hiding the footpath",
        error_messages={"required": "Enter the issue raised"},
    )
    ward = forms.ModelChoiceField(label="Ward", queryset=Ward.objects.none(), required=False, empty_label="No ward")
    location = forms.CharField(
        label="Where",
        required=False,
        max_length=200,
        help_text="A street or place, for example the alley behind Station Parade",
    )
    raised_by = forms.CharField(
        label="Raised by (organisation)",
        max_length=200,
        help_text="The organisation or group that raised it, for example a residents' association or the ward "
        "panel. Not a person's name.",
        error_messages={"required": "Enter the organisation or group that raised the issue"},
    )

    def __init__(self, *args: Any, partnership_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.of(partnership_id).active().order_by("name")  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ISSUE_FIELDS}


class IssueChangeForm(IssueForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)


class IssueActionForm(GovukFormMixin, forms.Form):
    """The action an issue becomes: a commitment of an action plan, with its owner, due date and status."""

    plan = forms.ChoiceField(
        label="Action plan",
        help_text="The plan whose actions it joins: its page lists it with its status.",
        error_messages={"required": "Choose the action plan the action joins, or a new plan"},
    )
    new_plan = forms.CharField(
        label="Name of the new action plan",
        required=False,
        max_length=200,
        help_text="Only if you chose a new action plan, for example Ward walks action plan",
    )
    text = forms.CharField(
        label="Action",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the action to be taken"},
    )
    priority = forms.CharField(label="Strategy priority", required=False, max_length=200)
    owner = forms.ModelChoiceField(
        label="Owner (organisation)",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="No organisation",
        help_text="The organisation, the person below, or both: the action needs at least one owner.",
    )
    owner_user = forms.ModelChoiceField(
        label="Owner (person)", queryset=User.objects.none(), required=False, empty_label="No named person"
    )
    due_on = SensibleDateField(
        label="Due date",
        error_messages={"required": "Enter the date the action is due", "invalid": "Enter the due date as 2024-03-27"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=CommitmentStatus.choices,
        widget=forms.RadioSelect,
        initial=CommitmentStatus.NOT_STARTED,
        error_messages={"required": "Select the action's status"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)

    def __init__(self, *args: Any, partnership_id: int | None, owner_users: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plans = {str(plan.pk): plan for plan in ActionPlan.objects.of(partnership_id).order_by("name")}
        self.fields["plan"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a plan"),
            *[(pk, plan.name) for pk, plan in self.plans.items()],
            (NEW_PLAN, "A new action plan"),
        ]
        self.fields["owner"].queryset = Agency.objects.filter(partnership_id=partnership_id).order_by("name")  # type: ignore[attr-defined,misc]
        self.fields["owner_user"].queryset = owner_users  # type: ignore[attr-defined]
        self.fields["owner_user"].label_from_instance = lambda user: user.full_name or user.email  # type: ignore[attr-defined]

    def clean_plan(self) -> ActionPlan | None:
        """The plan chosen, or None for a new one (named in `new_plan`)."""
        chosen = self.cleaned_data["plan"]
        return None if chosen == NEW_PLAN else self.plans[chosen]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        new_plan = (data.get("new_plan") or "").strip()
        if "plan" in data and data["plan"] is None and not new_plan:
            self.add_error("new_plan", "Enter the name of the new action plan")
        elif data.get("plan") is not None and new_plan:
            self.add_error("new_plan", "Leave the new plan's name empty, or choose A new action plan as the plan")
        data["new_plan"] = new_plan
        if data.get("owner") is None and data.get("owner_user") is None and not self.has_error("owner"):
            self.add_error("owner", "Choose the organisation or the person who owns the action (or both)")
        return data
