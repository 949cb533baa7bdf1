"""Reports built in the background: a request for a big report, then the file the worker built."""

from django.conf import settings
from django.db import models


class BuildStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Building"
    DONE = "done", "Ready to download"
    FAILED = "failed", "Failed"


class ReportBuild(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=50)
    date_from = models.DateField()
    date_to = models.DateField()
    # The report kind's own options (e.g. a panel type), as run_report takes them.
    options = models.JSONField(default=dict, blank=True)
    format = models.CharField(max_length=10)
    publish = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=BuildStatus.choices, default=BuildStatus.QUEUED)
    # Rows the period covers (the kind's count_rows) when it was asked for.
    rows_total = models.PositiveIntegerField(default=0)
    # The built file's name in REPORT_BUILD_DIR, and the name it is downloaded as.
    file_name = models.CharField(max_length=100, blank=True)
    download_name = models.CharField(max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "-created_at"], name="report_build_created_idx")]

    def __str__(self) -> str:
        return f"{self.kind} report ({self.format}) {self.date_from} to {self.date_to}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)
