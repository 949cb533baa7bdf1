"""Forms for the directory of support services."""

from typing import Any

from django import forms
from django.db.models.functions import Lower

from saferhub.accounts.models import Agency
from saferhub.core.forms import GovukFormMixin
from saferhub.core.types import model_choice_field
from saferhub.core.versioning import VersionedFormMixin
from saferhub.directory.models import Area, Category, Service


class ServiceSearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name or description", max_length=100, required=False)
    category = forms.ChoiceField(label="Helps with", choices=[("", "Anything"), *Category.choices], required=False)


class ServiceForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the service’s name"})
    categories = forms.MultipleChoiceField(
        label="What the service helps with",
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing the service helps with"},
    )
    description = forms.CharField(
        label="What it offers and to whom", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    area = forms.ChoiceField(label="Area covered", choices=Area.choices, widget=forms.RadioSelect, initial=Area.LOCAL)
    area_notes = forms.CharField(
        label="Area details", max_length=200, required=False, help_text="For example, the boroughs it covers."
    )
    how_to_refer = forms.CharField(
        label="How to refer",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say how to refer someone to the service"},
    )
    phone = forms.CharField(label="Phone", max_length=50, required=False)
    email = forms.EmailField(
        label="E-mail address",
        required=False,
        error_messages={"invalid": "Enter an e-mail address in the correct format, like name@example.org"},
    )
    website = forms.URLField(
        label="Website",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website address in the correct format, like https://www.example.org"},
    )
    agency = forms.ModelChoiceField(
        label="Agency in Saferhub",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="None",
        help_text="When the service is one of the partnership's agencies.",
    )

    FIELDS = ("name", "description", "area", "area_notes", "how_to_refer", "phone", "email", "website", "agency")

    def __init__(self, *args: Any, partnership_id: int | None, service: Service | None = None, **kwargs: Any) -> None:
        if service is not None:
            kwargs.setdefault("initial", {name: getattr(service, name) for name in self.FIELDS})
            kwargs["initial"]["categories"] = list(service.categories.values_list("category", flat=True))
        super().__init__(*args, **kwargs)
        self.partnership_id = partnership_id
        self.service = service
        model_choice_field(self, "agency").queryset = Agency.objects.live().filter(partnership_id=partnership_id)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        # None matches no row. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
        others = Service.objects.annotate(lname=Lower("name")).filter(
            partnership_id=self.partnership_id,  # type: ignore[misc]
            lname=name.lower(),
        )
        if self.service is not None:
            others = others.exclude(pk=self.service.pk)
        if others.exists():
            raise forms.ValidationError(f"The directory already has a service called '{name}'")
        return name

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {name: data[name] for name in self.FIELDS}
        for name in ("description", "area_notes", "how_to_refer", "phone"):
            values[name] = values[name].strip()
        return values


class ServiceEditForm(VersionedFormMixin, ServiceForm):
    """Changing a service: carries the version seen, so two people editing at once never overwrite each other."""

    def __init__(self, *args: Any, partnership_id: int | None, service: Service, **kwargs: Any) -> None:
        super().__init__(*args, partnership_id=partnership_id, service=service, **kwargs)
        self.initial.setdefault("version", service.version)


class ArchiveForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why is the service leaving the directory?",
        max_length=255,
        error_messages={"required": "Give the reason"},
    )
