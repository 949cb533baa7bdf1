"""The RJ journeys in headless Chromium.

1. A hub caseworker's Right 3 referral arrives in the RJ coordinator's queue; the coordinator
   records the risk assessment, screens the case, records both parties' consent, a conference
   and its outcome, and the follow-up with each party's satisfaction; the `rj` return counts it.
2. A police officer records a street resolution on a 375 px phone with no signal: the form is
   kept in IndexedDB as AES-GCM ciphertext (not the plaintext), sent when the signal returns,
   wiped from the phone, and exists once on the server.
Every page passes axe, has one <h1>, no horizontal scroll and no CSP errors.
"""

import pytest
from django.utils import timezone

from saferhub.core.tests.browser import assert_accessible, sign_in, sign_out
from saferhub.reporting.periods import quarter_of
from saferhub.rj.models import RjCase, Stage
from saferhub.rj.report import build
from saferhub.rj.tests.world import build_world
from saferhub.victims.tests.world import PASSWORD, accepted_referral

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
STORED = """async () => {
  const db = await new Promise((ok, fail) => { const r = indexedDB.open("saferhub-rj-street"); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const all = (name) => new Promise((ok, fail) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
  const items = await all("outbox");
  const keys = await all("keys");
  db.close();
  return {
    items: items.map((i) => ({id: i.id, bytes: Array.from(new Uint8Array(i.data)), ivLength: i.iv.length})),
    keys: keys.map((k) => ({type: k.type, extractable: k.extractable, algorithm: k.algorithm.name})),
    webStorage: JSON.stringify([{...window.localStorage}, {...window.sessionStorage}]),
    cookies: document.cookie,
  };
}"""


@pytest.fixture
def world(transactional_db):
    return build_world()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    check(page)


def check(page):
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{page.url} scrolls sideways"


def banner(page, text):
    page.wait_for_function("(t) => document.getElementById('rj-street-message').textContent.includes(t)", arg=text)


def submit(page, button):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def follow(page, link):
    page.get_by_role("link", name=link).first.click()
    page.wait_for_load_state()
    check(page)


def test_a_right_3_referral_is_screened_consented_conferenced_and_followed_up(world, page):
    hub = accepted_referral(world, shared=False)
    sign_in(page, world.colleague.email, PASSWORD)
    visit(page, f"/victims/referrals/{hub.pk}/")
    follow(page, "Refer to the restorative justice service (Right 3)")
    page.get_by_label("Crime", exact=True).check()
    page.get_by_label("Neither").check()
    page.get_by_label("What happened").fill("Synthetic: a car was damaged outside the victim's home.")
    submit(page, "Refer")
    rj = RjCase.objects.get(hub_referral=hub)

    sign_out(page)
    sign_in(page, world.owner.email, PASSWORD)
    visit(page, "/rj/")
    assert page.get_by_role("heading", name="Awaiting screening").count() == 1
    follow(page, rj.case.reference)
    follow(page, "Record the risk assessment")
    for radio in page.locator("input[type=radio][value=no]").all():
        radio.check()
    page.locator("input[type=radio][value=initial]").first.check()
    submit(page, "Save assessment")
    page.goto(f"/rj/cases/{rj.pk}/")
    follow(page, "Screen for suitability")
    page.get_by_label("Suitable", exact=True).check()
    submit(page, "Record the screening")
    assert RjCase.objects.get(pk=rj.pk).stage == Stage.PREPARATION
    for role in ("person harmed", "person responsible"):
        follow(page, f"Record consent of the {role}")
        page.get_by_label("Consented").check()
        submit(page, "Record consent")
    follow(page, "Record the intervention")
    page.get_by_label("Direct conference").check()
    page.get_by_label("Outcome agreement reached").check()
    page.get_by_label("What was agreed").fill("An apology and repair of the car.")
    submit(page, "Record the intervention")
    follow(page, "Record the follow-up")
    for name, choice in (
        ("harmed_satisfaction", "very_satisfied"), ("harmed_safety", "safer"),
        ("responsible_satisfaction", "satisfied"), ("responsible_safety", "same"),
    ):  # fmt: skip
        page.locator(f"input[name={name}][value={choice}]").check()
    submit(page, "Record the follow-up and close the case")
    check(page)
    rj.refresh_from_db()
    assert rj.stage == Stage.CLOSED and rj.intervention_kind == "direct_conference"

    quarter = quarter_of(timezone.localdate())
    result = build(world.partnership, quarter.start, quarter.end)
    assert {r["source"]: r["count"] for r in result["referrals"]["by_source"]}["victim_hub"] == 1
    assert result["consent"]["both_consented"] == 1 and result["interventions"]["total"] == 1
    assert result["satisfaction"]["satisfied"] == 2 and result["satisfaction"]["feel_safer"] == 1
    assert result["right_3"]["rj_informed"] >= 1 and result["right_3"]["referred_to_rj_service"] == 1


def test_an_officer_records_a_street_resolution_offline_and_it_arrives_when_back_online(world, page):
    page.set_viewport_size(PHONE)
    sign_in(page, world.officer.email, PASSWORD)
    visit(page, "/rj/street/")
    page.context.set_offline(True)
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("What happened").fill("Synthetic: shouting match outside the shop")
    page.get_by_label("Person harmed: first name").fill("Sandy")
    page.get_by_label("Person harmed: last name").fill("Shopkeep")
    page.get_by_label("Both parties agreed to take part").check()
    page.get_by_label("Resolved here: community resolution agreed").check()
    page.get_by_label("What was agreed").fill("An apology to the shopkeeper")
    page.get_by_role("button", name="Send").click()
    banner(page, "No signal")
    stored = page.evaluate(STORED)
    assert len(stored["items"]) == 1 and stored["items"][0]["ivLength"] == 12
    ciphertext = bytes(stored["items"][0]["bytes"])
    for plain in (b"Shopkeep", b"Sandy", b"shouting", b"apology", b"asb"):
        assert plain not in ciphertext
    assert stored["keys"] == [{"type": "secret", "extractable": False, "algorithm": "AES-GCM"}]
    # Nothing of the form anywhere else on the phone (GOV.UK Frontend keeps only its own UI state).
    for plain in ("Shopkeep", "Sandy", "shouting", "apology"):
        assert plain not in stored["webStorage"] and plain not in stored["cookies"]
    assert not RjCase.objects.exists()

    page.context.set_offline(False)
    banner(page, "has been sent")
    stored = page.evaluate(STORED)
    assert stored["items"] == [] and stored["keys"] == []
    rj = RjCase.objects.get()
    assert rj.street_resolution and rj.source == "police" and rj.intervention_kind == "community_resolution"
    assert rj.parties.get(role="harmed").person.last_name == "Shopkeep"
    # A resend of the same form (the answer lost on the way) never makes a second case.
    status = page.evaluate(
        """async (uuid) => {
          const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
          const r = await fetch("/rj/street/submit/", {method: "POST", headers: {"Content-Type": "application/json",
            "X-CSRFToken": token}, body: JSON.stringify({client_uuid: uuid, happened_on: new Date().toISOString().slice(0, 10),
            harm_kind: "asb", consent: "on", outcome: "resolved", agreed: "An apology"})});
          return r.status;
        }""",
        str(rj.client_uuid),
    )
    assert status == 200 and RjCase.objects.count() == 1
    check(page)
