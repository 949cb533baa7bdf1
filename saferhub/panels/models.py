"""Multi-agency panels: DA MARAC, Community MARAC, Adults at Risk, TVE and SIRM.

A panel type is configured per partnership. A referral to a panel belongs to a
panel case (a `cases.Case` of the panel type's case type, owned by the
coordinating team); meetings list panel cases on their agenda, and each hearing
records what agencies shared, the risks, the actions agreed and the outcome.
"""

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from saferhub.cases.models import LawfulBasis
from saferhub.core.models import CreatedModifiedByModel, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.people.models import YesNoUnknown

if TYPE_CHECKING:
    from saferhub.accounts.models import Agency


class PanelKind(models.TextChoices):
    """Which referral details a panel type asks for."""

    DA_MARAC = "da_marac", "Domestic abuse MARAC"
    CS_MARAC = "cs_marac", "Community Safety MARAC"
    ADULTS_AT_RISK = "adults_at_risk", "Adults at risk"
    TVE = "tve", "Tackling violence and exploitation"
    SIRM = "sirm", "Serious incident response"
    # Panel types a partnership adds itself: the common referral details only.
    GENERAL = "general", "Other multi-agency panel"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    SIX_WEEKLY = "six_weekly", "Every six weeks"
    AS_NEEDED = "as_needed", "When an incident calls for one"


class PanelTypeQuerySet(models.QuerySet["PanelType"]):
    def active(self) -> Self:
        return self.filter(active=True)


# Bounds of the numbers a form accepts (a slip of the keyboard must not break pages for everyone).
SUMMARY_DAYS_MAX = 60
REVIEW_INTERVAL_MAX = 365
INCIDENTS_MAX = 999
CHILDREN_MAX = 30
AGE_MAX = 130
SCORE_MAX = 999


def _at_most(value: int | None, maximum: int) -> int:
    """A stored setting within its bounds, for date arithmetic (rows saved before the bounds existed)."""
    return max(0, min(value or 0, maximum))


class PanelType(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="panel_types")
    code = models.SlugField(max_length=50, help_text="Used by imports and returns, e.g. da_marac")
    kind = models.CharField(max_length=20, choices=PanelKind.choices)
    name = models.CharField(max_length=200)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.MONTHLY)
    member_agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="panel_types")
    referral_criteria = models.TextField(blank=True)
    assessment_template_code = models.SlugField(
        max_length=50, blank=True, help_text="Assessment template used with referrals, e.g. dash_risk_checklist"
    )
    case_type = models.ForeignKey("cases.CaseType", on_delete=models.PROTECT, related_name="+")
    coordinating_team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Owns the panel cases; set it before the first referral",
    )
    # The meeting window: attending agencies see listed cases' panel summaries from the
    # agenda's publication (days before) until the actions settle (days after).
    summary_days_before = models.PositiveSmallIntegerField(default=7, validators=[MaxValueValidator(SUMMARY_DAYS_MAX)])
    summary_days_after = models.PositiveSmallIntegerField(default=7, validators=[MaxValueValidator(SUMMARY_DAYS_MAX)])
    review_interval_days = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(REVIEW_INTERVAL_MAX)],
        help_text="A case to be reviewed again is due on the agenda after this many days",
    )
    active = models.BooleanField(default=True)

    objects = PanelTypeQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "code"], name="unique_panel_type_code")]

    def __str__(self) -> str:
        return self.name

    def days_before(self) -> int:
        return _at_most(self.summary_days_before, SUMMARY_DAYS_MAX)

    def days_after(self) -> int:
        return _at_most(self.summary_days_after, SUMMARY_DAYS_MAX)

    def review_interval(self) -> int:
        return max(1, _at_most(self.review_interval_days, REVIEW_INTERVAL_MAX))

    @property
    def uses_dash(self) -> bool:
        return self.kind == PanelKind.DA_MARAC

    @property
    def uses_exploitation_criteria(self) -> bool:
        return self.kind in (PanelKind.ADULTS_AT_RISK, PanelKind.TVE)

    @property
    def is_sirm(self) -> bool:
        return self.kind == PanelKind.SIRM


