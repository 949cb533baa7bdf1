"""Issues raised on an activity (a ward walk's concerns, one per row), each turnable into an action.

An issue becomes a commitment of one of the partnership's action plans (`Commitment`): the plan's page
lists it with its owner, due date and dated status history, it counts in the `action-plan` return, and it
links back to the issue and its activity. Issues name organisations, never residents.
"""

from django.conf import settings
from django.db import models

from saferhub.core.models import TimeStampedModel
from saferhub.core.versioning import VersionedModel


class ActivityIssueQuerySet(models.QuerySet["ActivityIssue"]):
    def of(self, partnership: object) -> "ActivityIssueQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class ActivityIssue(VersionedModel, TimeStampedModel):
    """One issue raised on an activity: what it is, where (a ward and/or a place described), and the
    organisation that raised it; `commitment` is the action it was turned into."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("governance.Activity", on_delete=models.PROTECT, related_name="issues")
    text = models.TextField()
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(max_length=200, blank=True)
    raised_by = models.CharField(max_length=200)
    commitment = models.OneToOneField(
        "governance.Commitment", on_delete=models.PROTECT, null=True, blank=True, related_name="activity_issue"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ActivityIssueQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "issue raised"
        verbose_name_plural = "issues raised"

    def __str__(self) -> str:
        return self.text[:80]
