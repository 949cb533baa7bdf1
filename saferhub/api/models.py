"""Personal access tokens and webhook subscriptions of the open API.

A token's secret is shown once and kept only as its SHA-256 digest: the secret is 256
random bits, so a fast digest is enough (nothing to guess), and a lookup by digest is one
indexed read per request. The first characters (`prefix`) are kept in clear so an owner
can tell tokens apart on the account page.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from oauth2_provider.settings import oauth2_settings

from saferhub.core.models import TimeStampedModel


class TokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(TimeStampedModel):
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Council case system'")
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def allows_write(self) -> bool:
        return self.scope == TokenScope.WRITE

    def status_label(self, now: datetime.datetime | None = None) -> str:
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if self.expires_at <= (now or timezone.now()) else "Active"


class OAuthClientQuerySet(models.QuerySet["OAuthClient"]):
    def live(self) -> "OAuthClientQuerySet":
        return self.filter(revoked_at__isnull=True)


class OAuthClient(TimeStampedModel):
    """What Saferhub keeps beside django-oauth-toolkit's `Application` of a system account.

    The application holds the client id and the hashed secret; this record holds the
    partnership it belongs to, what it may do (its scope), who registered it, when it was
    last used and whether it was revoked. A revoked client keeps its row (the audit trail
    points at it) but gets no token, and the tokens it had stop working.
    """

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL, on_delete=models.PROTECT, related_name="saferhub_client"
    )
    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = OAuthClientQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return str(self.application.name)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def scopes(self) -> list[str]:
        """The OAuth2 scopes the client may ask for: `read`, and `write` too for a write client."""
        return ["read", "write"] if self.scope == TokenScope.WRITE else ["read"]

    @property
    def status_label(self) -> str:
        return "Active" if self.revoked_at is None else "Revoked"


class WebhookEvent(models.TextChoices):
    REFERRAL_RECEIVED = "referral.received", "Referral received by your agency"
    REFERRAL_DECIDED = "referral.decided", "Referral made by your agency decided"
    CASE_SHARED = "case.shared", "Case shared with your agency"


class WebhookSubscription(TimeStampedModel):
    """A partner system's endpoint for events about its own agency, signed with its secret."""

    partnership = models.ForeignKey("accounts.Partnership", on_delete=models.PROTECT, related_name="+")
    # Events are those the owner may see: the owner's agency is the one they are about.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (no more attempts)"


class WebhookDelivery(TimeStampedModel):
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription.url}"


class SsoDefaultRole(models.TextChoices):
    """The most a user made by single sign-on gets: nothing, or a caseworker's role."""

    NONE = "", "None"
    CASEWORKER = "caseworker", "Caseworker"


class SingleSignOn(TimeStampedModel):
    """A partnership's OpenID Connect identity provider, set by the set-up file (`[single_sign_on]`).

    The client secret is never kept here: `client_secret_env` names the server's environment
    variable that holds it. The provider is found by its discovery document (`discovery_url`)
    or by its four endpoints. `agency_domains` maps an e-mail domain to the primary key of the
    agency a new user of that domain joins (export and Set-up pages show the agency's name).
    """

    partnership = models.OneToOneField("accounts.Partnership", on_delete=models.CASCADE, related_name="single_sign_on")
    provider_name = models.CharField(max_length=100, help_text="Shown as 'Sign in with …' on the sign-in page")
    discovery_url = models.URLField(max_length=500, blank=True)
    authorization_endpoint = models.URLField(max_length=500, blank=True)
    token_endpoint = models.URLField(max_length=500, blank=True)
    userinfo_endpoint = models.URLField(max_length=500, blank=True)
    jwks_endpoint = models.URLField(max_length=500, blank=True)
    client_id = models.CharField(max_length=200)
    client_secret_env = models.CharField("environment variable holding the client secret", max_length=100)
    agency_claim = models.CharField(max_length=100, blank=True)
    agency_domains = models.JSONField(default=dict, blank=True)
    default_role = models.CharField(max_length=20, choices=SsoDefaultRole.choices, blank=True, default="")
    create_users = models.BooleanField(default=False)
    password_sign_in = models.BooleanField(default=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = "single sign-on"
        verbose_name_plural = "single sign-on"

    def __str__(self) -> str:
        return self.provider_name
