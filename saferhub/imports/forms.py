from typing import Any

from django import forms

from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import choice_field
from saferhub.imports.registry import all_kinds

# Uploads larger than this are refused before reading (a sanity limit, not a memory one: files are streamed).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class UploadForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="What does the file hold?", widget=forms.RadioSelect)
    file = forms.FileField(
        label="CSV file",
        help_text="A UTF-8 CSV file with a header row. Nothing is written unless every row is valid.",
        error_messages={"required": "Choose a CSV file to import", "empty": "The file you chose is empty"},
    )
    dry_run = forms.BooleanField(
        label="Check the file only (dry run): report what would happen without writing anything",
        required=False,
        initial=True,
    )
    create_organisations = forms.BooleanField(
        label="Create organisations named in the file that the partnership does not have yet", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = [(kind.slug, kind.title) for kind in all_kinds()]
        self.fields["kind"].error_messages["required"] = "Choose what the file holds"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 200 MB: split it into smaller files")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file (ending .csv)")
        return upload
