"""Missing children and exploitation: episodes, strategy meetings, return home interviews, contextual safeguarding.

A child's record is a case of type `missing` (owned by the team holding the `missing` duty)
with a `MissingChild` beside it naming the child. Episodes hang off the child; each carries
the deadlines computed when it is recorded or changed (from `MissingSetting` rows in force),
so overdue lists are indexed queries. Places of concern, groups and themes are the
partnership's contextual safeguarding map; `IntelLink` rows join a child, place, group or
theme to another, each with its source, date and who may see it (``policy.missing``).
"""

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models

from saferhub.core.models import DatedSetting, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.people.models import YesNoUnknown

if TYPE_CHECKING:
    from saferhub.core.access import Access


class MissingTeam(TimeStampedModel):
    """Which team holds the `missing` duty: the missing-children coordinators."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")


class SettingKey(models.TextChoices):
    LONG_MISSING_HOURS = "long_missing_hours", "Hours missing before a strategy meeting is due"
    STRATEGY_INTERVAL_DAYS = "strategy_interval_days", "Days between strategy meetings while still missing"
    RHI_HOURS = "rhi_hours", "Hours after return to offer (and hold) the return home interview"
    REPEAT_EPISODES = "repeat_episodes", "Episodes that make a child a repeat missing child"
    REPEAT_WINDOW_DAYS = "repeat_window_days", "Days within which repeat episodes are counted"


# Statutory guidance (DfE 2014) and the local protocol (seed 004).
SETTING_DEFAULTS = {
    SettingKey.LONG_MISSING_HOURS: 72,
    SettingKey.STRATEGY_INTERVAL_DAYS: 7,
    SettingKey.RHI_HOURS: 72,
    SettingKey.REPEAT_EPISODES: 3,
    SettingKey.REPEAT_WINDOW_DAYS: 90,
}


class MissingSetting(DatedSetting):
    key = models.CharField(max_length=50, choices=SettingKey.choices)

    class Meta(DatedSetting.Meta):
        constraints = [
            *DatedSetting.Meta.constraints,
            models.UniqueConstraint(
                fields=["partnership", "key", "effective_from"], name="unique_missing_setting_date"
            ),
        ]


class MissingChild(TimeStampedModel):
    """The child's record: their `missing` case and the person it is about."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="missing_child")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Kept by the actions: the repeat threshold of episodes within the window (settings in force on the latest one).
    repeat = models.BooleanField(default=False)

    class Meta:
        ordering = ["-pk"]
        constraints = [models.UniqueConstraint(fields=["partnership", "person"], name="unique_missing_child_person")]

    def __str__(self) -> str:
        return f"Missing child record {self.case.reference}" if self.case_id else "Missing child record"


class Risk(models.TextChoices):
    ABSENT = "absent", "No apparent risk (absent)"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def missing_between(self, start: datetime.datetime, end: datetime.datetime) -> Self:
        """Episodes whose `missing_from` falls in [start, end) (aware datetimes)."""
        return self.filter(missing_from__gte=start, missing_from__lt=end)

    def still_missing(self) -> Self:
        return self.filter(returned_at__isnull=True)

    def strategy_overdue(self, now: datetime.datetime) -> Self:
        return self.still_missing().filter(strategy_due_at__lt=now)

    def rhi_overdue(self, now: datetime.datetime) -> Self:
        """Returned, interview not offered (nor declined) by its deadline."""
        return self.filter(rhi_due_at__lt=now, rhi_offered_at__isnull=True).exclude(rhi_declined=YesNoUnknown.YES)

    def with_columns(self) -> Self:
        return self.select_related("child", "child__case", "child__person", "rhi_provider", "rhi_team")


