"""Password forms (reset by e-mail, set a new one, change it) and the e-mail that carries the link.

The link is the only way a password reaches an account created without one, so
the same e-mail serves both "set up your sign-in" and "reset your password".
"""

from collections.abc import Iterator
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from saferhub.accounts.models import User
from saferhub.api.sso import password_sign_in_allowed
from saferhub.audit import log
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.core.forms import GovukFormMixin

# Stops the reset form being used to flood someone's inbox; admins' sends count too.
RESET_EMAIL_INTERVAL = timedelta(minutes=10)
SENT_DETAIL = {"password_reset": "sent"}

_PASSWORD = {"class": "govuk-input--width-20", "spellcheck": "false", "autocomplete": "new-password"}
CHOOSING_HINT = "At least 12 characters. Not a common password, and not only numbers"
MISMATCH = "The passwords do not match. Enter the same new password twice"


class LinkPurpose(StrEnum):
    SET_UP = "set_up"  # the account has no password yet, or an administrator sent it
    RESET = "reset"


def link_lifetime() -> str:
    """How long a link works, in words, from PASSWORD_RESET_TIMEOUT."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    days, hours = divmod(seconds // 3600, 24)
    if days and not hours:
        return f"{days} day{'s' if days != 1 else ''}"
    hours = max(1, seconds // 3600)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def password_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def recently_sent(user: User) -> bool:
    since = timezone.now() - RESET_EMAIL_INTERVAL
    return AuditEvent.objects.filter(
        action=AuditAction.UPDATE,
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
        at__gte=since,
        detail__password_reset=SENT_DETAIL["password_reset"],
    ).exists()


@transaction.atomic
def send_password_link(
    user: User,
    purpose: LinkPurpose,
    *,
    sent_by: Any = None,
    request: HttpRequest | None = None,
    rate_limited: bool = True,
) -> bool:
    """E-mail the user a one-use link to choose a password; audited. False when skipped by the rate limit.

    `sent_by` is the administrator who sent it, or None when the user asked for it themselves.
    """
    # The row lock serialises concurrent requests for one address, so the rate limit holds under races.
    user = User.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=user.pk)
    if rate_limited and recently_sent(user):
        return False
    context = {
        "user": user,
        "link": password_link(user),
        "lifetime": link_lifetime(),
        "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("accounts:sign-in"),
        "partnership": user.partnership,
    }
    subject = render_to_string(f"accounts/email/{purpose}_subject.txt", context)
    body = render_to_string(f"accounts/email/{purpose}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    log.record(
        sent_by,
        AuditAction.UPDATE,
        user,
        request=request,
        detail={**SENT_DETAIL, "purpose": str(purpose), "sent_by": "administrator" if sent_by else "user"},
    )
    return True


class PasswordResetRequestForm(GovukFormMixin, auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def get_users(self, email: str) -> Iterator[User]:
        # Unlike Django's, includes accounts with no usable password: that is how new accounts get one.
        # Not those of a partnership whose password sign-in is off: a password would not let them in
        # (the sign-in page tells them to use their provider; the answer page is the same either way).
        users = User.objects.filter(email__iexact=email, is_active=True).select_related("partnership")
        return (user for user in users if password_sign_in_allowed(user.partnership))

    def save(self, *, request: HttpRequest | None = None, **kwargs: Any) -> int:  # type: ignore[override]
        """Send the link to each matching active account; returns how many e-mails went."""
        sent = 0
        for user in self.get_users(self.cleaned_data["email"]):
            purpose = LinkPurpose.RESET if user.has_usable_password() else LinkPurpose.SET_UP
            sent += send_password_link(user, purpose, request=request)
        return sent


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    first = forms.CharField(
        label="New password",
        strip=False,
        help_text=CHOOSING_HINT,
        error_messages={"required": "Enter a new password"},
        widget=forms.PasswordInput(attrs=_PASSWORD),
    )
    second = forms.CharField(
        label="Confirm new password",
        strip=False,
        error_messages={"required": "Enter the new password again"},
        widget=forms.PasswordInput(attrs=_PASSWORD),
    )
    return first, second


class NewPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    """A new password, twice, checked by AUTH_PASSWORD_VALIDATORS (whose messages are shown as they are)."""

    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": MISMATCH}
    new_password1, new_password2 = _new_password_fields()


class ChangePasswordForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_mismatch": MISMATCH,
        "password_incorrect": "Your current password is not correct. Enter the password you sign in with",
    }
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        error_messages={"required": "Enter your current password"},
        widget=forms.PasswordInput(attrs={**_PASSWORD, "autocomplete": "current-password"}),
    )
    new_password1, new_password2 = _new_password_fields()
