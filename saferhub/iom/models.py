"""Integrated Offender Management: the cohort, its plans and contacts, offences and the cost of crime.

A cohort stay is one person's time in the IOM cohort, with its own `iom` case (owned by
the team holding the `iom` duty) so visibility, sharing and audit follow the case. RAG
statuses are dated entries; the one in force on a day is the latest on or before it.
Offences belong to the person (the source's `person_ref`), so each stay's windows
(before, during, after) count them by date. The cost-of-crime table is dated per
partnership: an offence is priced by the rate of its group in force on its date.
"""

import datetime
from typing import Self

from django.conf import settings
from django.db import models

from saferhub.core.models import DatedSetting, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.people.models import YesNoUnknown


class CohortKind(models.TextChoices):
    FIXED = "fixed", "Fixed"
    FLEX = "flex", "Flex"
    FREE = "free", "Free"


class Management(models.TextChoices):
    STATUTORY = "statutory", "Statutory (on licence, managed by probation)"
    NON_STATUTORY = "non_statutory", "Non-statutory (managed by IOM police)"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue (in custody or on remand)"


class Pathway(models.TextChoices):
    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    HEALTH = "health", "Health"
    DRUGS_ALCOHOL = "drugs_alcohol", "Drugs and alcohol"
    FINANCE = "finance", "Finance, benefit and debt"
    FAMILY = "family", "Children and families"
    ATTITUDES = "attitudes", "Attitudes, thinking and behaviour"


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    REFERRED = "referred", "Referred"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Ended without completing"


class PlanOutcome(models.TextChoices):
    NONE = "", "Not yet known"
    POSITIVE = "positive", "Positive outcome"
    NO_CHANGE = "no_change", "No change"
    NEGATIVE = "negative", "Negative outcome"


class DeselectionReason(models.TextChoices):
    REDUCED_RISK = "reduced_risk", "Risk and offending reduced"
    SENTENCE_ENDED = "sentence_ended", "Licence or order ended"
    LONG_CUSTODY = "long_custody", "Long custodial sentence"
    MOVED_AWAY = "moved_away", "Moved out of the area"
    DIED = "died", "Died"
    OTHER = "other", "Other reason"