class Episode(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(MissingChild, on_delete=models.PROTECT, related_name="episodes")
    missing_from = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    risk = models.CharField("police risk grading", max_length=10, choices=Risk.choices, blank=True)
    where_found = models.CharField(max_length=300, blank=True)
    placed_out_of_area = models.CharField(
        "placed outside the borough", max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    # Deadlines kept by the actions from the settings in force: the next strategy meeting while
    # missing; the interview offer after return.
    strategy_due_at = models.DateTimeField(null=True, blank=True)
    rhi_due_at = models.DateTimeField(null=True, blank=True)
    # The return home interview: who provides it (Early Help Hub in the borough, a commissioned
    # provider outside it), the provider's team whose workers see it, and what happened.
    rhi_provider = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rhi_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    rhi_offered_at = models.DateTimeField(null=True, blank=True)
    rhi_declined = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    rhi_completed_at = models.DateTimeField(null=True, blank=True)
    push_factors = models.TextField(blank=True)
    pull_factors = models.TextField(blank=True)
    disclosures = models.TextField(blank=True)
    concerns_raised = models.TextField(blank=True)
    onward_referrals = models.TextField(blank=True)
    external_ref = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    objects = EpisodeQuerySet.as_manager()

    # Not a field: set by `missing.access.get_episode_for_user`.
    access: "Access"

    class Meta:
        ordering = ["-missing_from", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "missing_from"], name="missing_episode_from_idx"),
            models.Index(
                fields=["partnership", "rhi_team", "-missing_from", "-id"], name="missing_episode_rhi_team_idx"
            ),
            models.Index(
                fields=["partnership", "strategy_due_at"],
                condition=models.Q(returned_at__isnull=True),
                name="missing_strategy_due_idx",
            ),
            models.Index(
                fields=["partnership", "rhi_due_at"],
                condition=models.Q(rhi_offered_at__isnull=True),
                name="missing_rhi_due_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_missing_episode_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"Missing episode {self.pk}"

    @property
    def case_id(self) -> int:
        # The audit log files rows by case: an episode belongs to its child's case.
        return self.child.case_id


class StrategyMeeting(TimeStampedModel):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="strategy_meetings")
    held_at = models.DateTimeField()
    attendees = models.TextField()
    decisions = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["held_at", "pk"]

    def __str__(self) -> str:
        return f"Strategy meeting {self.pk}"


# Contextual safeguarding ------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    TEAM = "team", "The missing and exploitation team only"
    CEAM = "ceam", "Also caseworkers of the CEAM meeting's member agencies"


class PlaceKind(models.TextChoices):
    PARK = "park", "Park or open space"
    ESTATE = "estate", "Housing estate"
    TRANSPORT_HUB = "transport_hub", "Transport hub"
    TAKEAWAY = "takeaway", "Takeaway or shop"
    ADDRESS = "address", "Address"
    OTHER = "other", "Other place"


class PlaceOfConcern(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices)
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=500, blank=True)
    identified_on = models.DateField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.TEAM)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Group(TimeStampedModel, VersionedModel):
    """A peer group or network of concern."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    identified_on = models.DateField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.TEAM)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Theme(models.TextChoices):
    COUNTY_LINES = "county_lines", "County lines"
    KNIFE_CARRYING = "knife_carrying", "Knife carrying"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Child sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Child criminal exploitation"
    SERIOUS_VIOLENCE = "serious_violence", "Serious youth violence"
    ONLINE_HARM = "online_harm", "Online harm"
    RADICALISATION = "radicalisation", "Radicalisation"


class MemberRole(models.TextChoices):
    CENTRAL = "central", "Central figure"
    MEMBER = "member", "Member"
    ASSOCIATE = "associate", "Associate"
    AT_RISK = "at_risk", "Young person at risk of being drawn in"


class LinkSource(models.TextChoices):
    POLICE = "police", "Police intelligence"
    CEAM = "ceam", "CEAM meeting"
    RHI = "rhi", "Return home interview"
    PROFESSIONAL = "professional", "Professional observation"
    OUTREACH = "outreach", "Detached outreach"
    COMMUNITY = "community", "Community information"


class IntelLink(TimeStampedModel):
    """One piece of information joining a person (the child or a member) to a place, a group or a theme.

    `person` is set on links about a person; a place–group or place–theme link has none. At least
    two of person, place, group, theme are set.
    """

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place = models.ForeignKey(PlaceOfConcern, on_delete=models.PROTECT, null=True, blank=True, related_name="links")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="links")
    theme = models.CharField(max_length=30, choices=Theme.choices, blank=True)
    role = models.CharField("role in the group", max_length=20, choices=MemberRole.choices, blank=True)
    source = models.CharField(max_length=20, choices=LinkSource.choices)
    recorded_on = models.DateField(help_text="Date of the information")
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.TEAM)
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    archived_at = models.DateTimeField(null=True, blank=True)
    # The detached outreach session (a governance activity) whose concerns this link passes on.
    outreach_session = models.ForeignKey(
        "governance.Activity", on_delete=models.PROTECT, null=True, blank=True, related_name="outreach_links"
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "visibility", "-recorded_on", "-id"], name="missing_link_visible_idx"),
            models.Index(fields=["person"], name="missing_link_person_idx"),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk}"
