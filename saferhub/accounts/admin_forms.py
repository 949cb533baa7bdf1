"""Forms for partnership administration. Plain forms: the changes are made by `administration` functions."""

import re
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.safestring import mark_safe

from saferhub.accounts.administration import AdministrationError, check_parent
from saferhub.accounts.models import Agency, AgencyKind, Partnership, Role, Team, User
from saferhub.api.sso import provider_only
from saferhub.core.forms import GovukFormMixin
from saferhub.core.models import ReferenceCode
from saferhub.core.versioning import VersionedFormMixin

_TEXT = {"class": "govuk-input--width-20", "spellcheck": "false"}


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return f"{obj.agency.name}: {obj.name}"


class UserForm(GovukFormMixin, forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Enter the user's full name"},
    )
    email = forms.EmailField(
        label="E-mail address",
        help_text="They sign in with this address. It must not belong to another user.",
        error_messages={
            "required": "Enter the user's e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
        },
        widget=forms.EmailInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    job_title = forms.CharField(label="Job title", max_length=200, required=False)
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the user's agency", "invalid_choice": "Choose an agency from the list"},
    )
    team = TeamChoiceField(
        label="Team",
        queryset=Team.objects.none(),
        required=False,
        empty_label="No team",
        error_messages={"invalid_choice": "Choose a team from the list"},
        help_text="A caseworker sees the cases their team owns. The team must belong to the agency chosen above.",
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Choose at least one role", "invalid_choice": "Choose roles from the list"},
    )

    def __init__(self, *args: Any, partnership: Partnership, instance: User | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "full_name": instance.full_name,
                "email": instance.email,
                "job_title": instance.job_title,
                "agency": instance.agency_id,
                "team": instance.team_id,
                "roles": sorted(instance.roles),
            }
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.live().filter(partnership=partnership)  # type: ignore[attr-defined]
        self.fields["team"].queryset = (  # type: ignore[attr-defined]
            Team.objects.filter(archived_at__isnull=True, partnership=partnership)
            .select_related("agency")
            .order_by("agency__name", "name")
        )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        others = User.objects.filter(email__iexact=email)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Another user already has this e-mail address")
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agency, team = cleaned.get("agency"), cleaned.get("team")
        if agency is not None and team is not None and team.agency_id != agency.pk:
            self.add_error("team", f"Choose a team that is part of {agency.name}, or no team")
        return cleaned


class UserEditForm(VersionedFormMixin, UserForm):
    """Changing a user: carries the version seen, so two administrators never overwrite each other."""


class UserCreateForm(UserForm):
    password1 = forms.CharField(
        label="Initial password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **_TEXT}),
        help_text=(
            "Leave blank to send the sign-in set-up instead. If you set one, give it to the user in person: "
            "at least 12 characters, not a common password."
        ),
    )
    password2 = forms.CharField(
        label="Confirm initial password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", **_TEXT}),
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        # People who sign in through their partnership's identity provider only are given no password.
        self.provider = provider_only(partnership)
        if self.provider is not None:
            del self.fields["password1"], self.fields["password2"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if not password1 and not password2:
            return cleaned
        if password1 != password2:
            self.add_error("password2", "The two passwords do not match")
            return cleaned
        candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
        try:
            password_validation.validate_password(str(password1), user=candidate)
        except ValidationError as error:
            self.add_error("password1", error)
        return cleaned


class AgencyForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the agency's name"})
    kind = forms.ChoiceField(
        label="Kind of agency",
        choices=AgencyKind.choices,
        error_messages={"invalid_choice": "Choose a kind of agency from the list"},
    )
    parent = forms.ModelChoiceField(
        label="Part of",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="Not part of another agency",
        error_messages={"invalid_choice": "Choose another agency of your partnership, or none"},
        help_text="For example, a service that sits inside the council. Returns group by the top-level agency.",
    )
    external_ref = forms.CharField(
        label="Reference in other systems", max_length=100, required=False, widget=forms.TextInput(attrs=_TEXT)
    )

    def __init__(self, *args: Any, partnership: Partnership, instance: Agency | None = None, **kwargs: Any) -> None:
        self.partnership = partnership
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "kind": instance.kind,
                "parent": instance.parent_id,
                "external_ref": instance.external_ref,
            }
        super().__init__(*args, **kwargs)
        parents = Agency.objects.filter(partnership=partnership)
        if instance is not None:
            parents = parents.exclude(pk=instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Agency.objects.filter(partnership=self.partnership, name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError("Another agency in your partnership already has this name")
        return name

    def clean_parent(self) -> Agency | None:
        parent = self.cleaned_data["parent"]
        try:
            check_parent(self.instance, parent, self.partnership.pk)
        except AdministrationError as error:
            raise ValidationError(str(error)) from error
        return parent


class AgencyEditForm(VersionedFormMixin, AgencyForm):
    """Changing an agency, with the version seen."""


class TeamForm(GovukFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the team's agency", "invalid_choice": "Choose an agency from the list"},
    )
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the team's name"})
    email = forms.EmailField(
        label="Team e-mail address",
        required=False,
        error_messages={"invalid": "Enter an e-mail address like team@example.org"},
        widget=forms.EmailInput(attrs={**_TEXT, "autocomplete": "off"}),
    )
    accepts_referrals = forms.BooleanField(
        label="Takes referrals",
        required=False,
        help_text="Teams that take referrals appear in the list of teams a referral can be sent to.",
    )

    def __init__(self, *args: Any, partnership: Partnership, instance: Team | None = None, **kwargs: Any) -> None:
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "agency": instance.agency_id,
                "name": instance.name,
                "email": instance.email,
                "accepts_referrals": instance.accepts_referrals,
            }
        elif instance is None:
            kwargs.setdefault("initial", {"accepts_referrals": True})
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.live().filter(partnership=partnership)  # type: ignore[attr-defined]
        if instance is not None:
            # Members belong to the team's agency: moving the team would leave them in the wrong one.
            self.fields["agency"].disabled = True
            self.fields["agency"].help_text = "A team cannot move to another agency. Create a new team instead."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        agency, name = cleaned.get("agency"), cleaned.get("name")
        if agency is not None and name:
            cleaned["name"] = name = name.strip()
            others = Team.objects.filter(agency=agency, name__iexact=name)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("name", f"{agency.name} already has a team with this name")
        return cleaned


class TeamEditForm(VersionedFormMixin, TeamForm):
    """Changing a team, with the version seen."""


class ArchiveTeamForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(label="Why is the team being archived?", max_length=255, required=False)


_CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:[_-][a-z0-9]+)*\Z")


