"""A record of every import attempt, successful or not."""

from django.conf import settings
from django.db import models


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    SUCCEEDED = "succeeded", "Imported"
    FAILED = "failed", "Refused: errors found"
    CHECKED = "checked", "Checked (dry run)"


class ImportRun(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=50)
    filename = models.CharField(max_length=255)
    started_at = models.DateTimeField()
    # Null while a background import is queued or running.
    finished_at = models.DateTimeField(null=True, blank=True)
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
    # Progress of a background import: rows read of (about) the file's rows; error_count is kept up to date.
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    # A background import: its options, and the upload's name in IMPORT_UPLOAD_DIR until it has run.
    create_organisations = models.BooleanField(default=False)
    upload_name = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-started_at"], name="import_run_started_idx")]

    def __str__(self) -> str:
        return f"{self.kind} import of {self.filename}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)

    @property
    def summary(self) -> str:
        text = f"{self.created_count} created, {self.updated_count} updated, {self.unchanged_count} unchanged"
        if self.organisations_created:
            text += f" ({self.organisations_created} new organisations)"
        return text

    @property
    def percent_done(self) -> int:
        if self.is_finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
