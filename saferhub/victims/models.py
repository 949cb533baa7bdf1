"""The Victim Care Hub: hub referrals and everything the hub records about them.

A hub referral is a `cases.Referral` to the hub team with a `HubReferral` beside it
holding the hub's own fields. Accepting it opens a VCH case owned by the hub team.
Everything the hub records (contact attempts, care plan, support, safety items,
onward referrals, Victims' Code rights, scores) hangs off the HubReferral, so each
referral the quarterly return counts carries the data for every measure in rows
the database can aggregate.
"""

import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models

from saferhub.core.models import DatedSetting, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.people.models import YesNoUnknown

if TYPE_CHECKING:
    from saferhub.cases.models import Case
    from saferhub.core.access import Access


class ReferralKind(models.TextChoices):
    VICTIM = "victim", "Victim of crime"
    CRIME_PREVENTION = "crime_prevention", "Crime prevention support and guidance (no crime)"


class VictimType(models.TextChoices):
    DIRECT = "direct", "Direct victim"
    INDIRECT = "indirect", "Indirect victim (for example, the child of a victim)"


class HubConfiguration(TimeStampedModel):
    """Which team is the partnership's Victim Care Hub."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")


class SettingKey(models.TextChoices):
    FIRST_CONTACT_WORKING_DAYS = "first_contact_working_days", "Working days to first contact (Victims' Code)"


SETTING_DEFAULTS = {SettingKey.FIRST_CONTACT_WORKING_DAYS: 2}


class HubSetting(DatedSetting):
    """A hub setting with the date it takes effect; the row in effect on a day is the latest one on or before it."""

    key = models.CharField(max_length=50, choices=SettingKey.choices)

    class Meta(DatedSetting.Meta):
        constraints = [
            *DatedSetting.Meta.constraints,
            models.UniqueConstraint(fields=["partnership", "key", "effective_from"], name="unique_hub_setting_date"),
        ]


class QuarterlyTarget(TimeStampedModel):
    """The number of referrals the hub aims to receive in one financial quarter."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(help_text="Calendar year the financial year starts in: 2023 for 2023/24")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    referrals = models.PositiveIntegerField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year", "quarter"], name="unique_quarterly_target"),
        ]

    def __str__(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d} Q{self.quarter}: {self.referrals}"


class ContactMethodChoice(models.TextChoices):
    """The way the person says it is safe to contact them."""

    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    VIA_REFERRER = "via_referrer", "Only through the referrer"


class HubReferralQuerySet(models.QuerySet["HubReferral"]):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def received_between(self, date_from: datetime.date, date_to: datetime.date) -> Self:
        return self.filter(received_on__range=(date_from, date_to))

    def victims(self) -> Self:
        return self.filter(referral_kind=ReferralKind.VICTIM)

    def awaiting_first_contact(self) -> Self:
        """Still to be contacted: given a deadline (imported history has none), not declined or redirected,
        case (if any) not closed, no successful contact.

        The stored state ``awaits_first_contact`` (kept by the actions: see ``first_contact_rule``)
        leads, so the database reads only the queue's own partial index. The decision and the
        case's status are checked beside it, as they live on other tables the page reads anyway;
        the hub row's own dates are not, since repeating them makes the planner believe the queue
        holds a handful of rows and choose plans that fit a handful.
        """
        return self.filter(awaits_first_contact=True, referral__decision__in=["pending", "accepted"]).exclude(
            referral__case__status="closed"
        )

    def first_contact_rule(self) -> Self:
        """The rule the stored ``awaits_first_contact`` state follows, read from the rows themselves."""
        return self.filter(
            first_contact_on__isnull=True,
            first_contact_due_on__isnull=False,
            referral__decision__in=["pending", "accepted"],
        ).exclude(referral__case__status="closed")

    def refresh_first_contact_state(self) -> None:
        """Set ``awaits_first_contact`` on these rows from the rule: called by every action that changes
        a first contact, a referral's decision or a case's status."""
        self.filter(awaits_first_contact=False).first_contact_rule().update(awaits_first_contact=True)
        rule = self.first_contact_rule().values("pk")
        self.filter(awaits_first_contact=True).exclude(pk__in=rule).update(awaits_first_contact=False)

    def with_columns(self) -> Self:
        return self.select_related(
            "referral",
            "referral__from_agency",
            # A team's name shows its agency's: without it each row would read its agency.
            "referral__from_team__agency",
            "referral__person",
            "referral__case",
            "crime_type",
        )


