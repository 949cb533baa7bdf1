"""The account page's API tokens (the owner's), and the administrators' list of every token.

Reached only through the page sign-in, so only after the second factor: the API cannot be
used to get around it.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.api import tokens
from saferhub.api.forms import TokenForm

LIST_LIMIT = 200


def _hold_tokens(request: HttpRequest) -> None:
    if not policy.can_hold_tokens(request.user):
        raise PermissionDenied("API tokens are for active users of a partnership.")


@require_http_methods(["GET"])
def token_list(request: HttpRequest) -> HttpResponse:
    _hold_tokens(request)
    user: Any = request.user
    own = policy.visible_api_tokens(user).filter(user=user)[:LIST_LIMIT]
    return render(
        request,
        "api/tokens.html",
        {"tokens": own, "form": TokenForm(), "is_admin": policy.can_administer(request.user)},
    )


@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    _hold_tokens(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token, secret = tokens.create_token(
            request.user,
            name=data["name"],
            scope=data["scope"],
            days=data["days"],
            created_by=request.user,
            request=request,
        )
        # Shown once, in this response only; never stored, never put in a message or a redirect.
        response = render(request, "api/token_created.html", {"token": token, "secret": secret})
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "api/token_form.html", {"form": form})


@require_http_methods(["POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = policy.get_api_token_for_user(request.user, pk)
    tokens.revoke_token(request.user, token, request=request)
    messages.success(request, f"Token ‘{token.name}’ revoked. Systems using it can no longer sign in with it.")
    back = request.POST.get("back")
    return redirect("api-pages:admin-tokens" if back == "admin" else "api-pages:tokens")


@require_http_methods(["GET"])
def admin_token_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_administer(request.user):
        raise PermissionDenied("Only partnership administrators see every token.")
    everyone: Any = policy.visible_api_tokens(request.user).select_related("user")[:LIST_LIMIT]
    return render(request, "api/admin_tokens.html", {"tokens": everyone})
