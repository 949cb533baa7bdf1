"""Cases, their participants, timeline, actions, referrals and sharing."""

import datetime
import re
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from saferhub.core.models import ArchivableModel, CreatedModifiedByModel, TimeStampedModel

if TYPE_CHECKING:
    from saferhub.accounts.models import User
    from saferhub.core.access import Access


class CaseType(TimeStampedModel):
    """A kind of case a partnership works (general, Victim Care Hub, ASB …); gives the reference prefix."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="case_types")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=10, help_text="Reference prefix, e.g. VCH gives VCH-2024-00031")
    active = models.BooleanField(default=True)
    closure_needs_approval = models.BooleanField(
        "Closures need a team manager's approval",
        default=False,
        help_text="A caseworker asks for closure; a team manager of the case's team approves it or returns it",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="unique_case_type_code"),
            models.UniqueConstraint(fields=["partnership", "prefix"], name="unique_case_type_prefix"),
        ]

    def __str__(self) -> str:
        return self.name


class CaseReferenceSequence(models.Model):
    """Last number issued per partnership, prefix and year; rows are locked while a number is taken."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "prefix", "year"], name="unique_reference_sequence"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last_number}"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# What a case reference looks like: PREFIX-YEAR-NUMBER, e.g. VCH-2024-00031.
REFERENCE_PATTERN = re.compile(r"^[A-Za-z]{1,10}-\d{4}-\d{1,9}$")


class CaseQuerySet(models.QuerySet["Case"]):
    def live(self) -> Self:
        return self.filter(archived_at__isnull=True)

    def open(self) -> Self:
        return self.exclude(status=CaseStatus.CLOSED)

    def search(self, text: str, partnership_id: int | None = None) -> Self:
        """A reference, or words found in the title or together in one participant's names (see ``search_parts``)."""
        parts = self.search_parts(text, partnership_id)
        if len(parts) == 1:
            return parts[0]
        return self.filter(models.Q(pk__in=parts[0].values("pk")) | models.Q(pk__in=parts[1].values("pk")))

    def search_parts(self, text: str, partnership_id: int | None = None, people: Any = None) -> list[Self]:
        """The search as one or two querysets whose union is the answer: by reference, or by title and by name.

        Names are searched people first: the people whose names match (a trigram index on
        PostgreSQL, which also forgives a misspelling; see ``people.search``), then their
        cases, within what this queryset already holds (the viewer's visible cases). Title and
        names are two querysets, not one OR, so each is read through its own index. Give the
        viewer's partnership to read only its people (a common surname matches thousands across
        a region). A caller that refines several parts of visibility passes ``people`` (from
        ``matching_people``) so the costly name search runs once, not once a part.
        """
        text = text.strip()
        if not text:
            return [self]
        if REFERENCE_PATTERN.match(text):
            return [self.filter(reference__iexact=text)]
        if people is None:
            people = matching_people(text, partnership_id)
        participant_cases = Participant.objects.filter(person_id__in=people).values("case_id")
        return [self.filter(title__icontains=text), self.filter(pk__in=participant_cases)]

    def with_list_columns(self) -> Self:
        return self.select_related("case_type", "owning_team", "owning_team__agency")


# A name search lists at most this many matching people's ids in its queries (see matching_people).
PEOPLE_LISTED_IN_SEARCH = 5000


def matching_people(text: str, partnership_id: int | None = None) -> Any:
    """The ids of the people whose names hold every word of `text`, read now (one query), for
    ``CaseQuerySet.search_parts``; a search that matches too many people to list stays a subquery."""
    from saferhub.people.models import Person
    from saferhub.people.search import name_matches

    people = Person.objects.all()
    if partnership_id is not None:
        people = people.filter(partnership_id=partnership_id)
    for word in text.split():
        people = people.filter(name_matches(word, connection.vendor))
    found = list(people.values_list("pk", flat=True)[: PEOPLE_LISTED_IN_SEARCH + 1])
    return found if len(found) <= PEOPLE_LISTED_IN_SEARCH else people.values("pk")


class Case(CreatedModifiedByModel, ArchivableModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30, editable=False)
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    owning_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="cases")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="assigned_cases"
    )
    risk_level = models.CharField(max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED)
    restricted = models.BooleanField(
        default=False, help_text="Only named users may see a restricted case (for example, a staff member is involved)"
    )
    named_users: "models.ManyToManyField[User, RestrictedAccess]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="restricted_cases",
        through="RestrictedAccess",
        through_fields=("case", "user"),
    )
    opened_on = models.DateField(default=datetime.date.today)
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.CharField(max_length=50, blank=True)
    external_ref = models.CharField(max_length=100, blank=True)
    # Optimistic locking: every save bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1)

    objects = CaseQuerySet.as_manager()

    # Not a field: set by `policy.get_case_for_user` on the case it returns (what the user may do).
    access: "Access"

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="unique_case_reference"),
        ]
        indexes = [
            models.Index(fields=["partnership", "owning_team", "status"], name="case_team_status_idx"),
            models.Index(fields=["partnership", "-opened_on", "-id"], name="case_opened_idx"),
            # The "owned by my team" part of visibility, in list order: keyset pages read only a page.
            models.Index(fields=["partnership", "owning_team", "-opened_on", "-id"], name="case_team_opened_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED


class RestrictedAccess(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="restricted_access")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="unique_restricted_access")]

    def __str__(self) -> str:
        return f"{self.user} named on {self.case.reference}"


