"""Schemathesis, property-based from our own OpenAPI schema, against the API on a seeded database.

Every operation is called with generated requests (valid and invalid) as a caseworker with a
write token, and the returns as an analyst. Nothing may answer 5xx, no response may break the
schema, and no response may hold anything of another agency's unshared case or of another
partnership. Examples are few per operation, so the run stays well under a minute.
"""

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as examples

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.api.tests.world import api_world
from saferhub.api.tokens import create_token
from saferhub.cases import actions as case_actions
from saferhub.cases.models import CaseType
from saferhub.victims.tests.world import accepted_referral, new_referral

pytestmark = pytest.mark.django_db

EXAMPLES = 6


def _seed():
    world = api_world()
    accepted_referral(world)
    new_referral(world)
    police_type = CaseType.objects.filter(partnership=world.partnership).first()
    police_officer = UserFactory(team=world.police_team, full_name="Pat Police", roles=[Role.CASEWORKER])
    police_case = case_actions.create_case(
        police_officer, case_type=police_type, owning_team=world.police_team, title="Synthetic police-only matter"
    )
    elsewhere_type = CaseType.objects.create(
        partnership=world.stranger.partnership, code="asb", name="ASB", prefix="ELS"
    )
    elsewhere = case_actions.create_case(
        world.stranger, case_type=elsewhere_type, owning_team=world.stranger.team, title="Synthetic elsewhere matter"
    )
    secrets = [police_case.reference, police_case.title, elsewhere.reference, elsewhere.title, "Elsewhere"]
    return world, secrets


def _operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def _exercise(operation, headers, secrets):
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance

    @examples(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case):
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        leaked = [secret for secret in secrets if secret in response.text]
        assert not leaked, f"{case.method} {case.formatted_path} showed {leaked}"

    call()


def test_no_server_error_no_schema_break_no_other_agency(settings):
    import schemathesis

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # the host Schemathesis sends
    world, secrets = _seed()
    tokens = {
        who: create_token(world.users[who], name="Schemathesis", scope="write")[1] for who in ("owner", "analyst")
    }
    # As Django's test client does: the test's database connection stays open between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())
        checked = 0
        for operation in _operations(schema):
            who = "analyst" if "/returns/" in operation.path or "/crime-dashboard/" in operation.path else "owner"
            _exercise(operation, {"Authorization": f"Bearer {tokens[who]}"}, secrets)
            checked += 1
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert checked >= 25  # every operation of the schema was exercised
