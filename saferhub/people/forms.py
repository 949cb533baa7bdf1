"""Forms for searching and editing the person index."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.core.versioning import VERSION_ERRORS, VersionedFormMixin
from saferhub.people.models import ContactKind, Gender, Identifier, Person, YesNoUnknown


class PersonSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Name, alias or identifier",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
    )


def ethnicity_field(partnership: Any, current: str = "") -> forms.Field:
    """A choice from the partnership's ONS 2021 codes when it has them, free text otherwise."""
    codes = list(
        ReferenceCode.objects.of(partnership, ReferenceList.ETHNICITY)
        .filter(active=True)
        .values_list("code", "label", "group")
    )
    if not codes:
        return forms.CharField(label="Ethnicity", max_length=50, required=False)
    choices: list[tuple[str, str]] = [("", "Not recorded")]
    choices += [(code, f"{group}: {label}" if group else label) for code, label, group in codes]
    if current and current not in {c for c, _ in choices}:
        # A code disabled since it was recorded keeps its meaning on the record.
        choices.append((current, current))
    return forms.ChoiceField(label="Ethnicity", choices=choices, required=False)


class PersonDetailsForm(GovukFormMixin, forms.Form):
    """Names and demographics; all optional, because anonymity is allowed."""

    first_name = forms.CharField(label="First name", max_length=100, required=False)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = SensibleDateField(label="Date of birth", required=False, today_or_past=True)
    age = forms.IntegerField(
        label="Age in years",
        min_value=0,
        max_value=130,
        required=False,
        help_text="Only when the date of birth is not known.",
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    gender = forms.ChoiceField(label="Gender", choices=[("", "Not recorded"), *Gender.choices], required=False)

    def clean_date_of_birth(self) -> datetime.date | None:
        dob = self.cleaned_data.get("date_of_birth")
        if dob and dob > timezone.localdate():
            raise forms.ValidationError("Date of birth must be today or in the past.")
        return dob

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("date_of_birth"):
            # A known date of birth makes a recorded age redundant.
            cleaned["age"] = None
        return cleaned

    def has_details(self) -> bool:
        return any(v not in (None, "") for v in self.cleaned_data.values())


class PersonEditForm(VersionedFormMixin, PersonDetailsForm):
    ethnicity = forms.CharField(label="Ethnicity", required=False)
    disability = forms.ChoiceField(label="Disability", choices=YesNoUnknown.choices, widget=forms.RadioSelect)
    first_language = forms.CharField(label="First language", max_length=100, required=False)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(person, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        self.fields["ethnicity"] = ethnicity_field(person.partnership_id, person.ethnicity)


class AliasForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Alias or other name", max_length=200)


class ContactDetailForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Type of contact detail", choices=ContactKind.choices, widget=forms.RadioSelect)
    value = forms.CharField(
        label="Phone number, e-mail address or address", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    confidential = forms.BooleanField(
        label="Confidential",
        required=False,
        help_text="For example, a refuge address or a safe number. Only teams that own this person's cases will see it.",
    )
    safe_to_contact = forms.BooleanField(label="Safe to contact the person this way", required=False, initial=True)


class IdentifierForm(GovukFormMixin, forms.Form):
    system = forms.CharField(label="System", max_length=100, help_text="For example, police national computer or NHS.")
    value = forms.CharField(label="Identifier", max_length=100)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        system, value = (cleaned.get("system") or "").strip(), (cleaned.get("value") or "").strip()
        if system and value and Identifier.objects.filter(person=self.person, system=system, value=value).exists():
            raise forms.ValidationError("This person already has that identifier.")
        return cleaned


# Duplicates and merges ---------------------------------------------------------------


class MergeForm(GovukFormMixin, forms.Form):
    """Which of the two records to keep, with both versions as the user saw them."""

    keep = forms.ChoiceField(
        label="Which record do you want to keep?",
        widget=forms.RadioSelect,
        help_text="Everything on the other record moves to it; the other record is closed but can be restored.",
        error_messages={"required": "Choose the record to keep", "invalid_choice": "Choose one of the two records"},
    )
    version_a = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)
    version_b = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)

    def __init__(self, *args: Any, person_a: Person, person_b: Person, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version_a": person_a.version, "version_b": person_b.version})
        super().__init__(*args, **kwargs)
        self.person_a, self.person_b = person_a, person_b
        self.fields["keep"].choices = [  # type: ignore[attr-defined]
            ("a", f"{person_a.display_name} (record {person_a.pk}, added {person_a.created_at:%-d %B %Y})"),
            ("b", f"{person_b.display_name} (record {person_b.pk}, added {person_b.created_at:%-d %B %Y})"),
        ]

    def kept_and_merged(self) -> tuple[Person, Person, int, int]:
        """(kept, merged, kept version, merged version) as chosen."""
        a, b = (self.person_a, self.cleaned_data["version_a"]), (self.person_b, self.cleaned_data["version_b"])
        kept, merged = (a, b) if self.cleaned_data["keep"] == "a" else (b, a)
        return kept[0], merged[0], kept[1], merged[1]


class UndoMergeForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages=VERSION_ERRORS)