class ReferenceCodeEditForm(GovukFormMixin, forms.Form):
    label = forms.CharField(
        label="Label",
        max_length=255,
        help_text="What users see in lists and returns.",
        error_messages={"required": "Enter the label users see"},
    )
    group = forms.CharField(
        label="Group", max_length=100, required=False, help_text="Codes with the same group are shown together."
    )
    notes = forms.CharField(label="Notes", max_length=255, required=False)
    sort_order = forms.IntegerField(
        label="Position in the list",
        min_value=0,
        max_value=2_147_483_647,
        initial=0,
        help_text="Lower numbers come first; codes with the same number are sorted by label.",
        error_messages={
            "required": "Enter a position, for example 0",
            "invalid": "Enter the position as a whole number, for example 10",
            "min_value": "Enter a position of 0 or more",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-5"}),
    )

    def __init__(self, *args: Any, instance: ReferenceCode | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "label": instance.label,
                "group": instance.group,
                "notes": instance.notes,
                "sort_order": instance.sort_order,
            }
        super().__init__(*args, **kwargs)


class ReferenceCodeChangeForm(VersionedFormMixin, ReferenceCodeEditForm):
    """Changing a code's label, group, notes or order, with the version seen."""

    def __init__(self, *args: Any, instance: ReferenceCode | None = None, **kwargs: Any) -> None:
        self.instance = instance
        super().__init__(*args, instance=instance, **kwargs)


class ReferenceCodeCreateForm(ReferenceCodeEditForm):
    code = forms.CharField(
        label="Code",
        max_length=50,
        error_messages={"required": "Enter a code"},
        validators=[
            RegexValidator(
                _CODE_PATTERN,
                "Enter a code of lower-case letters and numbers, with single hyphens or underscores between them",
            )
        ],
        # Shown as code: an administrator types exactly this. Constant text, nothing from a user.
        help_text=mark_safe(  # noqa: S308
            "Stored on records and used in imports and returns: lower-case letters, numbers, hyphens and "
            "underscores, for example <code>hate_crime</code>. It cannot be changed later."
        ),
        widget=forms.TextInput(attrs={**_TEXT, "autocomplete": "off"}),
    )

    field_order = ["code", "label", "group", "notes", "sort_order"]

    def __init__(self, *args: Any, partnership: Partnership, code_list: str, **kwargs: Any) -> None:
        self.partnership = partnership
        self.code_list = code_list
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if ReferenceCode.objects.of(self.partnership, self.code_list).filter(code=code).exists():
            raise ValidationError("This list already has that code. Choose another, or enable the existing one")
        return code
