"""Published police data (MPS recorded crime, data.police.uk) and the dashboard's commentary.

Published figures are aggregates about places, never about people, but each partnership
imports its own copy: every row carries its partnership like any other tenant data.
"""

from django.conf import settings
from django.db import models

from saferhub.core.models import TimeStampedModel


class Level(models.TextChoices):
    BOROUGH = "borough", "Local authority"
    WARD = "ward", "Ward"


class Publisher(models.TextChoices):
    MPS = "mps", "Metropolitan Police Service"


class CrimeFile(models.Model):
    """One published file as imported; counts and rows remember it."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=50)
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    layout = models.CharField(max_length=30, blank=True)
    first_month = models.DateField(null=True, blank=True)
    last_month = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "sha256"], name="crime_file_unique_content")
        ]

    def __str__(self) -> str:
        return self.name


class RecordedCrime(models.Model):
    """One cell of a published wide table: an area's count of one minor category in one month.

    `area_code` is the ONS code of the local authority (borough level) or ward (ward level); a
    publisher's pseudo-area (airports, "Unknown") has a code of its own and `ranked` false.
    `authority_code` is the local authority the area lies in (itself at borough level).
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    publisher = models.CharField(max_length=10, choices=Publisher.choices, default=Publisher.MPS)
    level = models.CharField(max_length=10, choices=Level.choices)
    area_code = models.CharField(max_length=60)
    area_name = models.CharField(max_length=120)
    authority_code = models.CharField(max_length=60, blank=True)
    ranked = models.BooleanField(default=True)
    major = models.CharField(max_length=120)
    minor = models.CharField(max_length=120)
    month = models.DateField(help_text="First day of the month")
    count = models.IntegerField()
    source = models.ForeignKey(CrimeFile, on_delete=models.PROTECT, related_name="counts")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "publisher", "level", "area_code", "major", "minor", "month"],
                name="recorded_crime_unique_cell",
            )
        ]
        indexes = [
            models.Index(fields=["partnership", "level", "authority_code", "month"], name="recorded_crime_area_idx"),
            models.Index(fields=["partnership", "level", "month"], name="recorded_crime_month_idx"),
            models.Index(fields=["partnership", "level", "area_code", "month"], name="recorded_crime_cell_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} {self.minor} {self.month:%Y-%m}: {self.count}"


class CrimeGroup(models.Model):
    """A group a partnership defines from minor categories (knife crime, residential burglary …)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    minor_categories = models.JSONField(default=list)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="crime_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class Commentary(TimeStampedModel):
    """An analyst's words on a group for a quarter, shown in the dashboard and the board pack."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=120)
    quarter = models.CharField(max_length=12, help_text="Financial quarter, e.g. 2025/26 Q3")
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["quarter", "group"]
        verbose_name_plural = "commentary"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "group", "quarter"], name="commentary_unique_group_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.quarter}"


class PoliceRecord(models.Model):
    """Fields common to the data.police.uk street and outcome rows."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(CrimeFile, on_delete=models.PROTECT, related_name="+")
    # The Crime ID where there is one; otherwise a digest of the row and its occurrence in the file.
    row_key = models.CharField(max_length=80)
    crime_id = models.CharField(max_length=80, blank=True)
    month = models.DateField()
    reported_by = models.CharField(max_length=100, blank=True)
    falls_within = models.CharField(max_length=100)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField(max_length=12, blank=True)
    lsoa_name = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField(max_length=12, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.falls_within} {self.month:%Y-%m} {self.crime_id or self.row_key}"


class StreetCrime(PoliceRecord):
    crime_type = models.CharField(max_length=100)
    last_outcome = models.CharField(max_length=200, blank=True)
    context = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "falls_within", "month", "row_key"], name="street_crime_unique_row"
            )
        ]
        indexes = [models.Index(fields=["partnership", "month", "lsoa_code"], name="street_crime_lsoa_idx")]


class CrimeOutcome(PoliceRecord):
    outcome_type = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "falls_within", "month", "row_key"], name="crime_outcome_unique_row"
            )
        ]


class StopSearch(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(CrimeFile, on_delete=models.PROTECT, related_name="+")
    # The month a file covers: a later file for the same force and month replaces it.
    falls_within = models.CharField(max_length=100)
    month = models.DateField()
    row_key = models.CharField(max_length=80)
    search_type = models.CharField(max_length=60)
    searched_at = models.DateTimeField()
    part_of_operation = models.CharField(max_length=10, blank=True)
    operation = models.CharField(max_length=200, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    gender = models.CharField(max_length=30, blank=True)
    age_range = models.CharField(max_length=30, blank=True)
    self_defined_ethnicity = models.CharField(max_length=200, blank=True)
    officer_defined_ethnicity = models.CharField(max_length=60, blank=True)
    legislation = models.CharField(max_length=200, blank=True)
    object_of_search = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    outcome_linked = models.CharField(max_length=10, blank=True)
    removal_of_clothing = models.CharField(max_length=10, blank=True)
    # Placed by point in polygon against the partnership's boundaries (geography.py); blank when outside them all.
    # A database default too: the import inserts rows with SQL, not the ORM.
    ward_code = models.CharField(max_length=12, blank=True, default="", db_default="")
    lsoa_code = models.CharField(max_length=12, blank=True, default="", db_default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "falls_within", "month", "row_key"], name="stop_search_unique_row"
            )
        ]
        indexes = [models.Index(fields=["partnership", "month", "ward_code"], name="stop_search_ward_idx")]

    def __str__(self) -> str:
        return f"{self.search_type} {self.searched_at:%Y-%m-%d %H:%M}"


class Boundary(models.Model):
    """An area's shape (ONS boundaries, GeoJSON longitude/latitude) for the dashboard's maps."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=10)  # "ward" or "lsoa"
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=120, blank=True)
    # GeoJSON geometry: {"type": "Polygon" | "MultiPolygon", "coordinates": …}
    geometry = models.JSONField()
    # The bounding box (longitude west/east, latitude south/north): the database's first sieve when placing points.
    west = models.FloatField(null=True, blank=True)
    south = models.FloatField(null=True, blank=True)
    east = models.FloatField(null=True, blank=True)
    north = models.FloatField(null=True, blank=True)
    source = models.ForeignKey(CrimeFile, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["level", "code"]
        constraints = [models.UniqueConstraint(fields=["partnership", "code"], name="boundary_unique_code")]

    def __str__(self) -> str:
        return f"{self.name or self.code} ({self.level})"
