"""Files attached to a case, a referral or a panel meeting.

A file is kept under the media root (outside the web root, never served by the web server)
with a random name; it is read only through ``search.casefile_views.attachment_download``, which asks
the policy (``policy.attachments``) and audits the download as an export. ``manage.py backup``
archives the media root, so attachments are in every backup.
"""

import uuid

from django.conf import settings
from django.db import models

from saferhub.core.models import TimeStampedModel


def _attachment_path(attachment: "Attachment", filename: str) -> str:
    # Never the uploaded name: a random one under the partnership's directory.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"attachments/{attachment.partnership_id}/{uuid.uuid4().hex}.{extension}"


class Attachment(TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    # Exactly one of these three: what the file is attached to.
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments")
    referral = models.ForeignKey(
        "cases.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    meeting = models.ForeignKey(
        "panels.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    description = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    filename = models.CharField(max_length=120, help_text="The uploaded name, made safe")
    content_type = models.CharField(max_length=100, help_text="From the file's content, not what the browser said")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(case__isnull=False, referral__isnull=True, meeting__isnull=True)
                    | models.Q(case__isnull=True, referral__isnull=False, meeting__isnull=True)
                    | models.Q(case__isnull=True, referral__isnull=True, meeting__isnull=False)
                ),
                name="attachment_has_one_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def parent(self) -> models.Model:
        parent = self.case or self.referral or self.meeting
        assert parent is not None  # noqa: S101 - the check constraint guarantees one
        return parent