class StageLog(models.Model):
    """Every status change of a case, written in the same transaction as the change."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stage_log")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.from_status or 'new'} to {self.to_status}"


class ClosureRequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned"
    # The case was closed without the request being decided: by a manager, a bulk close, an import.
    OVERTAKEN = "overtaken", "Closed another way"


class ClosureRequestQuerySet(models.QuerySet["ClosureRequest"]):
    def pending(self) -> Self:
        return self.filter(status=ClosureRequestStatus.PENDING)


class ClosureRequest(models.Model):
    """A caseworker's request to close a case whose type needs a team manager's approval.

    At most one is pending per case. Approving closes the case with the requested reason;
    returning leaves it open. Rows are kept, decided or not, as the case's closure history.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closure_requests")
    closure_reason = models.CharField(max_length=50)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=ClosureRequestStatus.choices, default=ClosureRequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.CharField(max_length=500, blank=True)

    objects = ClosureRequestQuerySet.as_manager()

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="one_pending_closure_request_per_case",
            ),
        ]
        indexes = [
            # The team manager's list: pending requests, oldest first.
            models.Index(
                fields=["requested_at", "id"],
                condition=models.Q(status="pending"),
                name="closure_request_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Closure of {self.case.reference}: {self.get_status_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == ClosureRequestStatus.PENDING


class ParticipantRole(models.TextChoices):
    DIRECT_VICTIM = "direct_victim", "Direct victim"
    INDIRECT_VICTIM = "indirect_victim", "Indirect victim"
    WITNESS = "witness", "Witness"
    SUBJECT = "subject", "Subject or perpetrator"
    REFERRER = "referrer", "Referrer"
    CHILD_IN_HOUSEHOLD = "child_in_household", "Child in household"
    OTHER = "other", "Other"


class Participant(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(max_length=30, choices=ParticipantRole.choices)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "role"], name="unique_participant_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class CaseLocation(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_locations")
    location = models.ForeignKey("places.Location", on_delete=models.PROTECT, related_name="case_links")
    description = models.CharField(max_length=200, blank=True, help_text="For example, 'where the incident happened'")


class CaseLink(TimeStampedModel):
    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case"], name="unique_case_link"),
            models.CheckConstraint(condition=~models.Q(from_case=models.F("to_case")), name="case_link_not_self"),
        ]


class Note(TimeStampedModel):
    """A timeline entry. Notes are never edited: a correction is a new note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionQuerySet(models.QuerySet["Action"]):
    def outstanding(self) -> Self:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: datetime.date | None = None) -> Self:
        return self.outstanding().filter(due_on__lt=today or timezone.localdate())


class Action(CreatedModifiedByModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_due_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()


class ReferralSource(models.TextChoices):
    AGENCY = "agency", "Agency or team"
    SELF = "self", "Self-referral"
    ANONYMOUS = "anonymous", "Anonymous"


class ReferralDecision(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    REDIRECTED = "redirected", "Redirected"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def pending(self) -> Self:
        return self.filter(decision=ReferralDecision.PENDING)

    def for_team(self, team_id: int | None) -> Self:
        return self.filter(to_team_id=team_id)


class Referral(CreatedModifiedByModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="referrals")
    source = models.CharField(max_length=20, choices=ReferralSource.choices, default=ReferralSource.AGENCY)
    from_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    from_team = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals_made"
    )
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_contact = models.CharField(max_length=200, blank=True)
    to_team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="referrals_received")
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="referrals")
    received_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(help_text="What has happened and what support is asked for")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    consent_given = models.CharField(max_length=10, default="unknown")
    decision = models.CharField(max_length=20, choices=ReferralDecision.choices, default=ReferralDecision.PENDING)
    decision_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    redirected_to = models.ForeignKey(
        "accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    external_ref = models.CharField(max_length=100, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["received_at", "pk"]
        indexes = [
            models.Index(fields=["to_team", "decision", "received_at"], name="referral_inbox_idx"),
            # The inbox's other tabs, read a keyset page at a time: decided recently, sent by the team.
            models.Index(fields=["to_team", "decided_at"], name="referral_decided_idx"),
            models.Index(fields=["from_team", "received_at"], name="referral_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} to {self.to_team.name}"

    @property
    def reference(self) -> str:
        """The one number people read for a referral (hub referrals too: their hub page shows it)."""
        return f"REF-{self.pk:05d}"

    @property
    def source_display(self) -> str:
        if self.source == ReferralSource.AGENCY:
            return str(self.from_team or self.from_agency or "Unknown agency")
        return self.get_source_display()


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", "UK GDPR Art 6(1)(e) public task"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Art 6(1)(c) legal obligation"
    VITAL_INTERESTS = "vital_interests", "UK GDPR Art 6(1)(d) vital interests"
    CONSENT = "consent", "UK GDPR Art 6(1)(a) consent"
    CDA_S115 = "cda_s115", "Crime and Disorder Act 1998 s.115"
    DPA_PART3 = "dpa_part3", "DPA 2018 Part 3 (law enforcement)"


class CaseShareQuerySet(models.QuerySet["CaseShare"]):
    def current(self, today: datetime.date | None = None) -> Self:
        today = today or timezone.localdate()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )


class CaseShare(TimeStampedModel):
    """A case shared with an agency (all its teams) or one team, for a purpose, on a lawful basis, until a date."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=500)
    lawful_basis = models.CharField(max_length=30, choices=LawfulBasis.choices)
    expires_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = CaseShareQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(agency__isnull=False) & models.Q(team__isnull=True))
                | (models.Q(agency__isnull=True) & models.Q(team__isnull=False)),
                name="case_share_agency_xor_team",
            ),
        ]

    @property
    def shared_with(self) -> str:
        return str(self.team or self.agency)


class BreakGlassGrant(models.Model):
    """Emergency access to a case the user could not otherwise see; always reviewed afterwards."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"Emergency access to {self.case.reference} by {self.user}"
