"""Action plans with their commitments, and the activities register.

A commitment's status is never overwritten: each dated status is a `CommitmentUpdate`,
so a return for any period reads the status as it stood on the period's last day.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saferhub.core.models import TimeStampedModel
from saferhub.core.versioning import VersionedModel


class CommitmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    IN_PROGRESS = "in_progress", "In progress"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETED = "completed", "Completed"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    # Not rated (e.g. not started): stored as blank, reported as "none".
    NONE = "", "Not rated"


# A blank RAG is derived from the status (INTERCHANGE.md, "Import action-plan").
RAG_OF_STATUS = {
    CommitmentStatus.ON_TRACK: Rag.GREEN,
    CommitmentStatus.COMPLETED: Rag.GREEN,
    CommitmentStatus.IN_PROGRESS: Rag.AMBER,
    CommitmentStatus.AT_RISK: Rag.AMBER,
    CommitmentStatus.OFF_TRACK: Rag.RED,
    CommitmentStatus.NOT_STARTED: Rag.NONE,
}


def derived_rag(status: str) -> str:
    return str(RAG_OF_STATUS[CommitmentStatus(status)])


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    def of(self, partnership: object) -> "ActionPlanQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class ActionPlan(VersionedModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="action_plans")
    name = models.CharField(max_length=200)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "partnership", name="unique_action_plan_name_per_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def of(self, partnership: object) -> "CommitmentQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Commitment(VersionedModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="commitments")
    # Blank for commitments added on the pages; unique within the partnership otherwise.
    external_ref = models.CharField(max_length=100, blank=True)
    priority = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    owner = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A named officer owning it, as well as or instead of an organisation (an action from a ward walk's issue).
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phase = models.CharField(max_length=100, blank=True)
    due_on = models.DateField(null=True, blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_commitment_external_ref",
            )
        ]
        indexes = [models.Index(fields=["plan", "priority"])]

    def __str__(self) -> str:
        return self.text[:80]


class CommitmentUpdate(TimeStampedModel):
    """A commitment's status as of one day; one entry per commitment and day."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    updated_on = models.DateField()
    status = models.CharField(max_length=20, choices=CommitmentStatus.choices)
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True)
    text = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commitment", "updated_on"], name="one_commitment_update_per_day")
        ]
        ordering = ["-updated_on"]

    def __str__(self) -> str:
        return f"{self.updated_on}: {self.get_status_display()}"


class ActivityKind(models.TextChoices):
    TRAINING = "training", "Training"
    NETWORK_MEETING = "network_meeting", "Network meeting"
    AWARENESS = "awareness", "Awareness event"
    WARD_WALK = "ward_walk", "Ward walk"
    OUTREACH = "outreach", "Outreach session"
    OTHER = "other", "Other"


class Audience(models.TextChoices):
    SCHOOL = "school", "Schools"
    POLICE = "police", "Police"
    COUNCIL = "council", "Council"
    VOLUNTARY = "voluntary", "Voluntary sector"
    HEALTH = "health", "Health"
    RESIDENTS = "residents", "Residents"
    MIXED = "mixed", "Mixed"


class ActivityQuerySet(models.QuerySet["Activity"]):
    def of(self, partnership: object) -> "ActivityQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))

    def held_between(self, date_from: object, date_to: object) -> "ActivityQuerySet":
        return self.filter(held_on__range=(date_from, date_to))


class Activity(VersionedModel, TimeStampedModel):
    """A training session, network meeting, awareness event, ward walk or outreach session."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    external_ref = models.CharField(max_length=100, blank=True)
    held_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    # A programme slug such as `restorative_justice`; cumulative figures are per programme.
    programme = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices, blank=True)
    # Who attended as a body (a school, a police unit): free text, as schools are not partner agencies.
    organisation = models.CharField(max_length=200, blank=True)
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    participants = models.PositiveIntegerField()
    feedback_responses = models.PositiveIntegerField(null=True, blank=True)
    feedback_positive = models.PositiveIntegerField(null=True, blank=True)
    # A detached outreach session recorded by the missing children coordinators: the place of concern it
    # was held at and what they passed on. Both are the team's intelligence: shown on the missing pages
    # only (`policy.visible_outreach_sessions`), never on the register, in its import or its return.
    place = models.ForeignKey(
        "missing.PlaceOfConcern", on_delete=models.PROTECT, null=True, blank=True, related_name="outreach_sessions"
    )
    concerns_passed_on = models.TextField(blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_activity_external_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(feedback_positive__isnull=True)
                | models.Q(feedback_responses__isnull=False, feedback_positive__lte=models.F("feedback_responses")),
                name="activity_positive_within_responses",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "held_on"]), models.Index(fields=["partnership", "programme"])]

    def __str__(self) -> str:
        return self.title

    @property
    def programme_label(self) -> str:
        """`restorative_justice` → "Restorative justice": labels, not codes, on the pages."""
        return self.programme.replace("_", " ").capitalize()
