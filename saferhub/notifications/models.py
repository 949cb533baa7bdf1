"""Notifications: what Saferhub tells a user, in the app (the bell) and by e-mail (straight away or in a digest).

A notification names no person: its title says what happened and gives the record's reference;
the link leads to the record, where the policy decides what the reader sees once signed in.
"""

from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class Kind(models.TextChoices):
    REFERRAL_RECEIVED = "referral_received", "Referral received by your team"
    CASE_SHARED = "case_shared", "Case shared with your agency or team"
    ACTION_ASSIGNED = "action_assigned", "Action assigned to you"
    ACTION_DUE = "action_due", "Action due today"
    ACTION_OVERDUE = "action_overdue", "Action overdue"
    FIRST_CONTACT = "first_contact", "Victim Care Hub first contact deadline"
    CASE_REVIEW_STEP = "case_review_step", "ASB Case Review step deadline"
    TOOL_REVIEW = "tool_review", "ASB tool or power to review or ending"
    RETURN_HOME_INTERVIEW = "return_home_interview", "Return home interview deadline"
    STRATEGY_MEETING = "strategy_meeting", "Missing strategy meeting deadline"
    PANEL_ACTION = "panel_action", "MARAC or panel action overdue"
    RETURN_SUBMITTED = "return_submitted", "Provider return submitted"
    CLOSURE_REQUESTED = "closure_requested", "Case closure awaiting your approval"
    CLOSURE_RETURNED = "closure_returned", "Case closure request returned to you"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "By e-mail straight away"
    DIGEST = "digest", "In a daily digest e-mail"
    OFF = "off", "Not by e-mail (in Saferhub only)"


class Subject(models.TextChoices):
    """What a notification is about: the policy checks the recipient may see it."""

    CASE = "case", "Case"
    ACTION = "action", "Action"
    REFERRAL = "referral", "Referral"
    HUB_REFERRAL = "hub_referral", "Victim Care Hub referral"
    CASE_REVIEW = "case_review", "ASB Case Review"
    INTERVENTION = "intervention", "ASB tool or power"
    EPISODE = "episode", "Missing episode"
    PROVIDER_RETURN = "provider_return", "Provider return"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)

    def awaiting_email(self) -> Self:
        return self.filter(emailed_at__isnull=True, email_skipped=False)


class Notification(models.Model):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Says what happened with the record's reference; never a name or free text typed about a person.
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=50, blank=True)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField()
    # A path on this site (the e-mail puts SITE_URL in front).
    url = models.CharField(max_length=300)
    urgent = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Set when the recipient's preference was "not by e-mail" (or they have no address).
    email_skipped = models.BooleanField(default=False)
    # One notice per recipient and key: the periodic run keys deadlines by item and due date.
    dedupe_key = models.CharField(max_length=120)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification_per_recipient"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice for one kind; without a row the kind comes in the daily digest (urgent ones straight away)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_prefs")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.DIGEST)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_delivery_display()}"