class HubReferral(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    referral = models.OneToOneField("cases.Referral", on_delete=models.PROTECT, related_name="hub")
    # The day the hub received it (the referral's received_at, in UK time): what the return counts by.
    received_on = models.DateField()
    referral_kind = models.CharField(max_length=20, choices=ReferralKind.choices, default=ReferralKind.VICTIM)
    victim_type = models.CharField(max_length=10, choices=VictimType.choices, blank=True)
    crime_type = models.ForeignKey("core.ReferenceCode", on_delete=models.PROTECT, related_name="+")
    incident_date = models.DateField(null=True, blank=True)
    incident_in_area = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    lives_in_area = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    reported_to_police = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    police_reference = models.CharField(max_length=50, blank=True)
    assisting_investigation = models.CharField(
        max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN
    )
    # Age in whole years on received_on, kept so the return can band ages in the database.
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    # First-contact target: `first_contact_due_on` is set when the referral arrives (setting in
    # effect that day); `first_contact_on` is the day of the first successful contact attempt.
    first_contact_due_on = models.DateField(null=True, blank=True)
    first_contact_on = models.DateField(null=True, blank=True)
    # The triage queue's state: true while the referral awaits first contact (the queryset's
    # `first_contact_rule`). Kept by the actions, so the queue is a partial index of itself.
    awaits_first_contact = models.BooleanField(default=False, editable=False)
    # The Victims' Code measures of the return. Typed in: kept by the actions that record rights
    # (the earliest day any right was informed) and RJ information. Imported: from the file.
    vcop_informed_on = models.DateField(null=True, blank=True)
    rj_informed_on = models.DateField(null=True, blank=True)
    rj_informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Outcome measures, 1 (lowest) to 10, at the start and the end of support.
    satisfaction_start = models.PositiveSmallIntegerField(null=True, blank=True)
    safety_start = models.PositiveSmallIntegerField(null=True, blank=True)
    satisfaction_end = models.PositiveSmallIntegerField(null=True, blank=True)
    safety_end = models.PositiveSmallIntegerField(null=True, blank=True)
    # How the hub may reach the person (first contact is due within 2 working days): kept on the
    # referral, not the person's record, because what is safe can change from one referral to the next.
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_address = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    safe_contact_method = models.CharField(max_length=20, choices=ContactMethodChoice.choices, blank=True)
    safe_to_leave_message = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    language = models.CharField(max_length=100, blank=True, help_text="The language the person prefers")
    interpreter_needed = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    external_ref = models.CharField(max_length=100, blank=True)
    # Hash of the last imported row, so re-importing the same row changes nothing.
    import_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    objects = HubReferralQuerySet.as_manager()

    # Not a field: set by `victims.access.get_hub_for_user` on the referral it returns.
    access: "Access"

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "received_on"], name="hub_referral_received_idx"),
            # The triage queue: few rows await first contact, in deadline order.
            models.Index(
                fields=["partnership", "first_contact_due_on", "id"],
                condition=models.Q(awaits_first_contact=True),
                name="hub_referral_queue_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_hub_referral_external_ref",
            ),
        ]

    def __str__(self) -> str:
        return f"Hub referral {self.pk} received {self.received_on}"

    @property
    def is_victim(self) -> bool:
        return self.referral_kind == ReferralKind.VICTIM

    @property
    def case(self) -> "Case | None":
        return self.referral.case

    def first_contact_overdue(self, today: datetime.date) -> bool:
        return (
            self.first_contact_on is None
            and self.first_contact_due_on is not None
            and today > self.first_contact_due_on
        )


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    VISIT = "visit", "Visit in person"
    VIA_REFERRER = "via_referrer", "Through the referrer"


