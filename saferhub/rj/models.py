"""Restorative justice: RJ cases (referral, harm, parties and consent, screening, preparation,
intervention, outcome agreement, follow-up, onward referral) and the register of RJ Champions,
Restorative Practice Leads and volunteers with the training they attended.

An RJ case is a `cases.Case` of type `rj` owned by the team holding the `rj_service` duty, with
an `RjCase` beside it holding the RJ record; a street resolution recorded by a police officer on
the street page is one too (`street_resolution`), keyed by the phone's own UUID so a resend
never makes a second case.
"""

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models

from saferhub.core.models import TimeStampedModel
from saferhub.core.versioning import VersionedModel

if TYPE_CHECKING:
    from saferhub.core.access import Access


class RjConfiguration(TimeStampedModel):
    """Which team is the partnership's restorative justice service (the `rj_service` duty)."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")


class Source(models.TextChoices):
    VICTIM_HUB = "victim_hub", "Victim Care Hub (Right 3)"
    POLICE = "police", "Police"
    YOUTH_JUSTICE = "youth_justice", "Youth Justice Service"
    PROBATION = "probation", "Probation"
    SCHOOL = "school", "School"
    SELF = "self", "Self-referral"
    OTHER = "other", "Other"


class HarmKind(models.TextChoices):
    CRIME = "crime", "Crime"
    ASB = "asb", "Anti-social behaviour"
    CONFLICT = "conflict", "Conflict (no crime)"
    HATE_INCIDENT = "hate_incident", "Hate incident"


class SpecialistHarm(models.TextChoices):
    """Harms the RJ Council's standards treat as sensitive: enhanced assessment and a manager's approval first."""

    NONE = "none", "Neither"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    SEXUAL_HARM = "sexual_harm", "Sexual harm"


class Stage(models.TextChoices):
    REFERRED = "referred", "Referred: awaiting screening"
    PREPARATION = "preparation", "Preparation"
    INTERVENTION = "intervention", "Intervention held: awaiting follow-up"
    CLOSED = "closed", "Closed"


class Suitability(models.TextChoices):
    PENDING = "pending", "Not screened yet"
    SUITABLE = "suitable", "Suitable"
    NOT_SUITABLE = "not_suitable", "Not suitable"


class InterventionKind(models.TextChoices):
    DIRECT_CONFERENCE = "direct_conference", "Direct conference"
    INDIRECT = "indirect", "Indirect or shuttle communication"
    LETTER = "letter", "Letter of apology"
    COMMUNITY_RESOLUTION = "community_resolution", "Community resolution"
    OTHER = "other", "Other"


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", "Outcome agreement reached"
    NO_AGREEMENT = "no_agreement", "Held, no agreement"
    WITHDRAWN = "withdrawn", "A party withdrew"
    NOT_PROCEEDED = "not_proceeded", "Did not proceed"


class ProviderOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting the provider"
    ACCEPTED = "accepted", "Accepted by the provider"
    COMPLETED = "completed", "Intervention completed by the provider"
    DECLINED = "declined", "Declined by the provider"
    NOT_TAKEN_UP = "not_taken_up", "Parties chose not to take it up"


class RjCaseQuerySet(models.QuerySet["RjCase"]):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def referred_between(self, date_from: datetime.date, date_to: datetime.date) -> Self:
        return self.filter(referred_on__range=(date_from, date_to))

    def awaiting_screening(self) -> Self:
        return self.filter(stage=Stage.REFERRED)

    def with_columns(self) -> Self:
        return self.select_related("case", "case__case_type", "case__owning_team", "provider")


class RjCase(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="rj")
    external_ref = models.CharField(max_length=100, blank=True)
    # The referral.
    source = models.CharField(max_length=20, choices=Source.choices)
    referred_on = models.DateField()
    referrer = models.CharField(max_length=200, blank=True, help_text="Who referred, e.g. an officer or a school")
    hub_referral = models.ForeignKey(
        "victims.HubReferral", on_delete=models.PROTECT, null=True, blank=True, related_name="rj_cases"
    )
    # The harm.
    harm_kind = models.CharField(max_length=20, choices=HarmKind.choices)
    specialist_harm = models.CharField(max_length=20, choices=SpecialistHarm.choices, default=SpecialistHarm.NONE)
    harm_on = models.DateField(null=True, blank=True)
    harm_summary = models.CharField(max_length=500, blank=True)
    # Screening; the risk assessment itself is an `assessments.Assessment` on the case.
    suitability = models.CharField(max_length=20, choices=Suitability.choices, default=Suitability.PENDING)
    screened_on = models.DateField(null=True, blank=True)
    screening_notes = models.CharField(max_length=1000, blank=True)
    contact_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contact_approved_on = models.DateField(null=True, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.REFERRED)
    # The intervention and its outcome.
    intervention_kind = models.CharField(max_length=30, choices=InterventionKind.choices, blank=True)
    intervention_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_notes = models.CharField(max_length=1000, blank=True)
    followed_up_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Onward referral to a provider in the directory, and what the provider reported back.
    provider = models.ForeignKey(
        "directory.Service", on_delete=models.PROTECT, null=True, blank=True, related_name="rj_cases"
    )
    provider_referred_on = models.DateField(null=True, blank=True)
    provider_outcome = models.CharField(max_length=20, choices=ProviderOutcome.choices, blank=True)
    provider_outcome_on = models.DateField(null=True, blank=True)
    # Street resolutions from the officer's phone: the phone's UUID makes a resend idempotent.
    street_resolution = models.BooleanField(default=False)
    client_uuid = models.UUIDField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = RjCaseQuerySet.as_manager()

    access: "Access"

    class Meta:
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "referred_on"], name="rj_case_referred_idx"),
            models.Index(fields=["partnership", "stage"], name="rj_case_stage_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_rj_case_external_ref",
            ),
            models.UniqueConstraint(fields=["client_uuid"], name="unique_rj_case_client_uuid"),
        ]

    def __str__(self) -> str:
        return f"RJ case {self.case.reference}"

    @property
    def needs_enhanced_assessment(self) -> bool:
        return self.specialist_harm != SpecialistHarm.NONE


class PartyRole(models.TextChoices):
    HARMED = "harmed", "Person harmed"
    RESPONSIBLE = "responsible", "Person responsible"


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", "Not asked yet"
    GIVEN = "given", "Consented"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrew consent"


class Satisfaction(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    SATISFIED = "satisfied", "Satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    DISSATISFIED = "dissatisfied", "Dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"


SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)


class Safety(models.TextChoices):
    SAFER = "safer", "Feels safer"
    SAME = "same", "Feels as safe as before"
    LESS_SAFE = "less_safe", "Feels less safe"


class Party(TimeStampedModel, VersionedModel):
    rj_case = models.ForeignKey(RjCase, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(max_length=20, choices=PartyRole.choices)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    consent = models.CharField(max_length=20, choices=Consent.choices, default=Consent.NOT_ASKED)
    consent_on = models.DateField(null=True, blank=True)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    safety = models.CharField(max_length=20, choices=Safety.choices, blank=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name_plural = "parties"

    def __str__(self) -> str:
        return self.get_role_display()


class PreparationMeeting(TimeStampedModel):
    rj_case = models.ForeignKey(RjCase, on_delete=models.CASCADE, related_name="preparation_meetings")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="preparation_meetings")
    held_on = models.DateField()
    notes = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class AgreementAction(TimeStampedModel, VersionedModel):
    """One action of the outcome agreement (an apology, repair, a donation, work in the community)."""

    rj_case = models.ForeignKey(RjCase, on_delete=models.CASCADE, related_name="agreement_actions")
    text = models.CharField(max_length=500)
    by_role = models.CharField(max_length=20, choices=PartyRole.choices, default=PartyRole.RESPONSIBLE)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


# The register of champions, practice leads and volunteers ---------------------------------------


class MemberKind(models.TextChoices):
    CHAMPION = "champion", "RJ Champion"
    PRACTICE_LEAD = "practice_lead", "Restorative Practice Lead"
    VOLUNTEER = "volunteer", "Volunteer"


class TrainingLevel(models.TextChoices):
    AWARENESS = "awareness", "Awareness"
    PRACTITIONER = "practitioner", "Practitioner (restorative conversations)"
    FACILITATOR = "facilitator", "Facilitator (conferences)"
    TRAINER = "trainer", "Trainer"


class CouncilMembership(models.TextChoices):
    """Membership of the Restorative Justice Council (seed 004)."""

    NONE = "none", "Not a member"
    INDIVIDUAL = "individual", "Individual member"
    REGISTERED_PRACTITIONER = "registered_practitioner", "Registered practitioner"
    QUALITY_MARK = "quality_mark", "Accredited organisation (Restorative Service Quality Mark)"


class Member(TimeStampedModel, VersionedModel):
    """A person on the register: staff or a volunteer, not a person in a case (no `people.Person`).

    Kept while on the register and, after they leave (`left_on`), until the end of that year plus the
    default retention period; then `retention` erases the details (`erased_at`), keeping role, training
    level, Council membership and dates for the figures."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=MemberKind.choices)
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    school = models.CharField(max_length=200, blank=True)
    training_level = models.CharField(max_length=20, choices=TrainingLevel.choices)
    dbs_checked_on = models.DateField(null=True, blank=True)
    availability = models.CharField(max_length=200, blank=True)
    lived_experience = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    left_on = models.DateField(
        null=True, blank=True, help_text="The day the member stopped being active: the retention period runs from it"
    )
    rj_council = models.CharField(
        "Restorative Justice Council membership",
        max_length=30,
        choices=CouncilMembership.choices,
        default=CouncilMembership.NONE,
    )
    rj_council_confirmed_on = models.DateField("Date the membership was confirmed", null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(TimeStampedModel):
    """A member's attendance at an activity (training, network meeting) in the governance register."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="training")
    activity = models.ForeignKey("governance.Activity", on_delete=models.PROTECT, related_name="rj_attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "activity"], name="unique_rj_training_record")]
