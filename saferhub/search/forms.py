"""The header's search box and the attachment upload."""

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.core.uploads import OFFICE_AND_PDF, CheckedUpload, UploadRefused, check_upload
from saferhub.search.engine import MAX_QUERY_LENGTH

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_KINDS = (*OFFICE_AND_PDF, "png", "jpg")
ATTACHMENT_KINDS_TEXT = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG or JPEG"


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(
        label="Search",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        help_text="A name, alias, date of birth, identifier, case reference, referral number or service",
        error_messages={"max_length": f"Search must be {MAX_QUERY_LENGTH} characters or fewer"},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false", "autocomplete": "off"}),
    )


class AttachmentForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="File",
        help_text=f"A {ATTACHMENT_KINDS_TEXT} file of 20 MB or less.",
        error_messages={
            "required": "Choose the file to attach",
            "empty": "The file you chose is empty: choose the file to attach",
        },
    )
    description = forms.CharField(
        label="What the file is",
        max_length=200,
        required=False,
        help_text="For example, “Photograph of the damage to the door”",
        error_messages={"max_length": "What the file is must be 200 characters or fewer"},
    )

    def clean_file(self) -> CheckedUpload:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(
                "The file is larger than 20 MB: reduce its size (for example, compress its pictures)"
            )
        try:
            return check_upload(
                upload.name or "",
                upload.read(MAX_ATTACHMENT_BYTES + 1),
                kinds=ATTACHMENT_KINDS,
                accepted=ATTACHMENT_KINDS_TEXT,
                max_bytes=MAX_ATTACHMENT_BYTES,
            )
        except UploadRefused as refused:
            raise forms.ValidationError(str(refused)) from refused
