"""Signing in (password, then a TOTP second factor) and signing out."""

from base64 import b32encode
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from saferhub.accounts.forms import CodeForm, SignInForm
from saferhub.accounts.middleware import public, two_factor_pending
from saferhub.accounts.models import User
from saferhub.audit.log import record
from saferhub.audit.models import AuditAction

# Where to go once both factors are done; validated before it is stored.
NEXT_SESSION_KEY = "saferhub_sign_in_next"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """The requested page if it is on this site, otherwise "" (never an open redirect)."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _go_next(request: HttpRequest, url: str | None) -> HttpResponse:
    return redirect(_safe_next(request, url) or resolve_url(settings.LOGIN_REDIRECT_URL))


def _finish_sign_in(request: HttpRequest, **detail: Any) -> HttpResponse:
    record(request.user, AuditAction.SIGN_IN, request=request, detail=detail)
    return _go_next(request, request.session.pop(NEXT_SESSION_KEY, None))


def _needs_second_factor(request: HttpRequest) -> bool:
    # Read per request: the setting is switched off for local demos and in tests.
    return bool(settings.REQUIRE_TWO_FACTOR) and not request.user.is_verified()  # type: ignore[union-attr]


def _audit_failed_password(request: HttpRequest, email: str) -> None:
    # The e-mail may belong to nobody; when it does, its partnership's auditors should see the attempt.
    target = User.objects.filter(email=email).select_related("partnership").first()
    reason = "locked_out" if getattr(request, "axes_locked_out", False) else "wrong_password"
    record(
        None,
        AuditAction.SIGN_IN_FAILED,
        request=request,
        detail={"email": email, "reason": reason},
        partnership=target.partnership if target else None,
    )


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated and not _needs_second_factor(request):
        return _go_next(request, next_url)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        auth_login(request, form.user)
        request.session[NEXT_SESSION_KEY] = next_url
        if settings.REQUIRE_TWO_FACTOR:
            return redirect("accounts:two-factor")
        return _finish_sign_in(request, two_factor="not required")
    if form.attempted_email:
        # When django-axes has locked the account, AxesMiddleware swaps this page for the lock-out page.
        _audit_failed_password(request, form.attempted_email)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@two_factor_pending
@never_cache
def two_factor(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return _go_next(request, request.session.pop(NEXT_SESSION_KEY, None))
    device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:two-factor-setup")
    if request.method != "POST":
        return render(request, "accounts/two_factor.html", {"form": CodeForm(device=device)})
    with transaction.atomic():
        # Locked so that parallel guesses cannot slip past django-otp's throttling.
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        form = CodeForm(request.POST, device=device)
        if form.is_valid():
            return _verified(request, device)
        if form.wrong_code:
            _wrong_code(request)
    return render(request, "accounts/two_factor.html", {"form": form})


def _verified(request: HttpRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    # New privileges, new session key (guards against session fixation).
    request.session.cycle_key()
    return _finish_sign_in(request, two_factor="totp")


def _wrong_code(request: HttpRequest) -> None:
    """Count a wrong code as a failed sign-in, so django-axes locks out after the same limit as passwords."""
    user = request.user
    record(user, AuditAction.SIGN_IN_FAILED, request=request, detail={"email": user.email, "reason": "wrong_code"})  # type: ignore[union-attr]
    user_login_failed.send(sender=__name__, credentials={"username": user.email}, request=request)  # type: ignore[union-attr]
    if getattr(request, "axes_locked_out", False):
        # Drop the half-signed-in session; AxesMiddleware then shows the lock-out page.
        auth_logout(request)


@two_factor_pending
@never_cache
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        # Someone who knows only the password must never be able to add their own device.
        return redirect("accounts:two-factor")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None, device=device)
    if form.is_valid():
        with transaction.atomic():
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user, confirmed=False).delete()
            record(user, AuditAction.CREATE, device, request=request, detail={"two_factor": "authenticator app set up"})
        return _verified(request, device)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _qr_svg(data: str) -> str:
    # Drawn here as inline SVG: no request leaves the page and nothing needs 'unsafe-inline' (segno emits no style attributes).
    qr = segno.make(data, error="m", micro=False)
    svg = qr.svg_inline(
        scale=4,
        border=4,
        dark="#0b0c0c",
        light="#ffffff",
        svgclass="saferhub-qr",
        title="QR code for your authenticator app",
    )
    return mark_safe(svg)  # noqa: S308 - generated by segno from our own data, no user HTML


@two_factor_pending
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    record(request.user, AuditAction.SIGN_OUT, request=request)
    auth_logout(request)
    messages.success(request, "You have signed out")
    return redirect("accounts:sign-in")


urlpatterns = [
    path("sign-in/", sign_in, name="sign-in"),
    path("sign-in/two-factor/", two_factor, name="two-factor"),
    path("sign-in/two-factor/set-up/", two_factor_setup, name="two-factor-setup"),
    path("sign-out/", sign_out, name="sign-out"),
]
