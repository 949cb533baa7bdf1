from typing import Any

from django import forms

from saferhub.api.actions import NAME_MAX
from saferhub.api.models import TokenScope
from saferhub.api.tokens import DEFAULT_DAYS, MAX_DAYS
from saferhub.core.forms import GovukFormMixin


class TokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="What is the token for?",
        max_length=100,
        help_text="For example, 'Council case system' or 'Power BI returns'.",
        error_messages={"required": "Enter what the token is for"},
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the token may only read, or read and write"},
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_DAYS,
        initial=DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": f"Enter a number of days between 1 and {MAX_DAYS}",
            "max_value": f"Enter a number of days between 1 and {MAX_DAYS}",
        },
    )


class SystemAccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.email}), {obj.agency}"


class ClientForm(GovukFormMixin, forms.Form):
    """Register an OAuth2 client of the partnership (saferhub.api.actions.create_api_client)."""

    name = forms.CharField(
        label="What is the client?",
        max_length=NAME_MAX,
        help_text="For example, 'Council case system'. People see this name in the list of clients.",
        error_messages={"required": "Enter what the client is"},
    )
    system_account = SystemAccountChoiceField(
        label="Which account does it act as?",
        queryset=None,
        help_text="The client sees and does what this user may. Use an account made for the system, not a person's.",
        error_messages={
            "required": "Choose the account the client acts as",
            "invalid_choice": "Choose an active user of an agency of the partnership",
        },
    )
    scope = forms.ChoiceField(
        label="What may it do?",
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the client may only read, or read and write"},
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["system_account"]
        field.queryset = accounts

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        if not name:
            raise forms.ValidationError("Enter what the client is")
        return name
