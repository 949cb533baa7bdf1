"""The header's search box."""

from django import forms

from saferhub.search.engine import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text="A name, alias, date of birth, identifier, case reference, referral number or service",
        error_messages={"max_length": f"Search must be {MAX_QUERY_LENGTH} characters or fewer"},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false", "autocomplete": "off"}),
    )
