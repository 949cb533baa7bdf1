"""The person index: everyone a case is about, with what is known of them."""

import datetime
from typing import Any, Self

from django.conf import settings
from django.db import models

from saferhub.core.models import ArchivableModel, ArchivableQuerySet, CreatedModifiedByModel, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.people.matching import alias_keys, name_keys


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

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list["Person"]:  # type: ignore[override]
        """Bulk imports skip `save()`: the phonetic keys are set here instead."""
        objs = list(objs)
        for person in objs:
            person.set_name_keys()
        return super().bulk_create(objs, *args, **kwargs)


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
    # Metaphone keys of the names (people.matching), kept by save(): "Smyth" finds "Smith".
    first_name_key = models.CharField(max_length=100, blank=True, editable=False)
    last_name_key = models.CharField(max_length=100, blank=True, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["partnership", "last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["partnership", "last_name_key", "date_of_birth"], name="person_last_key_idx"),
            models.Index(fields=["partnership", "first_name_key", "date_of_birth"], name="person_first_key_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_person_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def set_name_keys(self) -> None:
        self.first_name_key, self.last_name_key = name_keys(self.first_name, self.last_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_name_keys()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)

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
    # Metaphone keys of the alias's first word and the rest (people.matching), kept by save().
    first_name_key = models.CharField(max_length=100, blank=True, editable=False, db_index=True)
    last_name_key = models.CharField(max_length=100, blank=True, editable=False, db_index=True)

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.first_name_key, self.last_name_key = alias_keys(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "first_name_key", "last_name_key"}
        super().save(*args, **kwargs)


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


# Duplicates and merges -------------------------------------------------------------


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "Awaiting review"
    NOT_DUPLICATE = "not_duplicate", "Not the same person"
    MERGED = "merged", "Merged"


class DuplicateCandidate(TimeStampedModel):
    """Two records that may be one person (same date of birth, similar name): the review queue's rows.

    `person_a` is always the older record (lower pk), so a pair is recorded once.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="unique_duplicate_pair"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="duplicate_pair_ordered"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "status", "-score"], name="duplicate_queue_idx")]

    def __str__(self) -> str:
        return f"Possible duplicate: {self.person_a_id} and {self.person_b_id}"


class PersonMerge(TimeStampedModel, VersionedModel):
    """One merge of two records of a person, with what moved, so that it can be undone.

    The merged record is archived, never deleted: its audit trail (and the kept one's) stays whole.
    `moved` maps "app_label.Model.field" to the pks of the rows moved to the kept person;
    `filled` maps each field of the kept person filled in from the merged one to its value before.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_absorbed")
    moved = models.JSONField(default=dict)
    filled = models.JSONField(default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Merge of person {self.merged_id} into {self.kept_id}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
