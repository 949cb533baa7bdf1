"""The hub tests' synthetic partnership (saferhub/victims/tests/world.py), with API credentials.

Added: a system account of the council ("Council case system", a casework user of the
council's Community Safety Team, as a council's own system would be set up) and a second
partnership whose caseworker must never see anything of the first.
"""

import json
from types import SimpleNamespace
from typing import Any

from django.test import Client

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.api.tokens import create_token
from saferhub.victims.tests.world import build_world

API = "/api/v1"


def api_world() -> SimpleNamespace:
    world = build_world()
    systems = TeamFactory(agency=world.council, name="Council case system")
    world.system = UserFactory(team=systems, full_name="Council case system (system account)", roles=[Role.CASEWORKER])
    world.users["system"] = world.system
    elsewhere = PartnershipFactory(name="Elsewhere Community Safety Partnership")
    other_team = TeamFactory(
        agency=AgencyFactory(partnership=elsewhere, name="Elsewhere Council"), name="Elsewhere Team"
    )
    world.stranger = UserFactory(team=other_team, full_name="Stella Stranger", roles=[Role.CASEWORKER, Role.ANALYST])
    world.users["stranger"] = world.stranger
    return world


class ApiClient:
    """A test client that sends a bearer token (or nothing, for anonymous) and reads JSON."""

    def __init__(self, secret: str | None) -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path if path.startswith("/") else f"{API}/{path}", params, **self.headers)

    def post(self, path: str, data: Any, **extra: Any) -> Any:
        url = path if path.startswith("/") else f"{API}/{path}"
        return self.client.post(url, json.dumps(data), content_type="application/json", **self.headers, **extra)

    def patch(self, path: str, data: Any) -> Any:
        url = path if path.startswith("/") else f"{API}/{path}"
        return self.client.patch(url, json.dumps(data), content_type="application/json", **self.headers)


def client_as(world: SimpleNamespace, who: str, scope: str = "write") -> ApiClient:
    if who == "anonymous":
        return ApiClient(None)
    _, secret = create_token(world.users[who], name=f"{who} test token", scope=scope)
    return ApiClient(secret)
