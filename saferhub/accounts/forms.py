"""Sign-in and second-factor forms."""

import math
from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.api.sso import password_sign_in_off_somewhere
from saferhub.core.forms import GovukFormMixin

# Never say which half was wrong: that would tell an attacker which e-mail addresses have accounts.
INVALID_SIGN_IN = "Enter a correct e-mail address and password"
# Where a partnership signs in through its identity provider only: said to everyone, never of one address.
INVALID_SIGN_IN_OR_SSO = (
    INVALID_SIGN_IN + ". If your partnership signs in only with its own account, use its ‘Sign in with’ button instead"
)
WRONG_CODE = "The code is not correct. Enter the 6-digit code your authenticator app shows now"


class SignInForm(GovukFormMixin, forms.Form):
    # Named "username" in the POST because django-axes counts failures by AXES_USERNAME_FORM_FIELD.
    username = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user: Any = None
        # Set once the password has actually been checked, so the view audits real attempts only.
        self.attempted_email = ""
        super().__init__(*args, **kwargs)

    def clean_username(self) -> str:
        # Stored addresses are lower case; normalising here also stops case variants dodging the lock-out.
        return self.cleaned_data["username"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        email, password = cleaned.get("username"), cleaned.get("password")
        if email and password:
            self.attempted_email = email
            self.user = authenticate(self.request, username=email, password=password)
            if self.user is None:
                message = INVALID_SIGN_IN_OR_SSO if password_sign_in_off_somewhere() else INVALID_SIGN_IN
                raise forms.ValidationError(message, code="invalid_login")
        return cleaned


class CodeForm(GovukFormMixin, forms.Form):
    """A 6-digit code from an authenticator app, checked against one TOTP device."""

    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code changes every 30 seconds",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={
                "class": "govuk-input--width-5 govuk-input--extra-letter-spacing",
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        self.device = device
        super().__init__(*args, **kwargs)

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("The code must be 6 digits", code="format")
        allowed, info = self.device.verify_is_allowed()
        if not allowed:
            # django-otp doubles the wait after each wrong code; the code is not checked meanwhile.
            locked_until = (info or {}).get("locked_until")
            seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds())) if locked_until else 1
            raise forms.ValidationError(
                "You entered a wrong code too recently. Wait %(seconds)s seconds, then enter the code your app shows",
                code="throttled",
                params={"seconds": seconds},
            )
        if not self.device.verify_token(code):
            raise forms.ValidationError(WRONG_CODE, code="wrong_code")
        return code

    @property
    def wrong_code(self) -> bool:
        """True when a well-formed code was checked and refused (a failed attempt)."""
        return self.has_error("code", "wrong_code")
