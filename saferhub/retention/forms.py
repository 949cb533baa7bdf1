from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.core.versioning import VERSION_ERRORS, VersionedFormMixin
from saferhub.retention.actions import MIN_REASON


class RetentionRuleForm(GovukFormMixin, VersionedFormMixin):
    years = forms.IntegerField(
        label="Years kept after the end of the year of closure",
        min_value=1,
        max_value=100,
        help_text="For example, 6: a case closed in 2020 is kept until 31 December 2026",
        error_messages={
            "required": "Enter the number of years, for example 6",
            "invalid": "Years must be a whole number, for example 6",
            "min_value": "Years must be 1 or more",
            "max_value": "Years must be 100 or fewer",
        },
    )
    basis = forms.CharField(
        label="Where the period comes from",
        required=False,
        max_length=300,
        help_text="For example, the information sharing agreement and its section",
    )
    # 0 means no period had been set when the form was opened.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, error_messages=VERSION_ERRORS)


class ErasureForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is this case being erased?",
        widget=forms.Textarea(attrs={"rows": 3}),
        min_length=MIN_REASON,
        max_length=1000,
        help_text="For example, the retention review of the quarter and the agreement it follows",
        error_messages={
            "required": "Enter why the case is being erased",
            "min_length": f"The reason must be at least {MIN_REASON} characters",
        },
    )


class PersonLookupForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, Saferhub person number or an identifier",
        max_length=200,
        error_messages={"required": "Enter a name, a person number or an identifier"},
    )
