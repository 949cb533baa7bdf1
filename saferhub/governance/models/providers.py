"""Commissioned services and their quarterly returns.

A commissioned service is a partnership organisation (an `Agency`) under a contract with
KPIs the partnership defined. Each quarter the service is asked for a return: the KPI
values, a narrative and anonymised case studies, by a due date. The provider submits it;
an analyst accepts it or returns it with a reason. Accepted values feed indicators.
"""

from django.conf import settings
from django.db import models

from saferhub.core.models import ArchivableModel, TimeStampedModel
from saferhub.core.versioning import VersionedModel
from saferhub.governance.models.strategy import GoodDirection, LiveOnQuerySet, Unit


class CommissionedServiceQuerySet(LiveOnQuerySet):
    def of(self, partnership: object) -> "CommissionedServiceQuerySet":
        return self.filter(partnership_id=getattr(partnership, "pk", partnership))


class CommissionedService(VersionedModel, ArchivableModel, TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    # The provider: its users with the provider role see this service's returns.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="commissioned_services")
    name = models.CharField(max_length=200)
    contract_name = models.CharField(max_length=200, blank=True)
    contract_starts_on = models.DateField(null=True, blank=True)
    contract_ends_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    objects = CommissionedServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="unique_commissioned_service_name")]

    def __str__(self) -> str:
        return self.name


class ServiceKpi(VersionedModel, ArchivableModel, TimeStampedModel):
    service = models.ForeignKey(CommissionedService, on_delete=models.PROTECT, related_name="kpis")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.COUNT)
    good_direction = models.CharField(max_length=4, choices=GoodDirection.choices, default=GoodDirection.UP)
    quarterly_target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = LiveOnQuerySet.as_manager()

    class Meta:
        verbose_name = "KPI"
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "name"], name="unique_kpi_name_per_service")]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.name}"


class ReturnStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"


class ProviderReturnQuerySet(models.QuerySet["ProviderReturn"]):
    def awaiting_provider(self) -> "ProviderReturnQuerySet":
        # An archived service is not chased for its returns.
        return self.filter(
            status__in=[ReturnStatus.REQUESTED, ReturnStatus.RETURNED], service__archived_at__isnull=True
        )


class ProviderReturn(VersionedModel, TimeStampedModel):
    service = models.ForeignKey(CommissionedService, on_delete=models.PROTECT, related_name="returns")
    period = models.CharField(max_length=20)
    period_start = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.REQUESTED)
    narrative = models.TextField(blank=True)
    # Anonymised: no names, addresses or dates of birth (the form says so).
    case_studies = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ProviderReturnQuerySet.as_manager()

    class Meta:
        verbose_name = "provider return"
        ordering = ["-period_start", "service__name"]
        constraints = [models.UniqueConstraint(fields=["service", "period"], name="one_return_per_service_period")]

    def __str__(self) -> str:
        return f"{self.service.name}: {self.period}"


class ProviderReturnValue(TimeStampedModel):
    provider_return = models.ForeignKey(ProviderReturn, on_delete=models.CASCADE, related_name="values")
    kpi = models.ForeignKey(ServiceKpi, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider_return", "kpi"], name="one_value_per_return_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi.name}: {self.value}"