class PanelCase(TimeStampedModel):
    """The panel's view of a case: its panel type, who it is about, when it is next due."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="panel")
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_type = models.ForeignKey(PanelType, on_delete=models.PROTECT, related_name="cases")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    review_due_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["panel_type", "review_due_on"], name="panel_case_review_idx")]

    def __str__(self) -> str:
        return str(self.case)


class PerpetratorGender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class IncidentType(models.TextChoices):
    KNIFE = "knife", "Knife"
    GUN = "gun", "Gun"
    OTHER = "other", "Other"


class FollowUpRoute(models.TextChoices):
    SIRM = "sirm", "Serious Incident Response Meeting"
    CHILD_PROTECTION = "cp_strategy", "Child protection strategy meeting"
    ADULT_PANEL = "adult_panel", "Adults at Risk Panel"


class ReferralStatus(models.TextChoices):
    """Agencies submit referrals for the coordinator's review; coordinators' and imported ones are accepted."""

    SUBMITTED = "submitted", "Submitted, awaiting coordinator review"
    ACCEPTED = "accepted", "Accepted onto the panel"
    RETURNED = "returned", "Returned to the referrer"


class PanelReferralQuerySet(models.QuerySet["PanelReferral"]):
    def accepted(self) -> Self:
        return self.filter(status=ReferralStatus.ACCEPTED)

    def awaiting_review(self) -> Self:
        return self.filter(status=ReferralStatus.SUBMITTED)

    def in_period(self, date_from: datetime.date, date_to: datetime.date) -> Self:
        return self.filter(referral_date__range=(date_from, date_to))


class PanelReferral(CreatedModifiedByModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_type = models.ForeignKey(PanelType, on_delete=models.PROTECT, related_name="referrals")
    panel_case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_referrals",
        help_text="The victim (DA MARAC) or the person the panel is about",
    )
    referral_date = models.DateField()
    referring_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referrer_name = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True, help_text="Why the referral was made")
    # Snapshots taken at referral, so a return does not change when the person's record does.
    victim_gender = models.CharField(max_length=20, blank=True)
    victim_age = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(AGE_MAX)])
    # DA MARAC
    basis = models.CharField(max_length=50, blank=True, help_text="marac_referral_basis code")
    professional_judgement_reason = models.TextField(blank=True)
    dash_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(SCORE_MAX)])
    assessment = models.ForeignKey(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The risk checklist answered with the referral; its score is the referral's score",
    )
    incidents_in_last_12_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(INCIDENTS_MAX)]
    )
    children_in_household = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(CHILDREN_MAX)]
    )
    relationship = models.CharField(max_length=50, blank=True, help_text="relationship_to_victim code")
    perpetrator_gender = models.CharField(max_length=20, choices=PerpetratorGender.choices, blank=True)
    mental_health_need = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    # Adults at Risk and TVE criteria
    criminal_exploitation = models.BooleanField(default=False)
    cuckooing = models.BooleanField(default=False)
    weapons = models.BooleanField(default=False)
    group_offending = models.BooleanField(default=False)
    causing_or_affected_by_harm = models.BooleanField(default=False)
    on_periphery = models.BooleanField(default=False)
    care_experienced = models.BooleanField(default=False)
    transition_from_youth_services = models.BooleanField(default=False)
    # SIRM
    incident_type = models.CharField(max_length=10, choices=IncidentType.choices, blank=True)
    incident_date = models.DateField(null=True, blank=True)
    incident_in_area = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    follow_up_route = models.CharField(max_length=20, choices=FollowUpRoute.choices, blank=True)
    # Computed by saferhub.panels.repeats, never typed in or imported.
    is_repeat = models.BooleanField(default=False, editable=False)
    repeat_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    heard_on = models.DateField(null=True, blank=True)
    external_ref = models.CharField(max_length=100, blank=True)
    # Online referrals from member agencies wait for the coordinator; only accepted ones are on the panel.
    status = models.CharField(max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.ACCEPTED)
    submitted_online = models.BooleanField(default=False, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    # A submitted referral's checklist answers: recorded as an assessment on the panel case when accepted
    # (an assessment belongs to a case, and there is none until then).
    checklist_template = models.ForeignKey(
        "assessments.AssessmentTemplate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checklist_answers = models.JSONField(default=dict, blank=True)

    objects = PanelReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referral_date", "-pk"]
        indexes = [
            models.Index(fields=["panel_type", "referral_date"], name="panel_referral_date_idx"),
            models.Index(fields=["panel_type", "person", "referral_date"], name="panel_referral_person_idx"),
            models.Index(fields=["partnership", "status"], name="panel_referral_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_panel_referral_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.panel_type.name} referral of {self.referral_date:%-d %b %Y}"

    @property
    def reference(self) -> str:
        """The one number people read for a panel referral (the inbox, the review queue, its page)."""
        return f"PR-{self.pk:05d}"

    @property
    def potential_escalation(self) -> bool:
        """SafeLives: 3 or more incidents in 12 months."""
        return self.incidents_in_last_12_months is not None and self.incidents_in_last_12_months >= 3

    @property
    def visible_high_risk(self) -> bool:
        return self.dash_score is not None and self.dash_score >= 14


class InvolvementRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    SUSPECT = "suspect", "Suspect"
    BOTH = "both", "Victim and suspect"


class IncidentPerson(TimeStampedModel):
    """Someone involved in a serious incident (SIRM), as victim, suspect or both."""

    referral = models.ForeignKey(PanelReferral, on_delete=models.CASCADE, related_name="people_involved")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=InvolvementRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "person"], name="unique_incident_person")]


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(CreatedModifiedByModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    panel_type = models.ForeignKey(PanelType, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    location = models.CharField(max_length=200, blank=True)
    chair = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    cancellation_reason = models.TextField(blank=True)
    agencies: "models.ManyToManyField[Agency, MeetingAgency]" = models.ManyToManyField(
        "accounts.Agency", through="MeetingAgency", related_name="+"
    )

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["panel_type", "date"], name="unique_meeting_per_day")]

    def __str__(self) -> str:
        return f"{self.panel_type.name}, {self.date:%-d %B %Y}"

    def window(self) -> tuple[datetime.date, datetime.date]:
        """The days on which attending agencies see the listed cases' panel summaries."""
        return (
            self.date - datetime.timedelta(days=self.panel_type.days_before()),
            self.date + datetime.timedelta(days=self.panel_type.days_after()),
        )


