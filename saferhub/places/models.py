"""Places: wards, LSOAs, the LSOA 2011 → 2021 lookup, population figures and locations.

Wards and LSOAs carry their ONS codes (`E05…` wards, `E01…`/`W01…` LSOAs) and are
keyed on them by the `geography` import. Ward names are matched without regard to
case and with `&` equal to `and` (`saferhub.places.matching`). Population figures
are per ONS area code and year; reports choose the year with `population_for`.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Replace

from saferhub.core.models import TimeStampedModel


class WardQuerySet(models.QuerySet["Ward"]):
    def active(self) -> "WardQuerySet":
        return self.filter(active=True)

    def of(self, partnership: object) -> "WardQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Ward(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, blank=True, help_text="ONS ward code")
    # ONS code of the local authority the ward lies in (from the geography import).
    local_authority_code = models.CharField(max_length=9, blank=True)
    active = models.BooleanField(default=True)
    # Bumped by every change: a form carries it so concurrent edits never overwrite each other.
    version = models.PositiveIntegerField(default=1)

    objects = WardQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Names match without regard to case and with "&" = "and" (saferhub.places.matching);
            # the database holds the same rule so two sessions cannot add the same ward at once.
            models.UniqueConstraint(
                Replace(Lower("name"), models.Value("&"), models.Value("and")),
                "partnership",
                name="unique_ward_name_folded",
            ),
            models.UniqueConstraint(
                fields=["partnership", "code"], condition=~Q(code=""), name="unique_ward_code_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class LsoaQuerySet(models.QuerySet["Lsoa"]):
    def active(self) -> "LsoaQuerySet":
        return self.filter(active=True)

    def of(self, partnership: object) -> "LsoaQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2021 boundaries) and the ward it lies in."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="lsoas")
    code = models.CharField("LSOA code", max_length=9, help_text="ONS 2021 LSOA code, e.g. E01000001")
    name = models.CharField(max_length=100)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="lsoas")
    active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)

    objects = LsoaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"
        verbose_name_plural = "LSOAs"
        constraints = [models.UniqueConstraint(fields=["partnership", "code"], name="unique_lsoa_code_per_partnership")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name else self.code


class LsoaChange(models.TextChoices):
    """ONS's change indicator (CHGIND) between the 2011 and 2021 LSOAs."""

    UNCHANGED = "U", "Unchanged"
    SPLIT = "S", "Split"
    MERGED = "M", "Merged"
    IRREGULAR = "X", "Redrawn"


class Lsoa2011Link(models.Model):
    """One row of ONS's LSOA (2011) → LSOA (2021) lookup: a 2011 area and a 2021 area it became.

    A split 2011 LSOA has several rows, merged ones share a 2021 code. Codes ONS kept
    unchanged need no row: a 2011 code equal to a known 2021 code is the same area.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    lsoa11_code = models.CharField("2011 LSOA code", max_length=9)
    lsoa11_name = models.CharField(max_length=100, blank=True)
    lsoa21_code = models.CharField("2021 LSOA code", max_length=9)
    lsoa21_name = models.CharField(max_length=100, blank=True)
    change = models.CharField(max_length=1, choices=LsoaChange.choices, blank=True)

    class Meta:
        ordering = ["lsoa11_code", "lsoa21_code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "lsoa11_code", "lsoa21_code"], name="unique_lsoa_2011_link")
        ]
        indexes = [models.Index(fields=["partnership", "lsoa11_code"], name="lsoa2011_link_by_code")]

    def __str__(self) -> str:
        return f"{self.lsoa11_code} → {self.lsoa21_code}"


class PopulationMeasure(models.TextChoices):
    RESIDENTS = "residents", "Residents"
    HOUSEHOLDS = "households", "Households"
    WOMEN_16_PLUS = "women_16_plus", "Women aged 16 and over"
    AGED_10_17 = "aged_10_17", "People aged 10 to 17"


# `area_code` of a figure for the partnership as a whole, when its area is not a set of ONS areas.
WHOLE_PARTNERSHIP = ""


class Population(TimeStampedModel):
    """One population figure: an ONS area, the year it describes, what it counts."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(
        max_length=9, blank=True, help_text="ONS code of a local authority, ward or LSOA; blank for the partnership"
    )
    area_name = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField()
    measure = models.CharField(max_length=20, choices=PopulationMeasure.choices)
    value = models.PositiveIntegerField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["area_code", "measure", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "area_code", "measure", "year"], name="unique_population_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area_name or self.area_code or 'Partnership'} {self.year}: {self.value} {self.measure}"


class Location(TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="locations")
    address = models.CharField(max_length=500, help_text="Address or a description of the place")
    postcode = models.CharField(max_length=10, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="locations")
    lsoa = models.CharField("LSOA code", max_length=12, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    def __str__(self) -> str:
        return ", ".join(p for p in [self.address, self.postcode] if p)
