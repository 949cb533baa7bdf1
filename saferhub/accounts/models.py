"""Partnerships (tenants), agencies, teams, users and their roles."""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from saferhub.core.models import ArchivableModel, ArchivableQuerySet, TimeStampedModel
from saferhub.core.versioning import VersionedModel


class Partnership(TimeStampedModel):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    # Deprecated, no longer read: moved to places.Population (measure women_16_plus) by places 0003.
    women_aged_16_plus = models.PositiveIntegerField(null=True, blank=True)
    # ONS codes (e.g. "E09000003") of the local authorities the partnership covers, and of its
    # "Most Similar Group" of peers for ranks; set by the set-up file or the set-up pages.
    areas = models.JSONField(default=list, blank=True)
    peer_group = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    COUNCIL = "council", "Council"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    HEALTH = "health", "Health"
    VOLUNTARY = "voluntary", "Voluntary or community"
    EDUCATION = "education", "Education"
    OTHER = "other", "Other"


class Agency(TimeStampedModel, ArchivableModel, VersionedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # Imports may name organisations that take part in no casework (referrers only).
    external_ref = models.CharField(max_length=100, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), "partnership", name="unique_agency_name_per_partnership"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> "Agency":
        """The top-level agency, used when returns group organisations (an agency with no parent is its own)."""
        return self.parent.group if self.parent_id and self.parent else self


class Team(TimeStampedModel, ArchivableModel, VersionedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="teams")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    # Teams that take referrals appear in the referral "to" list.
    accepts_referrals = models.BooleanField(default=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="unique_team_name_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Caseworker"
    TEAM_MANAGER = "team_manager", "Team manager"
    PANEL_COORDINATOR = "panel_coordinator", "Panel coordinator"
    ANALYST = "analyst", "Partnership analyst"
    BOARD_MEMBER = "board_member", "Board member"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership administrator"
    AUDITOR = "auditor", "Auditor"
    # Staff of a commissioned service (a charity, an RJ provider): they see their own service's
    # returns only (saferhub/policy/providers.py), never case files or the partnership's reports.
    PROVIDER = "provider", "Commissioned service provider"


# Roles that work with case files; the others see aggregates or administration only.
CASEWORK_ROLES = frozenset({Role.CASEWORKER, Role.TEAM_MANAGER, Role.PANEL_COORDINATOR})
REPORTING_ROLES = frozenset({Role.ANALYST, Role.BOARD_MEMBER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel, VersionedModel):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> frozenset[str]:
        # Cached per instance: policy checks ask for roles many times per request.
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            # No partnership, no roles. django-stubs rejects None in exact lookups; Django reads it as IS NULL.
            cached = frozenset(
                self.role_assignments.filter(
                    partnership_id=self.partnership_id,  # type: ignore[misc]
                ).values_list("role", flat=True)
            )
            self._roles_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))


class RoleAssignment(TimeStampedModel):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role"], name="unique_role_per_user_partnership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
