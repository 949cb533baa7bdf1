"""ASB casework: cases, reports and incidents, tools and powers, fixed penalties, PSPOs and the ASB Case Review.

An ASB case is a `cases.Case` of case type `asb` with one `AsbCase` beside it.
The statutory rules about tools and powers live in `saferhub.asb.rules`; limits,
amounts and deadlines are `AsbSetting` rows with effective dates.
"""

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils import timezone

from saferhub.cases.models import ActionStatus
from saferhub.core.models import CreatedModifiedByModel, DatedSetting, TimeStampedModel
from saferhub.core.versioning import VersionedModel

if TYPE_CHECKING:
    from saferhub.asb.deadlines import Step

ASB_CASE_TYPE_CODE = "asb"
ASB_CASE_TYPE_PREFIX = "ASB"


# Settings with effective dates ------------------------------------------------------------


class SettingKey(models.TextChoices):
    CPN_MIN_AGE = "cpn_min_age", "Community Protection Notice: minimum age (years)"
    INJUNCTION_MIN_AGE = "injunction_min_age", "Civil injunction: minimum age (years)"
    CLOSURE_NOTICE_HEARING_HOURS = "closure_notice_hearing_hours", "Closure notice: court hearing within (hours)"
    CLOSURE_ORDER_MONTHS = "closure_order_months", "Closure order: longest first order (months)"
    CLOSURE_ORDER_TOTAL_MONTHS = (
        "closure_order_total_months",
        "Closure order: longest in total with extensions (months)",
    )
    PSPO_MAX_YEARS = "pspo_max_years", "PSPO: longest period, and longest renewal (years)"
    FPN_MAX_PENCE = "fpn_max_pence", "Fixed penalty for a CPN or PSPO breach: highest amount (pence)"
    FPN_DISCOUNT_PERCENT = "fpn_discount_percent", "Fixed penalty: early payment discount (percent)"
    FPN_DISCOUNT_DAYS = "fpn_discount_days", "Fixed penalty: early payment within (days)"
    REVIEW_REMINDER_DAYS = "review_reminder_days", "Tools and powers: review after (days) when no date is given"
    CR_QUALIFYING_REPORTS = "cr_qualifying_reports", "Case Review threshold: qualifying reports of one problem"
    CR_WINDOW_MONTHS = "cr_window_months", "Case Review threshold: reports within (months) of the application"
    CR_REPORT_WITHIN_MONTHS = (
        "cr_report_within_months",
        "Case Review: a report qualifies when made within (months) of the behaviour",
    )
    CR_HATE_INCIDENTS = "cr_hate_incidents", "Case Review alternative threshold: hate incidents (0 = not used)"
    CR_MULTI_VICTIM_REPORTS = (
        "cr_multi_victim_reports",
        "Case Review alternative threshold: reports from several people (0 = not used)",
    )
    CR_SECOND_REPORT_MONTHS = (
        "cr_second_report_months",
        "Explain the Case Review to a victim reporting again within (months)",
    )
    CR_ACK_DAYS = "cr_ack_days", "Case Review: acknowledge within (working days of the application)"
    CR_DECISION_DAYS = "cr_decision_days", "Case Review: threshold decision within (working days of the application)"
    CR_MEETING_DAYS = "cr_meeting_days", "Case Review: review meeting within (working days of the decision)"
    CR_OUTCOME_DAYS = "cr_outcome_days", "Case Review: outcome letter within (working days of the meeting)"
    CR_APPEAL_DAYS = "cr_appeal_days", "Case Review: appeal decided within (working days of the appeal)"


class AsbSetting(DatedSetting):
    """One value of a limit, amount or deadline, in force from `effective_from` until a later row replaces it."""

    key = models.CharField(max_length=50, choices=SettingKey.choices)

    class Meta(DatedSetting.Meta):
        constraints = [
            *DatedSetting.Meta.constraints,
            models.UniqueConstraint(fields=["partnership", "key", "effective_from"], name="unique_asb_setting_date"),
        ]


