"""Webhooks: a partner hears of events about its agency that its user may see; signed; retried with back-off.

A real HTTP receiver runs on loopback in a thread; deliveries go out from the task (never
from the request that caused the event).
"""

import datetime
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.utils import timezone

from saferhub.api.models import DeliveryStatus, WebhookDelivery
from saferhub.api.tests.world import api_world, client_as
from saferhub.api.webhooks import send_due
from saferhub.cases import actions as case_actions
from saferhub.cases.models import LawfulBasis
from saferhub.victims import actions as hub_actions
from saferhub.victims.tests.world import new_referral

pytestmark = pytest.mark.django_db


class Receiver:
    """A loopback endpoint that records what it receives and answers with `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers.items()), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/saferhub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.API_WEBHOOK_ALLOW_HTTP = True
    receiver = Receiver()
    yield receiver
    receiver.close()


def _subscribe(world, who, url, events):
    response = client_as(world, who).post("webhooks/", {"url": url, "events": events})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_decision_is_sent_signed_to_the_referring_agency_only(receiver, django_capture_on_commit_callbacks):
    world = api_world()
    housing = _subscribe(world, "shared", receiver.url, ["referral.decided"])
    _subscribe(world, "other_agency", receiver.url, ["referral.decided", "referral.received"])  # police: not theirs
    with django_capture_on_commit_callbacks(execute=True):
        hub = new_referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        hub_actions.accept_hub_referral(world.owner, hub, assigned_to=world.owner)
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    payload = json.loads(body)
    assert headers["X-Saferhub-Event"] == "referral.decided"
    assert payload["referral"] == {
        "id": hub.referral_id,
        "decision": "accepted",
        "decided_at": payload["referral"]["decided_at"],
        "url": f"/api/v1/referrals/{hub.referral_id}/",
    }
    assert "Testwell" not in body.decode() and "burglary" not in body.decode()  # ids only, no personal details
    expected = hmac.new(
        housing["secret"].encode(), headers["X-Saferhub-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert headers["X-Saferhub-Signature"] == f"sha256={expected}"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.DELIVERED


def test_the_hub_hears_of_referrals_received_and_housing_of_a_case_shared(receiver, django_capture_on_commit_callbacks):
    world = api_world()
    _subscribe(world, "owner", receiver.url, ["referral.received"])
    _subscribe(world, "shared", receiver.url, ["case.shared"])
    with django_capture_on_commit_callbacks(execute=True):
        hub = new_referral(world)
    assert [json.loads(body)["event"] for _, body in receiver.received] == ["referral.received"]
    case = hub_actions.accept_hub_referral(world.owner, hub, assigned_to=world.owner)
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.share_case(
            world.owner,
            case,
            purpose="Joint safety planning",
            lawful_basis=LawfulBasis.PUBLIC_TASK,
            agency=world.housing,
        )
    events = [json.loads(body) for _, body in receiver.received]
    assert events[-1]["event"] == "case.shared" and events[-1]["case"]["reference"] == case.reference


def test_a_failed_delivery_is_retried_with_back_off_then_given_up(receiver, django_capture_on_commit_callbacks):
    world = api_world()
    _subscribe(world, "owner", receiver.url, ["referral.received"])
    receiver.status = 500
    with django_capture_on_commit_callbacks(execute=True):
        new_referral(world)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_status_code == 500
    first_wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < first_wait <= datetime.timedelta(minutes=1)
    assert send_due() == 0  # not due yet
    assert send_due(timezone.now() + datetime.timedelta(minutes=2)) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert delivery.next_attempt_at - timezone.now() > datetime.timedelta(minutes=4)  # longer each time
    for _ in range(10):
        send_due(timezone.now() + datetime.timedelta(days=1))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 6
    receiver.status = 200
    assert send_due(timezone.now() + datetime.timedelta(days=2)) == 0


def test_subscriptions_are_checked(settings):
    world = api_world()
    settings.API_WEBHOOK_ALLOW_HTTP = False
    refused = client_as(world, "shared").post("webhooks/", {"url": "http://example.org/x", "events": ["case.shared"]})
    assert refused.status_code == 400 and "https://" in refused.json()["url"][0]
    unknown = client_as(world, "shared").post("webhooks/", {"url": "https://example.org/x", "events": ["everything"]})
    assert unknown.status_code == 400
    assert (
        client_as(world, "analyst")
        .post("webhooks/", {"url": "https://example.org/x", "events": ["case.shared"]})
        .status_code
        == 403
    )
    made = _subscribe(world, "shared", "https://example.org/x", ["case.shared"])
    assert client_as(world, "owner").get(f"webhooks/{made['id']}/").status_code == 404
    assert (
        client_as(world, "shared")
        .client.delete(f"/api/v1/webhooks/{made['id']}/", **client_as(world, "shared").headers)
        .status_code
        == 204
    )
