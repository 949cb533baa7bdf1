"""The person index: everyone a case is about, with what is known of them."""

import datetime
from typing import Self

from django.db import models

from saferhub.core.models import ArchivableModel, ArchivableQuerySet, CreatedModifiedByModel
from saferhub.core.versioning import VersionedModel


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_STATED = "not_stated", "Not stated"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class PersonQuerySet(ArchivableQuerySet):
    def search(self, text: str) -> Self:
        """Match every word against names (trigram-indexed on PostgreSQL, see people.search), aliases, identifiers."""
        from django.db import connection

        from saferhub.people.search import name_matches

        qs = self
        for word in text.split():
            qs = qs.filter(
                name_matches(word, connection.vendor)
                | models.Q(aliases__name__icontains=word)
                | models.Q(identifiers__value__iexact=word)
            )
        return qs.distinct()


class Person(CreatedModifiedByModel, ArchivableModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="people")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    # When no date of birth is known: age in whole years on age_recorded_on.
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    age_recorded_on = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, blank=True)
    ethnicity = models.CharField(max_length=50, blank=True, help_text="ONS 2021 code")
    disability = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    first_language = models.CharField(max_length=100, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    # Source system's id: links repeat referrals to one person across imports.
    external_ref = models.CharField(max_length=100, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["partnership", "last_name", "first_name"], name="person_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_person_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or f"Unnamed person {self.pk}"

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.age is not None:
            since = self.age_recorded_on or day
            return self.age + max(0, (day - since).days // 365)
        return None


class Alias(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name


class ContactKind(models.TextChoices):
    PHONE = "phone", "Phone"
    EMAIL = "email", "E-mail"
    ADDRESS = "address", "Address"


class ContactDetail(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contact_details")
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    value = models.CharField(max_length=500)
    # A confidential detail (e.g. a refuge address) is never shown outside the owning team.
    confidential = models.BooleanField(default=False)
    safe_to_contact = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class Identifier(models.Model):
    """An id for the person in another system (police, NHS, housing)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    system = models.CharField(max_length=100)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "system", "value"], name="unique_person_identifier")]

    def __str__(self) -> str:
        return f"{self.system}: {self.value}"
