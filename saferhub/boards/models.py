"""Boards and their subgroups, their members, meetings, agenda items with papers, minutes, actions and the
forward work programme.

An agenda item may be *restricted* (exempt from publication): the published agenda and minutes show only
"Item N: restricted", and its papers, minutes, decisions and actions are for the board's members and
secretariat only (`saferhub.policy.boards`). An action stays open, and is listed under the matters arising
of every later meeting of its board, until it is marked done.
"""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saferhub.core.models import TimeStampedModel
from saferhub.core.versioning import VersionedModel


class PartnershipQuerySet(models.QuerySet[Any]):
    def of(self, partnership: object) -> Any:
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Board(VersionedModel, TimeStampedModel):
    """The partnership board, or a subgroup of it (a delivery group) when it has a parent."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="subgroups", verbose_name="reports to"
    )
    purpose = models.TextField(blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), "partnership", name="unique_board_name_per_partnership")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"
    SECRETARIAT = "secretariat", "Secretariat"


class MemberQuerySet(PartnershipQuerySet):
    def current(self, on: datetime.date) -> Any:
        return self.filter(started_on__lte=on).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=on))


class BoardMember(VersionedModel, TimeStampedModel):
    """A seat on a board: a person, the organisation they represent (a partner agency or a named outside
    organisation) and their role, from a start date to an optional end date. `user` links the seat to a
    Saferhub account, which then reads the board's full (unpublished) papers."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="board_seats"
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
                name="board_member_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.organisation_name}" if self.organisation_name else self.name

    @property
    def organisation_name(self) -> str:
        return self.agency.name if self.agency_id and self.agency else self.organisation

    def is_current(self, on: datetime.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(VersionedModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    place = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    # "The meeting finished at 12.00 pm" in the minutes.
    finished_at = models.TimeField(null=True, blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        from django.utils import timezone

        local = timezone.localtime(self.starts_at)
        return f"{self.board.name}, {local.day} {local:%B %Y}"


class AgendaItem(VersionedModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    # Who presents it: a name and role, often from outside the partnership's agencies.
    owner = models.CharField(max_length=200, blank=True)
    minutes_allotted = models.PositiveSmallIntegerField(null=True, blank=True)
    restricted = models.BooleanField(default=False)
    restriction_reason = models.CharField(max_length=300, blank=True)
    minutes = models.TextField(blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="one_agenda_item_number_per_meeting")]

    def __str__(self) -> str:
        return f"Item {self.number}: {self.title}"


class Decision(TimeStampedModel):
    """One "RESOLVED" line of an item's minutes."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"RESOLVED: {self.text}"


def _paper_path(paper: "Paper", filename: str) -> str:
    # Never the uploaded name: a random one under the partnership's directory.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"board-papers/{paper.partnership_id}/{uuid.uuid4().hex}.{extension}"


class Paper(TimeStampedModel):
    """A paper attached to an agenda item: kept under the media root, served only through the policy."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_paper_path, max_length=200)
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class Attendance(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    substitute = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.get_status_display()}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class BoardActionQuerySet(PartnershipQuerySet):
    def carried_to(self, meeting: Meeting) -> Any:
        """Actions of the meeting's board raised at earlier meetings and not done before it began."""
        return self.filter(board_id=meeting.board_id, meeting__starts_at__lt=meeting.starts_at).filter(
            models.Q(completed_on__isnull=True) | models.Q(completed_on__gte=meeting.starts_at.date())
        )


class BoardAction(VersionedModel, TimeStampedModel):
    """An action agreed at a meeting; carried to every later meeting of the board until done."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    # The item it arose from: an action of a restricted item is restricted too.
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    text = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    update = models.TextField(blank=True)
    completed_on = models.DateField(null=True, blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = BoardActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="board_action_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def restricted(self) -> bool:
        return bool(self.item_id and self.item and self.item.restricted)


class ForwardItem(VersionedModel, TimeStampedModel):
    """An item of the board's forward work programme, planned for a future meeting (or not yet placed)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="forward_items")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="forward_items")
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.title