class ContactAttempt(TimeStampedModel):
    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="contact_attempts")
    made_on = models.DateField()
    method = models.CharField(max_length=20, choices=ContactMethod.choices)
    successful = models.BooleanField()
    notes = models.CharField(max_length=500, blank=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["made_on", "pk"]


class CarePlanCategory(models.TextChoices):
    TRAUMA_THERAPY = "trauma_therapy", "Trauma therapy, including online services and helplines"
    HOUSING = "housing", "Housing support"
    RESTORATIVE_JUSTICE = "restorative_justice", "Restorative justice"
    MENTAL_HEALTH = "mental_health", "Signposting: mental health services"
    LEARNING_DISABILITY_AUTISM = "learning_disability_autism", "Signposting: learning disability and autism"
    LGBTQ = "lgbtq", "Signposting: LGBTQ+ support"
    HATE_CRIME = "hate_crime", "Signposting: racist and religious hate crime support"
    SAFETY = "safety", "Personal, community and public safety"
    PEER_MENTORING = "peer_mentoring", "Peer mentoring"
    FOOD_BANK = "food_bank", "Food banks"
    FINANCIAL_SUPPORT = "financial_support", "Financial support funds"
    OTHER = "other", "Other"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class CarePlanItem(TimeStampedModel, VersionedModel):
    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="care_plan_items")
    category = models.CharField(max_length=40, choices=CarePlanCategory.choices)
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    outcome = models.CharField(max_length=500, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["category", "due_on", "pk"]


class SupportDelivered(TimeStampedModel):
    """One piece of support, by `victim_support_types` code. The return counts referrals with each code."""

    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="support")
    support_type = models.ForeignKey("core.ReferenceCode", on_delete=models.PROTECT, related_name="+")
    delivered_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["delivered_on", "pk"]
        indexes = [models.Index(fields=["support_type", "hub_referral"], name="support_type_referral_idx")]


class SafetyItemKind(models.TextChoices):
    PERSONAL_ALARM = "personal_alarm", "Personal alarm"
    DOOR_CHAIN = "door_chain", "Door chain or bar"
    LOCKS = "locks", "Door or window locks"
    VIDEO_DOORBELL = "video_doorbell", "Video doorbell"
    TIMER_SWITCHES = "timer_switches", "Light timer switches"
    ANTI_SKIM_WALLET = "anti_skim_wallet", "Anti-skimming wallet or purse"
    OTHER = "other", "Other security item"


class SafetyItem(TimeStampedModel):
    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="safety_items")
    kind = models.CharField(max_length=30, choices=SafetyItemKind.choices)
    quantity = models.PositiveSmallIntegerField(default=1)
    issued_on = models.DateField()
    notes = models.CharField(max_length=500, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["issued_on", "pk"]


class OnwardOutcome(models.TextChoices):
    AWAITING = "awaiting", "Awaiting a response"
    ACCEPTED = "accepted", "Accepted by the service"
    DECLINED_BY_SERVICE = "declined_by_service", "Declined by the service"
    DECLINED_BY_VICTIM = "declined_by_victim", "Victim chose not to take it up"
    NO_RESPONSE = "no_response", "No response from the service"


class OnwardReferral(TimeStampedModel, VersionedModel):
    """A referral from the hub to a service in the directory; a referral to an RJ provider is one of these."""

    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="onward_referrals")
    service = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="onward_referrals")
    referred_on = models.DateField()
    reason = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=30, choices=OnwardOutcome.choices, default=OnwardOutcome.AWAITING)
    outcome_on = models.DateField(null=True, blank=True)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["referred_on", "pk"]


class RightRecord(TimeStampedModel):
    """For one victim (hub referral) and one of the 12 Victims' Code rights: when they were informed of it or it was met."""

    hub_referral = models.ForeignKey(HubReferral, on_delete=models.CASCADE, related_name="rights")
    right = models.ForeignKey("core.ReferenceCode", on_delete=models.PROTECT, related_name="+")
    informed_on = models.DateField(null=True, blank=True)
    met_on = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["right__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["hub_referral", "right"], name="unique_right_record")]
