"""The directory of support services a partnership signposts and refers victims to."""

from typing import Self

from django.db import models

from saferhub.core.models import ArchivableModel, ArchivableQuerySet, CreatedModifiedByModel
from saferhub.core.versioning import VersionedModel


class Category(models.TextChoices):
    """What a service helps with; the Victim Hub Care Plan categories plus a few general ones."""

    TRAUMA_THERAPY = "trauma_therapy", "Trauma therapy, counselling and helplines"
    HOUSING = "housing", "Housing support"
    RESTORATIVE_JUSTICE = "restorative_justice", "Restorative justice"
    MENTAL_HEALTH = "mental_health", "Mental health services"
    LEARNING_DISABILITY_AUTISM = "learning_disability_autism", "Learning disability and autism"
    LGBTQ = "lgbtq", "LGBTQ+ support"
    HATE_CRIME = "hate_crime", "Racist and religious hate crime support"
    SAFETY = "safety", "Personal, community and public safety"
    PEER_MENTORING = "peer_mentoring", "Peer mentoring"
    FOOD_BANK = "food_bank", "Food banks"
    FINANCIAL_SUPPORT = "financial_support", "Financial support funds"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    FRAUD = "fraud", "Fraud and scams"
    VICTIM_SUPPORT = "victim_support", "General victim and witness support"
    OTHER = "other", "Other"


class Area(models.TextChoices):
    LOCAL = "local", "In the partnership's area"
    REGIONAL = "regional", "Regional"
    NATIONAL = "national", "National"
    ONLINE = "online", "Online or by phone only"


class ServiceQuerySet(ArchivableQuerySet):
    def of(self, partnership_id: int | None) -> Self:
        return self.filter(partnership_id=partnership_id)

    def in_category(self, category: str) -> Self:
        return self.filter(categories__category=category)

    def search(self, text: str) -> Self:
        for word in text.split():
            self = self.filter(models.Q(name__icontains=word) | models.Q(description__icontains=word))
        return self


class Service(CreatedModifiedByModel, ArchivableModel, VersionedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the service offers and to whom")
    area = models.CharField(max_length=20, choices=Area.choices, default=Area.LOCAL)
    area_notes = models.CharField(max_length=200, blank=True, help_text="For example, the boroughs it covers")
    how_to_refer = models.TextField(help_text="How to refer someone: form, e-mail, phone, self-referral")
    phone = models.CharField(max_length=50, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    # A partnership-run or commissioned service may be an agency in Saferhub too.
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("name"), "partnership", name="unique_service_name_per_partnership"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_labels(self) -> list[str]:
        return [Category(item.category).label for item in self.categories.all()]


class ServiceCategory(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=40, choices=Category.choices)

    class Meta:
        ordering = ["service", "category"]
        constraints = [models.UniqueConstraint(fields=["service", "category"], name="unique_service_category")]

    def __str__(self) -> str:
        return self.get_category_display()
