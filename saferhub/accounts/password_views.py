"""Choosing a password: by a link sent by e-mail (set-up and reset) and, once signed in, by changing it.

Built on Django's own views. The reset pages are public and never say whether
an address has an account. A new password changes the session auth hash, so
every other session of that user ends at its next request.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.urls import path, reverse_lazy

from saferhub.accounts.middleware import public
from saferhub.accounts.models import User
from saferhub.accounts.password_forms import (
    ChangePasswordForm,
    NewPasswordForm,
    PasswordResetRequestForm,
    link_lifetime,
)
from saferhub.audit import log
from saferhub.audit.models import AuditAction


class ResetRequestView(auth_views.PasswordResetView):
    # The form sends its own plain-text e-mail (see password_forms.send_password_link).
    form_class = PasswordResetRequestForm
    template_name = "accounts/password/reset_request.html"
    success_url = reverse_lazy("accounts:password-reset-done")
    title = "Reset your password"


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password/reset_done.html"
    title = "Check your e-mail"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(lifetime=link_lifetime(), **kwargs)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password/reset_confirm.html"
    success_url = reverse_lazy("accounts:password-reset-complete")
    title = "Choose a password"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # A link sent before the account was deactivated must not bring it back to life.
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        setting_up = self.user is not None and not self.user.has_usable_password()
        return super().get_context_data(setting_up=setting_up, **kwargs)

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:
        user: User = self.user
        first = not user.has_usable_password()
        with transaction.atomic():
            response = super().form_valid(form)
            # The account holder acts here: they proved they can read the account's mailbox.
            log.record(
                user,
                AuditAction.UPDATE,
                user,
                request=self.request,
                detail={"password": "set" if first else "reset", "via": "e-mail link"},
            )
        return response


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password/reset_complete.html"
    title = "Your password has been set"


class ChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm
    template_name = "accounts/password/change.html"
    success_url = reverse_lazy("core:home")
    title = "Change your password"

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:
        with transaction.atomic():
            # Saves and keeps this session signed in; other sessions end.
            response = super().form_valid(form)
            log.record(form.user, AuditAction.UPDATE, form.user, request=self.request, detail={"password": "changed"})
        messages.success(self.request, "Your password has been changed. Use it the next time you sign in.")
        return response


urlpatterns = [
    path("sign-in/reset/", public(ResetRequestView.as_view()), name="password-reset"),
    path("sign-in/reset/done/", public(ResetDoneView.as_view()), name="password-reset-done"),
    path("sign-in/reset/complete/", public(ResetCompleteView.as_view()), name="password-reset-complete"),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        public(ResetConfirmView.as_view()),
        name="password-reset-confirm",
    ),
    path("account/password/", ChangeView.as_view(), name="password-change"),
]
