"""A record of every import attempt, successful or not."""

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Refused: errors found"
    CHECKED = "checked", "Checked (dry run)"


class ImportRun(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    # Null when the import ran from the command line.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    organisations_created = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The first problems found, kept so a refused import can be looked at later.
    errors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-started_at"], name="import_run_started_idx")]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename}"
