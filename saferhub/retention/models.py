"""How long each kind of record is kept after it closes, and the record of each erasure.

No national period exists: the partnership's information sharing agreement sets one per
record type (here, per case type), often "the end of the year of closure plus 6 years".
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from saferhub.core.models import TimeStampedModel
from saferhub.core.versioning import VersionedModel

# Used for a case type with no rule of its own: the end of the year of closure plus 6 years.
DEFAULT_YEARS = 6


def keep_until(closed_on: datetime.date, years: int) -> datetime.date:
    """The last day a record closed on `closed_on` is kept: 31 December of the closure year plus `years`."""
    return datetime.date(closed_on.year + years, 12, 31)


class RetentionRule(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case_type = models.OneToOneField("cases.CaseType", on_delete=models.PROTECT, related_name="retention_rule")
    years = models.PositiveSmallIntegerField(
        default=DEFAULT_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Kept until the end of the year of closure plus this many years",
    )
    basis = models.CharField(
        max_length=300, blank=True, help_text="Where the period comes from, e.g. the information sharing agreement"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["case_type__name"]
        verbose_name = "retention period"

    def __str__(self) -> str:
        return f"{self.case_type}: end of the year of closure plus {self.years} years"


class Erasure(models.Model):
    """A closed case whose personal data was erased after its retention period; the case row stays for returns."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="erasure")
    erased_at = models.DateTimeField()
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    years = models.PositiveSmallIntegerField(help_text="The retention period applied")
    kept_until = models.DateField()
    # What was erased: counts per kind of record, never the data itself.
    detail = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of case {self.case_id} on {self.erased_at:%-d %B %Y}"