class ContactKind(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    HOME_VISIT = "home_visit", "Home visit"
    PHONE = "phone", "Phone or video call"
    ATTEMPTED = "attempted", "Attempted, not made"


class IomConfiguration(TimeStampedModel):
    """Which team is the partnership's IOM team (the `iom` duty)."""

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")


class SettingKey(models.TextChoices):
    CONTACT_DAYS_RED = "contact_days_red", "Days between contacts at Red"
    CONTACT_DAYS_AMBER = "contact_days_amber", "Days between contacts at Amber"
    CONTACT_DAYS_GREEN = "contact_days_green", "Days between contacts at Green"
    CONTACT_DAYS_BLUE = "contact_days_blue", "Days between contacts at Blue (in custody)"


# Risk-matched contact (seed 001 §5.1.26: Red/Amber daily, Green two or three times a week);
# custody visits monthly. A partnership changes them from a date on the settings page.
SETTING_DEFAULTS = {
    SettingKey.CONTACT_DAYS_RED: 1,
    SettingKey.CONTACT_DAYS_AMBER: 1,
    SettingKey.CONTACT_DAYS_GREEN: 3,
    SettingKey.CONTACT_DAYS_BLUE: 28,
}
RAG_SETTING: dict[str, SettingKey] = {
    Rag.RED: SettingKey.CONTACT_DAYS_RED,
    Rag.AMBER: SettingKey.CONTACT_DAYS_AMBER,
    Rag.GREEN: SettingKey.CONTACT_DAYS_GREEN,
    Rag.BLUE: SettingKey.CONTACT_DAYS_BLUE,
}


class IomSetting(DatedSetting):
    key = models.CharField(max_length=50, choices=SettingKey.choices)

    class Meta(DatedSetting.Meta):
        constraints = [
            *DatedSetting.Meta.constraints,
            models.UniqueConstraint(fields=["partnership", "key", "effective_from"], name="unique_iom_setting_date"),
        ]


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class CohortStayQuerySet(models.QuerySet["CohortStay"]):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def in_cohort_on(self, day: datetime.date) -> Self:
        """Adopted on or before `day` and not left by then (INTERCHANGE.md, Return `iom`)."""
        return self.filter(adopted_on__lte=day).filter(models.Q(left_on__isnull=True) | models.Q(left_on__gt=day))

    def with_rag_on(self, day: datetime.date) -> Self:
        latest = RagStatus.objects.filter(stay=models.OuterRef("pk"), on__lte=day).order_by("-on", "-pk")
        return self.annotate(rag_now=models.Subquery(latest.values("rag")[:1]))

    def with_columns(self) -> Self:
        return self.select_related("person", "case", "lead_agency", "offender_manager")


class CohortStay(TimeStampedModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="iom_stay")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="iom_stays")
    external_ref = models.CharField(max_length=100, blank=True)
    adopted_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    cohort = models.CharField(max_length=10, choices=CohortKind.choices)
    management = models.CharField(max_length=20, choices=Management.choices)
    selection_reason = models.TextField(blank=True)
    lead_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="iom_stays"
    )
    transferred_from_youth_justice = models.BooleanField(default=False)
    deselection_reason = models.CharField(max_length=20, choices=DeselectionReason.choices, blank=True)
    deselection_note = models.TextField(blank=True)
    # Window bounds kept beside the dates so the return compares offence dates with columns in the database:
    # the 12 months before adoption start on `before_from`; the 12 months after leaving end before `after_until`.
    before_from = models.DateField(editable=False)
    after_until = models.DateField(null=True, blank=True, editable=False)

    objects = CohortStayQuerySet.as_manager()

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_iom_stay_external_ref",
            ),
            models.CheckConstraint(
                condition=models.Q(left_on__isnull=True) | models.Q(left_on__gte=models.F("adopted_on")),
                name="iom_stay_left_after_adopted",
            ),
        ]
        indexes = [models.Index(fields=["partnership", "adopted_on", "left_on"], name="iom_stay_dates_idx")]

    def __str__(self) -> str:
        return f"{self.case.reference}: IOM from {self.adopted_on}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.before_from = add_years(self.adopted_on, -1)
        self.after_until = add_years(self.left_on, 1) if self.left_on else None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "before_from", "after_until"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_current(self) -> bool:
        return self.left_on is None

    def turns_adult_within(self) -> bool:
        """A youth-to-adult transition: 18th birthday while in the cohort, or transferred from youth justice."""
        if self.transferred_from_youth_justice:
            return True
        dob = self.person.date_of_birth
        if dob is None:
            return False
        eighteen = add_years(dob, 18)
        return self.adopted_on <= eighteen and (self.left_on is None or eighteen <= self.left_on)


class RagStatus(TimeStampedModel):
    """One dated RAG status of a stay; same stay and day means the same entry."""

    stay = models.ForeignKey(CohortStay, on_delete=models.CASCADE, related_name="rag_history")
    on = models.DateField()
    rag = models.CharField(max_length=10, choices=Rag.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["stay", "on"], name="unique_iom_rag_day")]

    def __str__(self) -> str:
        return f"{self.get_rag_display()} from {self.on}"


class PlanItem(TimeStampedModel, VersionedModel):
    """One item of the multi-agency plan: what is done on a pathway, who it is referred to and how it ended."""

    stay = models.ForeignKey(CohortStay, on_delete=models.CASCADE, related_name="plan_items")
    pathway = models.CharField(max_length=20, choices=Pathway.choices)
    action = models.CharField(max_length=500)
    referred_to = models.CharField(max_length=200, blank=True, help_text="Service or agency referred to")
    referred_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=PlanOutcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["pathway", "pk"]

    def __str__(self) -> str:
        return f"{self.get_pathway_display()}: {self.action}"


class Contact(TimeStampedModel):
    stay = models.ForeignKey(CohortStay, on_delete=models.CASCADE, related_name="contacts")
    contacted_on = models.DateField()
    kind = models.CharField(max_length=20, choices=ContactKind.choices)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.contacted_on}"


