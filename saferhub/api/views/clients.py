"""Administrators' pages for the partnership's OAuth2 clients (client credentials, system accounts).

The secret is shown once, in the response that makes the client, and never again: it is kept
only hashed (django-oauth-toolkit). Revoking asks first (GET) and acts on POST.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.api import actions
from saferhub.api.forms import ClientForm

LIST_LIMIT = 200


def _manage_clients(request: HttpRequest) -> None:
    if not policy.can_manage_api_clients(request.user):
        raise PermissionDenied("Only partnership administrators manage API clients.")


@require_http_methods(["GET"])
def client_list(request: HttpRequest) -> HttpResponse:
    _manage_clients(request)
    clients: Any = policy.visible_api_clients(request.user).select_related(
        "application", "application__user", "application__user__agency"
    )[:LIST_LIMIT]
    return render(request, "api/clients.html", {"clients": clients})


@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    _manage_clients(request)
    form = ClientForm(request.POST or None, accounts=policy.api_client_accounts(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, secret = actions.create_api_client(
                data["system_account"],
                name=data["name"],
                scope=data["scope"],
                created_by=request.user,
                request=request,
            )
        except actions.ClientError as error:
            form.add_error(error.field, str(error))
        else:
            # Shown once, in this response only; never stored in clear, never put in a message or a redirect.
            response = render(
                request,
                "api/client_created.html",
                {"client": client, "application": client.application, "secret": secret},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(request, "api/client_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _manage_clients(request)
    client = policy.get_api_client_for_user(request.user, pk)
    if request.method == "POST":
        actions.revoke_api_client(request.user, client, request=request)
        messages.success(
            request,
            f"Client ‘{client.application.name}’ revoked. It can no longer get tokens, and its tokens no longer work.",
        )
        return redirect("api-pages:clients")
    return render(request, "api/client_revoke.html", {"client": client, "application": client.application})
