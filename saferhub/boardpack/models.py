"""The board pack: the partnership's quarterly performance report to its board, in versions.

A `BoardPack` is a draft until issued. Issuing keeps what the board saw (`IssuedPack`: the
DOCX, its publishable variant and the JSON listing its contents) so later changes to the
data never change an issued pack; an issued pack is never edited, a new version is started
from it instead.
"""

from django.conf import settings
from django.db import models

from saferhub.core.models import CreatedModifiedByModel
from saferhub.core.versioning import VersionedModel


class PackStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    # A big pack is built by the task worker: neither changed nor issued twice meanwhile.
    ISSUING = "issuing", "Being issued"
    ISSUED = "issued", "Issued"


class BoardPackQuerySet(models.QuerySet["BoardPack"]):
    def of(self, partnership: object) -> "BoardPackQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))

    def issued(self) -> "BoardPackQuerySet":
        return self.filter(status=PackStatus.ISSUED)


DEFAULT_TITLE = "Community safety performance report"


class BoardPack(VersionedModel, CreatedModifiedByModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="board_packs")
    title = models.CharField(max_length=200, default=DEFAULT_TITLE)
    # The financial quarter (or other period) the figures cover, e.g. "2026/27 Q2".
    period_label = models.CharField(max_length=40)
    date_from = models.DateField()
    date_to = models.DateField()
    # The meeting that considers the pack, as free text until boards and meetings can be linked.
    meeting_title = models.CharField(max_length=200, blank=True)
    meeting_date = models.DateField(null=True, blank=True)
    report_of = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    # Keys of the chosen sections (`saferhub.boardpack.sections`), in the order they are printed.
    sections = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.DRAFT)
    # Versions of one pack: a new draft started from an issued pack carries the next number.
    number = models.PositiveIntegerField(default=1)
    previous = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Why the last background issue failed (the pack is a draft again), shown on its page.
    issue_error = models.TextField(blank=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-date_to", "-number", "-pk"]
        indexes = [models.Index(fields=["partnership", "-date_to"], name="board_pack_period_idx")]

    def __str__(self) -> str:
        return f"{self.title}, {self.period_label} (version {self.number})"

    @property
    def is_issued(self) -> bool:
        return self.status == PackStatus.ISSUED

    @property
    def is_draft(self) -> bool:
        return self.status == PackStatus.DRAFT


class IssuedPack(models.Model):
    """What the board saw, byte for byte, kept apart so listing packs never reads the files."""

    pack = models.OneToOneField(BoardPack, on_delete=models.PROTECT, related_name="issue")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contents_json = models.TextField()
    docx = models.BinaryField()
    publishable_docx = models.BinaryField()

    def __str__(self) -> str:
        return f"Issued {self.pack}"