class CostOfCrimeQuerySet(models.QuerySet["CostOfCrime"]):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def in_force_on(self, day: datetime.date) -> Self:
        """Each group's rate in force on `day` (the latest from on or before it)."""
        later = CostOfCrime.objects.filter(
            partnership_id=models.OuterRef("partnership_id"),
            offence_group=models.OuterRef("offence_group"),
            effective_from__gt=models.OuterRef("effective_from"),
            effective_from__lte=day,
        )
        return self.filter(effective_from__lte=day).exclude(models.Exists(later))


class CostOfCrime(TimeStampedModel, VersionedModel):
    """The unit cost of one offence group from a date, with its price year and source."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    offence_group = models.CharField(max_length=50)
    label = models.CharField(max_length=200)
    unit_cost = models.PositiveIntegerField(help_text="Whole pounds per offence")
    price_year = models.CharField(max_length=7, help_text="Price base, e.g. 2015/16")
    source = models.CharField(max_length=300)
    effective_from = models.DateField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CostOfCrimeQuerySet.as_manager()

    class Meta:
        ordering = ["offence_group", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "offence_group", "effective_from"], name="unique_cost_of_crime_group_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: £{self.unit_cost:,} ({self.price_year} prices) from {self.effective_from}"


class Offence(TimeStampedModel):
    """An offence by a person in (or before or after) the cohort, recorded on a case or imported."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="iom_offences")
    external_ref = models.CharField(max_length=100, blank=True)
    offence_date = models.DateField()
    offence_group = models.CharField(max_length=50)
    charged = models.CharField(max_length=10, choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-offence_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "external_ref"],
                condition=~models.Q(external_ref=""),
                name="unique_iom_offence_external_ref",
            ),
        ]
        indexes = [models.Index(fields=["person", "offence_date"], name="iom_offence_person_date_idx")]

    def __str__(self) -> str:
        return f"{self.offence_group} on {self.offence_date}"


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}/{(year + 1) % 100:02d} Q{quarter}"


class ReoffendingComparator(TimeStampedModel):
    """Published reoffending figures of one area for one financial quarter (the partnership's own area too)."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=100)
    year = models.PositiveSmallIntegerField(help_text="Calendar year the financial year starts in")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    offenders = models.PositiveIntegerField()
    charged_offences = models.PositiveIntegerField()
    reoffending_rate = models.DecimalField(max_digits=5, decimal_places=1, help_text="Per cent")
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "area", "year", "quarter"], name="unique_reoffending_comparator"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {quarter_label(self.year, self.quarter)}"


class YjKpi(models.TextChoices):
    """The Youth Justice Board's four long-standing KPIs and the ten from April 2023 (seed 001 §5.2)."""

    FIRST_TIME_ENTRANTS = "first_time_entrants", "First time entrants"
    REOFFENDING_BINARY = "reoffending_binary", "Reoffending: binary rate"
    REOFFENDING_FREQUENCY = "reoffending_frequency", "Reoffending: frequency rate"
    CUSTODY = "custody", "Children in custody"
    ACCOMMODATION = "accommodation", "KPI 1: Suitable accommodation"
    ETE = "ete", "KPI 2: Education, training and employment"
    SEND = "send", "KPI 3: Special educational needs or disability"
    MENTAL_HEALTH = "mental_health", "KPI 4: Mental healthcare and emotional wellbeing"
    SUBSTANCE_MISUSE = "substance_misuse", "KPI 5: Substance misuse"
    OUT_OF_COURT = "out_of_court", "KPI 6: Out-of-court disposals completed"
    MANAGEMENT_BOARD = "management_board", "KPI 7: Management board attendance"
    WIDER_SERVICES = "wider_services", "KPI 8: Wider services"
    SERIOUS_VIOLENCE = "serious_violence", "KPI 9: Serious violence"
    VICTIMS = "victims", "KPI 10: Victims"


class YjKpiValue(TimeStampedModel, VersionedModel):
    """One KPI's value for one quarter, with national, regional and statistical-neighbour comparators."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    kpi = models.CharField(max_length=30, choices=YjKpi.choices)
    year = models.PositiveSmallIntegerField(help_text="Calendar year the financial year starts in")
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    value = models.DecimalField(max_digits=9, decimal_places=2)
    national = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    regional = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    statistical_neighbours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-quarter", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kpi", "year", "quarter"], name="unique_yj_kpi_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} {quarter_label(self.year, self.quarter)}"
