from django import forms

from saferhub.api.models import TokenScope
from saferhub.api.tokens import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
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
