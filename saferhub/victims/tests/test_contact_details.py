"""Issue 13: the hub referral asks how to contact the person (the hub must make contact within 2 working days)."""

import pytest

from saferhub.victims.models import HubReferral
from saferhub.victims.tests.test_hub_flow import referral_post
from saferhub.victims.tests.world import build_world, client_for

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_phone": " 07700 900123 ",
    "contact_email": "robin@example.org",
    "contact_address": "4 Invented Close",
    "safe_contact_method": "text",
    "safe_to_leave_message": "no",
    "language": "Polish",
    "interpreter_needed": "yes",
}


@pytest.fixture
def world():
    return build_world()


def test_the_referral_records_how_to_contact_the_person_and_the_page_shows_it(world):
    response = client_for(world, "shared").post("/victims/referrals/new/", referral_post(world, **CONTACT))
    assert response.status_code == 302
    hub = HubReferral.objects.get()
    assert (hub.contact_phone, hub.contact_email, hub.safe_contact_method) == (
        "07700 900123",
        "robin@example.org",
        "text",
    )
    assert (hub.safe_to_leave_message, hub.language, hub.interpreter_needed) == ("no", "Polish", "yes")
    page = client_for(world, "owner").get(f"/victims/referrals/{hub.pk}/").content.decode()
    assert "07700 900123" in page and "Text message" in page and "safe to leave a message: no" in page
    assert "Polish; interpreter needed: yes" in page


def test_unanswered_contact_questions_are_not_known(world):
    assert client_for(world, "shared").post("/victims/referrals/new/", referral_post(world)).status_code == 302
    hub = HubReferral.objects.get()
    assert (hub.safe_to_leave_message, hub.interpreter_needed, hub.contact_phone) == ("unknown", "unknown", "")


@pytest.mark.parametrize(
    ("method", "field", "message"),
    [
        ("phone", "contact_phone", "Enter a phone number, or choose another way to contact them"),
        ("email", "contact_email", "Enter an e-mail address, or choose another way to contact them"),
        ("letter", "contact_address", "Enter an address, or choose another way to contact them"),
    ],
)
def test_a_safe_way_of_contact_needs_its_detail(world, method, field, message):
    data = referral_post(world, safe_contact_method=method)
    response = client_for(world, "shared").post("/victims/referrals/new/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not HubReferral.objects.exists()
