"""The police officer's street page: record a street RJ / community resolution on a phone.

The page works as a plain form (POST to the same URL). With JavaScript (static
`saferhub/rj-street.mjs`), the form is sent as JSON to `street-submit`; with no signal it is
kept on the phone encrypted (AES-GCM, a non-extractable key in IndexedDB) and sent when the
connection returns, then wiped once the server has accepted it. The phone's UUID, made when the
page loads, makes every resend of the same form land on the same case.
"""

import json
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.core.guards import require
from saferhub.people.actions import create_person
from saferhub.rj import actions
from saferhub.rj.forms import StreetForm, StreetOutcome
from saferhub.rj.views.common import today

REFUSAL = "Only police officers and the restorative justice service record street resolutions."


def _save(request: HttpRequest, data: dict[str, Any]) -> tuple[Any, bool]:
    user: Any = request.user

    def person(prefix: str) -> Any:
        if not data.get(f"{prefix}_first_name"):
            return None
        return create_person(
            user,
            partnership=user.partnership,
            first_name=data[f"{prefix}_first_name"],
            last_name=data[f"{prefix}_last_name"],
            request=request,
        )

    existing = actions.RjCase.objects.filter(client_uuid=data["client_uuid"]).first()
    if existing is not None:
        # A resend: answer as the first time without making the people again.
        return actions.record_street_resolution(
            user, user.partnership, client_uuid=data["client_uuid"], happened_on=data["happened_on"],
            harm_kind=data["harm_kind"], summary=data["summary"], harmed=None, responsible=None,
            resolved=True, request=request,
        )  # fmt: skip
    return actions.record_street_resolution(
        user,
        user.partnership,
        client_uuid=data["client_uuid"],
        happened_on=data["happened_on"],
        harm_kind=data["harm_kind"],
        summary=data["summary"],
        harmed=person("harmed"),
        responsible=person("responsible"),
        resolved=data["outcome"] == StreetOutcome.RESOLVED,
        agreed=data["agreed"],
        provider=data["provider"],
        request=request,
    )


@require_http_methods(["GET", "POST"])
@require(policy.can_record_street_resolution, REFUSAL)
def street(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    initial = {"client_uuid": uuid.uuid4(), "happened_on": today()}
    form = StreetForm(request.POST or None, partnership_id=user.partnership_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            rj, _created = _save(request, form.cleaned_data)
        except actions.RjError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, f"Street resolution recorded: {rj.case.reference}.")
            return redirect(reverse("rj:street"))
    return render(request, "rj/street.html", {"form": form})


@require_http_methods(["POST"])
@require(policy.can_record_street_resolution, REFUSAL)
def street_submit(request: HttpRequest) -> JsonResponse:
    """The JSON end of the street page: 201 when the case is made, 200 when this UUID was already accepted."""
    user: Any = request.user
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"errors": {"__all__": ["The form could not be read: reload the page"]}}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"errors": {"__all__": ["The form could not be read: reload the page"]}}, status=400)
    form = StreetForm({k: v for k, v in payload.items() if v is not None}, partnership_id=user.partnership_id)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    try:
        rj, created = _save(request, form.cleaned_data)
    except actions.RjError as exc:
        return JsonResponse({"errors": {exc.field or "__all__": [{"message": str(exc)}]}}, status=409)
    return JsonResponse({"reference": rj.case.reference, "created": created}, status=201 if created else 200)
