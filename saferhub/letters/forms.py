"""Forms for letter templates, issuing a letter and the partnership's public details."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferhub.core.forms import GovukFormMixin, SensibleDateField
from saferhub.core.types import choice_field
from saferhub.core.versioning import VersionedFormMixin
from saferhub.letters import merge
from saferhub.letters.models import LetterKind, Marking

DATE_HINT = "For example, 18 12 2026"
LOGO_TYPES = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}
MAX_LOGO_BYTES = 1024 * 1024


class TemplateForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    subject = forms.CharField(
        label="Heading",
        max_length=300,
        help_text="The letter's heading. It may use merge fields.",
        error_messages={
            "required": "Enter the heading of the letter",
            "max_length": "Heading must be 300 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Wording",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 24, "spellcheck": "true"}),
        help_text=(
            "Leave a blank line between paragraphs. Start a line with '## ' for a heading and '- ' for a bullet. "
            "Put merge fields in double braces, for example {{ recipient.name }}."
        ),
        error_messages={
            "required": "Enter the wording of the letter",
            "max_length": "Wording must be 20,000 characters or fewer",
        },
    )
    marking = forms.ChoiceField(
        label="Protective marking",
        choices=Marking.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the protective marking", "invalid_choice": "Select the protective marking"},
    )
    note = forms.CharField(
        label="What you changed",
        max_length=300,
        required=False,
        help_text="Kept with this revision, for example 'New phone number'",
        error_messages={"max_length": "What you changed must be 300 characters or fewer"},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def clean_subject(self) -> str:
        subject: str = self.cleaned_data["subject"]
        problems = merge.check(subject, self.kind, what="The heading")
        if problems:
            raise ValidationError(problems)
        return subject

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"].replace("\r\n", "\n")
        problems = merge.check(body, self.kind, what="The wording")
        if problems:
            raise ValidationError(problems)
        return body


def _date_field(label: str, required: bool, help_text: str = DATE_HINT) -> SensibleDateField:
    return SensibleDateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label.lower()}",
            "invalid": f"Enter {label.lower()} as a real date, for example 18 12 2026",
        },
    )


class CaseLetterForm(GovukFormMixin, forms.Form):
    """Which letter, to whom, about which tool or power, and the date it gives."""

    kind = forms.ChoiceField(
        label="Letter",
        widget=forms.RadioSelect,
        error_messages={"required": "Select the letter to send", "invalid_choice": "Select the letter to send"},
    )
    recipient = forms.TypedChoiceField(
        label="Send it to",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Select who the letter is to", "invalid_choice": "Select who the letter is to"},
    )
    power = forms.TypedChoiceField(
        label="The tool or power it concerns",
        coerce=int,
        required=False,
        help_text="For warning letters, Community Protection Warnings and Notices and fixed penalty notices",
        error_messages={"invalid_choice": "Select a tool or power recorded on this case"},
    )
    deadline = _date_field(
        "Deadline", False, "The date the letter gives (to reply, comply, pay or appeal by). " + DATE_HINT
    )

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        recipients: list[tuple[int, str]],
        powers: list[tuple[int, str]],
        needs_deadline: dict[str, bool],
        powers_by_kind: dict[str, set[int]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = kinds
        choice_field(self, "recipient").choices = recipients
        choice_field(self, "power").choices = [("", "None"), *powers]
        self.needs_deadline = needs_deadline
        self.powers_by_kind = powers_by_kind
        if not powers:
            del self.fields["power"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind and self.needs_deadline.get(kind) and not data.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", f"Enter the deadline: the {LetterKind(kind).label} gives one")
        power = data.get("power")
        wanted = self.powers_by_kind.get(kind or "")
        if kind and wanted is not None and "power" in self.fields:
            if not power and wanted:
                self.add_error("power", f"Select the tool or power the {LetterKind(kind).label} concerns")
            elif power and power not in wanted:
                self.add_error("power", f"Select a tool or power of the kind the {LetterKind(kind).label} concerns")
        return data


class ReviewLetterForm(GovukFormMixin, forms.Form):
    deadline = _date_field(
        "Deadline to ask for the review to be looked at again",
        True,
        "The date the applicant must write by. " + DATE_HINT,
    )

    def clean_deadline(self) -> datetime.date:
        value: datetime.date = self.cleaned_data["deadline"]
        return value


class PublicDetailsForm(GovukFormMixin, VersionedFormMixin, forms.Form):
    public_name = forms.CharField(
        label="Name shown to the public",
        max_length=200,
        required=False,
        help_text="Leave blank to use the partnership's name",
        error_messages={"max_length": "Name shown to the public must be 200 characters or fewer"},
    )
    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="A PNG or JPEG image up to 1 MB",
        error_messages={
            "invalid": "Choose a PNG or JPEG file for the logo",
            "empty": "The logo file is empty: choose another",
        },
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)
    address = forms.CharField(
        label="Postal address",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Postal address must be 500 characters or fewer"},
    )
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        error_messages={"max_length": "Phone number must be 40 characters or fewer"},
    )
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.org"},
    )
    help_details = forms.CharField(
        label="How to get help",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown on the public pages, for example who to call if the form does not work for you",
        error_messages={"max_length": "How to get help must be 1,000 characters or fewer"},
    )
    privacy_notice_url = forms.URLField(
        assume_scheme="https",
        label="Privacy notice web address",
        max_length=200,
        required=False,
        help_text="The page on your website with the full privacy notice",
        error_messages={"invalid": "Enter the privacy notice web address in full, starting https://"},
    )
    privacy_notice = forms.CharField(
        label="Privacy notice summary",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Shown on the application page: who holds the information, why, and for how long",
        error_messages={"max_length": "Privacy notice summary must be 3,000 characters or fewer"},
    )

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not logo:
            return logo
        if logo.size > MAX_LOGO_BYTES:
            raise ValidationError("The logo must be 1 MB or smaller")
        extension = logo.name.rsplit(".", 1)[-1].lower() if "." in logo.name else ""
        head = logo.read(8)
        logo.seek(0)
        signature = LOGO_TYPES.get(extension)
        if signature is None or not head.startswith(signature):
            raise ValidationError("The logo must be a PNG or JPEG image")
        return logo