class Attendance(models.TextChoices):
    EXPECTED = "expected", "Expected"
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"


class MeetingAgency(TimeStampedModel):
    """An agency invited to a meeting; its attendance is recorded at the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(max_length=20, choices=Attendance.choices, default=Attendance.EXPECTED)
    representative = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="unique_meeting_agency")]


class AgendaReason(models.TextChoices):
    NEW = "new", "New referral"
    REPEAT = "repeat", "Repeat referral"
    REVIEW = "review", "Due review"


class HearingOutcome(models.TextChoices):
    REVIEW = "review", "Review again"
    CLOSED = "closed", "Closed"


class HearingQuerySet(models.QuerySet["Hearing"]):
    def heard(self) -> Self:
        return self.exclude(outcome="")


class Hearing(TimeStampedModel, VersionedModel):
    """A case listed on a meeting's agenda, and what the meeting decided about it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="hearings")
    panel_case = models.ForeignKey(PanelCase, on_delete=models.PROTECT, related_name="hearings")
    position = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=20, choices=AgendaReason.choices)
    # First hearing of the case (counted as a new case in panel-activity).
    is_new = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=HearingOutcome.choices, blank=True)
    risks = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    objects = HearingQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "panel_case"], name="unique_hearing_per_meeting")]

    def __str__(self) -> str:
        return f"{self.panel_case} at {self.meeting}"


class SharedInformation(TimeStampedModel):
    """What one agency shared about a case at a hearing, and the lawful basis for sharing it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="information")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    information = models.TextField()
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["agency__name", "pk"]


class HearingAction(TimeStampedModel):
    """An action agreed at a hearing: the `cases.Action` (owner, due date, status) and the owner's agency."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="agreed_actions")
    action = models.OneToOneField("cases.Action", on_delete=models.CASCADE, related_name="panel_action")
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["action__due_on", "pk"]
