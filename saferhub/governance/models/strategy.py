"""Strategies, their priorities and the indicators that measure them.

An indicator's figure for a period comes from one source: a measure of a registered
return (a JSON path into the return run for that period), a value entered by an analyst,
or a KPI of a commissioned service's accepted return. Each period's figure is kept
(`IndicatorValue`, with when it was computed or who entered it), so trends and the change
against the same period a year before need no recalculation. Targets are per period.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from saferhub.core.models import ArchivableModel, ArchivableQuerySet, TimeStampedModel
from saferhub.core.versioning import VersionedModel


class LiveOnQuerySet(ArchivableQuerySet):
    def live_on(self, day: object) -> "LiveOnQuerySet":
        """Live, or archived on or after `day`: what a return of a period starting on `day` still shows."""
        return self.filter(models.Q(archived_at__isnull=True) | models.Q(archived_at__date__gte=day))


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
    MONEY = "money", "Money (£)"


class GoodDirection(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class Frequency(models.TextChoices):
    QUARTER = "quarter", "Each financial quarter"
    YEAR = "year", "Each financial year"


class Source(models.TextChoices):
    RETURN = "return", "A figure of a return"
    ENTERED = "entered", "A value entered each period"
    PROVIDER = "provider", "A commissioned service's return"


class StrategyQuerySet(LiveOnQuerySet):
    def of(self, partnership: object) -> "StrategyQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Strategy(VersionedModel, ArchivableModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="strategies")
    name = models.CharField(max_length=200)
    # Free text such as "2023 to 2026".
    runs = models.CharField(max_length=100, blank=True)
    summary = models.TextField(blank=True)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "strategies"
        constraints = [
            models.UniqueConstraint(Lower("name"), "partnership", name="unique_strategy_name_per_partnership")
        ]

    def __str__(self) -> str:
        return self.name


class Priority(VersionedModel, ArchivableModel, TimeStampedModel):
    strategy = models.ForeignKey(Strategy, on_delete=models.PROTECT, related_name="priorities")
    title = models.CharField(max_length=200)
    # The outcomes the priority seeks, one a line.
    outcomes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = LiveOnQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def outcome_list(self) -> list[str]:
        return [line.strip() for line in self.outcomes.splitlines() if line.strip()]


class IndicatorQuerySet(models.QuerySet["Indicator"]):
    def of(self, partnership: object) -> "IndicatorQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class Indicator(VersionedModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="indicators")
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    good_direction = models.CharField(max_length=4, choices=GoodDirection.choices, default=GoodDirection.UP)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.QUARTER)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # A period label ("2023/24" or "2023/24 Q1").
    baseline_period = models.CharField(max_length=20, blank=True)
    # RAG rule: green at or better than the target; amber when worse by no more than this percentage
    # of the target; red beyond it. No target (or no value) is not rated.
    amber_tolerance = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("10.0"))
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    # For a return's figure: the report's slug, its options and the JSON path of the figure.
    report = models.CharField(max_length=50, blank=True)
    report_options = models.JSONField(default=dict, blank=True)
    measure_path = models.CharField(max_length=300, blank=True)
    # For a commissioned service's figure: the KPI whose accepted values it takes.
    kpi = models.ForeignKey(
        "governance.ServiceKpi", on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["priority__position", "priority_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amber_tolerance__gte=0) & models.Q(amber_tolerance__lte=100),
                name="indicator_amber_tolerance_0_to_100",
            )
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(max_length=20)
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_target_per_indicator_period")]

    def __str__(self) -> str:
        return f"{self.period}: {self.value}"


class IndicatorValue(TimeStampedModel):
    """An indicator's figure for one period, with where it came from, and the commentary on it."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=20)
    period_start = models.DateField()
    # None: no figure yet (a row may hold commentary only).
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    computed_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(null=True, blank=True)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ["period_start"]
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_indicator_period")]
        indexes = [models.Index(fields=["indicator", "period_start"])]

    def __str__(self) -> str:
        return f"{self.period}: {self.value}"
