"""Locations, wards and LSOAs."""

from django.db import models

from saferhub.core.models import TimeStampedModel


class Ward(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="wards")
    name = models.CharField(max_length=100)
    code = models.CharField(max_length=20, blank=True, help_text="ONS ward code")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_ward_name")]

    def __str__(self) -> str:
        return self.name


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