class AsbDesk(CreatedModifiedByModel, VersionedModel):
    """The team that receives Case Review applications and owns imported ASB cases."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.PROTECT, related_name="asb_desk")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")


# Cases, incidents and reports ---------------------------------------------------------------


class AsbCase(TimeStampedModel):
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="asb")
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(
        "core.ReferenceCode", on_delete=models.PROTECT, related_name="+", help_text="asb_case_categories code"
    )
    ward = models.ForeignKey("places.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    location = models.CharField(max_length=500, blank=True, help_text="Address or description of the place")
    single_point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The officer the victims deal with throughout",
    )
    external_ref = models.CharField(max_length=100, blank=True)
    # Optimistic locking for the details page: a save over someone else's change is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"], condition=~models.Q(external_ref=""), name="unique_asb_case_ref"
            ),
        ]

    def __str__(self) -> str:
        return f"ASB case {self.case.reference}"


VICTIM_ROLES = ("direct_victim", "indirect_victim")


class VictimContact(TimeStampedModel):
    """A victim's own single point of contact (2025 guidance: one per victim).

    A victim without a row has the case's single point of contact, then the case's officer.
    """

    participant = models.OneToOneField("cases.Participant", on_delete=models.CASCADE, related_name="asb_contact")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    def __str__(self) -> str:
        return f"Single point of contact for {self.participant}"


class ReportedTo(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    SOCIAL_LANDLORD = "social_landlord", "Social landlord"
    OTHER = "other", "Another body"


class Incident(TimeStampedModel):
    """One occurrence of the behaviour. Reports of it to several bodies count once for the Case Review."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="asb_incidents")
    behaviour_on = models.DateField()
    summary = models.CharField(max_length=300)
    hate_incident = models.BooleanField(
        default=False, help_text="Perceived by the victim or anyone else as motivated by hostility"
    )

    class Meta:
        ordering = ["-behaviour_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.behaviour_on:%-d %b %Y}: {self.summary}"


class Report(CreatedModifiedByModel):
    """Someone telling the council, police or a social landlord about an incident."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="asb_reports")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="asb_reports"
    )
    reported_to = models.CharField(max_length=20, choices=ReportedTo.choices)
    reported_on = models.DateField()
    description = models.TextField(blank=True)
    body_reference = models.CharField(
        max_length=100, blank=True, help_text="The other body's reference, e.g. a CAD number"
    )
    # 2025 guidance: a victim reporting again within 6 months is told about the Case Review.
    case_review_explanation_due = models.BooleanField(default=False)
    case_review_explained_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-reported_on", "-pk"]

    def __str__(self) -> str:
        return f"Report to {self.get_reported_to_display()} on {self.reported_on}"

    @property
    def behaviour_on(self) -> datetime.date:
        return self.incident.behaviour_on


# Tools and powers -------------------------------------------------------------------------------


class ToolKind(models.TextChoices):
    """The codes of `asb_tools_and_powers` the rules know about; a partnership may add others."""

    WARNING_LETTER = "warning_letter", "Warning letter"
    ABC = "abc", "Acceptable Behaviour Contract"
    CPN_WARNING = "cpn_warning", "Community Protection Notice written warning"
    CPN = "cpn", "Community Protection Notice"
    FPN = "fpn", "Fixed penalty notice"
    PSPO_BREACH = "pspo_breach", "PSPO breach"
    CLOSURE_NOTICE = "closure_notice", "Closure notice"
    CLOSURE_ORDER = "closure_order", "Closure order"
    CIVIL_INJUNCTION = "civil_injunction", "Civil injunction"
    CBO = "cbo", "Criminal Behaviour Order"
    DISPERSAL = "dispersal", "Dispersal direction"


# Escalation order for the register (codes not listed come last).
ESCALATION_ORDER = [
    ToolKind.WARNING_LETTER,
    ToolKind.ABC,
    ToolKind.CPN_WARNING,
    ToolKind.CPN,
    ToolKind.FPN,
    ToolKind.PSPO_BREACH,
    ToolKind.DISPERSAL,
    ToolKind.CLOSURE_NOTICE,
    ToolKind.CLOSURE_ORDER,
    ToolKind.CIVIL_INJUNCTION,
    ToolKind.CBO,
]


class InterventionStatus(models.TextChoices):
    ACTIVE = "active", "In force"
    COMPLIED = "complied", "Complied with"
    BREACHED = "breached", "Breached"
    EXPIRED = "expired", "Expired"
    WITHDRAWN = "withdrawn", "Withdrawn or discharged"
    # Fixed penalties
    UNPAID = "unpaid", "Unpaid"
    PAID = "paid", "Paid"
    PROSECUTION = "prosecution", "Escalated to prosecution"


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def of_kind(self, code: str) -> Self:
        return self.filter(kind__code=code)

    def fixed_penalties(self) -> Self:
        return self.of_kind(ToolKind.FPN)

    def unpaid(self) -> Self:
        return self.filter(status=InterventionStatus.UNPAID)

    def paid(self) -> Self:
        return self.filter(status=InterventionStatus.PAID)

    def escalated(self) -> Self:
        return self.filter(status=InterventionStatus.PROSECUTION)

    def due_for_review(self, on: datetime.date) -> Self:
        return self.filter(status=InterventionStatus.ACTIVE, review_on__lte=on)

    def expiring(self, on: datetime.date, within_days: int) -> Self:
        return self.filter(
            status=InterventionStatus.ACTIVE, expires_on__range=(on, on + datetime.timedelta(days=within_days))
        )


class Intervention(CreatedModifiedByModel):
    """A tool or power used: one row of the register."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="asb_interventions"
    )
    kind = models.ForeignKey("core.ReferenceCode", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="asb_interventions",
        help_text="The person served",
    )
    served_on_name = models.CharField(max_length=200, blank=True, help_text="A business or occupier when not a person")
    premises = models.CharField(max_length=300, blank=True, help_text="For closure notices and orders")
    served_on = models.DateField()
    served_at = models.DateTimeField(null=True, blank=True, help_text="Closure notice: when served")
    hearing_at = models.DateTimeField(null=True, blank=True, help_text="Closure notice: when the court hears it")
    conviction_on = models.DateField(null=True, blank=True, help_text="Criminal Behaviour Order: date of conviction")
    expires_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    extends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="extensions",
        help_text="Closure order: the order this one extends",
    )
    status = models.CharField(max_length=20, choices=InterventionStatus.choices, default=InterventionStatus.ACTIVE)
    details = models.TextField(blank=True, help_text="Conditions, requirements or what the warning said")
    # Fixed penalties
    offence = models.ForeignKey(
        "core.ReferenceCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="fpn_offence_codes code",
    )
    amount_pence = models.PositiveIntegerField(null=True, blank=True)
    discount_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    discount_until = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    paid_pence = models.PositiveIntegerField(null=True, blank=True)
    escalated_to_prosecution = models.BooleanField(default=False)
    escalated_on = models.DateField(null=True, blank=True)
    pspo_condition = models.ForeignKey(
        "PspoCondition", on_delete=models.PROTECT, null=True, blank=True, related_name="fixed_penalties"
    )
    review_action = models.ForeignKey(
        "cases.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who sees a fixed penalty without a case (see policy.visible_fixed_penalties).
    issuing_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    external_ref = models.CharField(max_length=100, blank=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["served_on", "pk"]
        indexes = [models.Index(fields=["partnership", "served_on"], name="asb_intervention_served_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_asb_intervention_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind.label} served {self.served_on:%-d %b %Y}"

    @property
    def served_to(self) -> str:
        return str(self.person) if self.person_id else self.served_on_name

    @property
    def is_fpn(self) -> bool:
        return self.kind.code == ToolKind.FPN

    def amount_due(self, on: datetime.date) -> int | None:
        """What a fixed penalty costs if paid on `on`: the discounted amount inside the discount window."""
        if self.amount_pence is None:
            return None
        if self.discount_percent and self.discount_until and on <= self.discount_until:
            return self.amount_pence * (100 - self.discount_percent) // 100
        return self.amount_pence


# PSPOs --------------------------------------------------------------------------------------


class Pspo(CreatedModifiedByModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=500, help_text="The area it covers, e.g. the whole borough")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def in_force(self, on: datetime.date) -> bool:
        return self.starts_on <= on <= self.ends_on


class PspoCondition(models.Model):
    pspo = models.ForeignKey(Pspo, on_delete=models.CASCADE, related_name="conditions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["pspo", "number"]
        constraints = [models.UniqueConstraint(fields=["pspo", "number"], name="unique_pspo_condition_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"


class PspoRenewal(TimeStampedModel):
    pspo = models.ForeignKey(Pspo, on_delete=models.CASCADE, related_name="renewals")
    renewed_on = models.DateField()
    previous_ends_on = models.DateField()
    new_ends_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["renewed_on", "pk"]


class PspoBreach(CreatedModifiedByModel):
    condition = models.ForeignKey(PspoCondition, on_delete=models.PROTECT, related_name="breaches")
    occurred_on = models.DateField()
    place = models.CharField(max_length=300, blank=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.TextField(blank=True)
    fixed_penalty = models.OneToOneField(
        Intervention, on_delete=models.PROTECT, null=True, blank=True, related_name="pspo_breach"
    )

    class Meta:
        ordering = ["-occurred_on", "-pk"]


# ASB Case Review (Community Trigger) --------------------------------------------------------------


class Channel(models.TextChoices):
    ONLINE = "online", "Online form"
    PHONE = "phone", "Telephone"
    IN_PERSON = "in_person", "In person"
    LETTER = "letter", "Letter"
    EMAIL = "email", "E-mail"


class CaseReviewStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    THRESHOLD_MET = "threshold_met", "Threshold met: review to be held"
    THRESHOLD_NOT_MET = "threshold_not_met", "Threshold not met"
    REVIEW_HELD = "review_held", "Review meeting held"
    OUTCOME_SENT = "outcome_sent", "Outcome sent"
    APPEALED = "appealed", "Appeal received"
    CLOSED = "closed", "Closed"


class CaseReviewQuerySet(models.QuerySet["CaseReview"]):
    def open(self) -> Self:
        return self.exclude(status=CaseReviewStatus.CLOSED).filter(historical=False)


class CaseReview(CreatedModifiedByModel):
    """An application for an ASB Case Review, from receipt to outcome and appeal."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=30, help_text="Acknowledgement reference given to the applicant")
    status = models.CharField(max_length=20, choices=CaseReviewStatus.choices, default=CaseReviewStatus.RECEIVED)
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    applied_on = models.DateField(default=timezone.localdate)
    received_at = models.DateTimeField(default=timezone.now)
    # The applicant
    applicant_name = models.CharField(max_length=200, blank=True)
    applicant_email = models.EmailField(blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    applicant_address = models.CharField(max_length=500, blank=True)
    applicant_postcode = models.CharField(max_length=10, blank=True)
    on_behalf_of = models.CharField(max_length=200, blank=True, help_text="When applying for someone else, who")
    contact_preference = models.CharField(max_length=200, blank=True)
    # The problem
    case_reference_given = models.CharField(max_length=30, blank=True)
    problem = models.TextField(blank=True)
    problem_location = models.CharField(max_length=500, blank=True)
    reports_made = models.TextField(blank=True, help_text="When and to whom the applicant reported it")
    hate_motivated = models.BooleanField(default=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="asb_case_reviews"
    )
    matched_automatically = models.BooleanField(default=False)
    single_point_of_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Steps
    acknowledged_on = models.DateField(null=True, blank=True)
    threshold_met = models.BooleanField(null=True, blank=True)
    threshold_decided_on = models.DateField(null=True, blank=True)
    threshold_reason = models.TextField(blank=True)
    threshold_computed = models.JSONField(default=dict, blank=True, help_text="The computed result the decision saw")
    review_held_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    # Set when the review records (or, for imports, reports) recommendations; the items are ReviewItem rows.
    recommendations_made = models.BooleanField(null=True, blank=True)
    victim_consulted_on = models.DateField(null=True, blank=True)
    victim_consulted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the consultation was recorded: plan items added later need a new one"
    )
    victim_views = models.TextField(blank=True)
    outcome_sent_on = models.DateField(null=True, blank=True)
    outcome_summary = models.TextField(blank=True)
    appeal_received_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    appeal_upheld = models.BooleanField(null=True, blank=True)
    appeal_outcome = models.TextField(blank=True)
    historical = models.BooleanField(default=False, help_text="Imported from an earlier system")
    external_ref = models.CharField(max_length=100, blank=True)

    objects = CaseReviewQuerySet.as_manager()
    # Not stored: the pages listing open applications set these from `deadlines.next_step`.
    next: "Step | None"
    overdue: bool

    class Meta:
        ordering = ["-applied_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="unique_case_review_reference"),
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_case_review_ref",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "applied_on"], name="asb_case_review_applied_idx")]

    def __str__(self) -> str:
        return f"ASB Case Review {self.reference}"


class ReviewItemKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "Recommendation"
    ACTION = "action", "Action plan item"


class ReviewItemQuerySet(models.QuerySet["ReviewItem"]):
    def recommendations(self) -> Self:
        return self.filter(kind=ReviewItemKind.RECOMMENDATION)

    def plan(self) -> Self:
        return self.filter(kind=ReviewItemKind.ACTION)


class ReviewItem(CreatedModifiedByModel):
    """One recommendation of the review meeting, or one item of the action plan, tracked to completion.

    An action plan item is also a `cases.Action` on the ASB case (so it is on its owner's home
    page); its status is that action's. A recommendation keeps its own status.
    """

    review = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ReviewItemKind.choices)
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    action = models.OneToOneField(
        "cases.Action", on_delete=models.PROTECT, null=True, blank=True, related_name="asb_review_item"
    )

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "due_on", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def current_status(self) -> str:
        return self.action.status if self.action is not None else self.status

    def get_current_status_display(self) -> str:
        return ActionStatus(self.current_status).label

    @property
    def is_overdue(self) -> bool:
        return self.current_status == ActionStatus.OPEN and self.due_on < timezone.localdate()
