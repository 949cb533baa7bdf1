"""Abstract models shared by every subject app."""

import datetime
from typing import Any, Self, cast

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from saferhub.core.versioning import VersionedModel


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CreatedModifiedByModel(TimeStampedModel):
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True


class ArchivableQuerySet(models.QuerySet):
    def live(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def archived(self) -> Self:
        return self.filter(archived_at__isnull=False)


class ArchivableModel(models.Model):
    """Records are archived, never deleted: audit and returns must stay reproducible."""

    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    archive_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive(self, user: Any, reason: str = "") -> None:
        self.archived_at = timezone.now()
        self.archived_by = user
        self.archive_reason = reason
        self.save(update_fields=["archived_at", "archived_by", "archive_reason"])


class PartnershipOwnedModel(models.Model):
    """Every tenant-owned row carries its partnership (the future shard key)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class DatedSettingQuerySet(models.QuerySet[Any]):
    def value_on(self, partnership: Any, key: str, on_date: datetime.date, default: int) -> int:
        """The value in effect on `on_date`: the latest row on or before it, else `default`."""
        value = (
            self.filter(partnership_id=getattr(partnership, "pk", partnership), key=key, effective_from__lte=on_date)
            .order_by("-effective_from")
            .values_list("value", flat=True)
            .first()
        )
        return default if value is None else value


class DatedSetting(TimeStampedModel):
    """A setting value in force from `effective_from` until a later row for the same key replaces it.

    Subclasses give `key` its choices and add the per-app unique constraint; a later value is a new
    row, so records stay checked against the value in force when they were made.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=50)
    value = models.IntegerField(validators=[MinValueValidator(0)])
    effective_from = models.DateField()
    source = models.CharField(max_length=300, blank=True, help_text="Where the figure comes from")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["key", "-effective_from"]
        # Limits, amounts and deadlines are never negative (0 means "not used").
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="%(app_label)s_%(class)s_value_not_negative")
        ]

    def __str__(self) -> str:
        # Subclasses give `key` its choices, so the label comes from the concrete field.
        key_field = cast(models.Field, self._meta.get_field("key"))
        label = dict(key_field.flatchoices).get(self.key, self.key)
        return f"{label}: {self.value} from {self.effective_from}"


class ReferenceList(models.TextChoices):
    """The administrator-managed code lists, seeded from shared/domain/codes/."""

    ASB_CASE_CATEGORY = "asb_case_categories", "ASB case categories"
    ASB_TOOL_OR_POWER = "asb_tools_and_powers", "ASB tools and powers"
    ETHNICITY = "ethnicity", "Ethnicity (ONS 2021)"
    FPN_OFFENCE = "fpn_offence_codes", "Fixed penalty offence codes"
    MARAC_REFERRAL_BASIS = "marac_referral_basis", "MARAC referral basis"
    PSPO_CONDITION = "pspo_conditions_example", "PSPO conditions"
    RELATIONSHIP = "relationship_to_victim", "Relationship to victim"
    VCOP_RIGHT = "vcop_rights", "Victims' Code rights"
    VICTIM_HUB_CRIME_TYPE = "victim_hub_crime_types", "Victim Care Hub crime types"
    VICTIM_SUPPORT_TYPE = "victim_support_types", "Victim support types"
    CASE_CLOSURE_REASON = "case_closure_reasons", "Case closure reasons"
    REFERRAL_DECLINE_REASON = "referral_decline_reasons", "Referral decline reasons"


class ReferenceCodeQuerySet(models.QuerySet["ReferenceCode"]):
    def active(self) -> Self:
        return self.filter(active=True)

    def of(self, partnership: Any, code_list: str) -> Self:
        return self.filter(partnership=partnership, code_list=code_list)


class ReferenceCode(TimeStampedModel, VersionedModel):
    """One code in one partnership's list. Disabled, never deleted: old records keep their meaning."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="reference_codes")
    code_list = models.CharField(max_length=50, choices=ReferenceList.choices)
    code = models.CharField(max_length=50)
    label = models.CharField(max_length=255)
    group = models.CharField(max_length=100, blank=True)
    notes = models.CharField(max_length=255, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)

    objects = ReferenceCodeQuerySet.as_manager()

    class Meta:
        ordering = ["code_list", "sort_order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code_list", "code"], name="unique_reference_code"),
        ]

    def __str__(self) -> str:
        return self.label


class WorkerHeartbeat(models.Model):
    """The last time each background worker (`manage.py run_worker`) was alive and taking tasks; /healthz reports it."""

    worker_id = models.CharField(max_length=64, unique=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
