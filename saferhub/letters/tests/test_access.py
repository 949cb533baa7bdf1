"""Who may open which letters page: owner, same-agency colleague, other agency, shared-with agency, restricted
outsider, analyst, administrator and anonymous."""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.letters import actions
from saferhub.letters.models import LetterKind
from saferhub.letters.tests.world import letters_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = letters_world()
    for case in (world.case, world.restricted):
        world.__dict__.setdefault("letters", {})[case.pk] = actions.issue_letter(
            world.manager,
            partnership=world.partnership,
            kind=LetterKind.ENGAGEMENT,
            values={"recipient.name": "A Testresident", "case.reference": case.reference},
            case=case,
        )
    return world


def status(world, who, url_for):
    client = Client()
    # The restricted outsider is the case's owning-team caseworker, not named on the restricted case.
    user, case = {
        "owner": (world.owner, world.case),
        "colleague": (world.colleague, world.case),
        "other_agency": (world.other_agency, world.case),
        "shared": (world.shared, world.case),
        "restricted_outsider": (world.owner, world.restricted),
        "analyst": (world.analyst, world.case),
        "admin": (world.admin, world.case),
        "anonymous": (None, world.case),
    }[who]
    if user is not None:
        client.force_login(user)
    response = client.get(url_for(world, case))
    if user is None:
        assert response.status_code == 302 and "/sign-in/" in response.url
        return "sign-in"
    return response.status_code


WHO = ["owner", "colleague", "other_agency", "shared", "restricted_outsider", "analyst", "admin", "anonymous"]
PAGES = {
    "letters on the case": lambda w, c: reverse("letters:case", args=[c.reference]),
    "issue a letter": lambda w, c: reverse("letters:case-new", args=[c.reference]),
    "download a letter": lambda w, c: reverse("letters:download", args=[w.letters[c.pk].pk]),
    "letter templates": lambda w, c: reverse("letters:templates"),
    "edit a template": lambda w, c: reverse("letters:template-edit", args=["cpw"]),
    "public details": lambda w, c: reverse("letters:public-details"),
}
EXPECTED = {
    #                      owner colleague other shared restricted analyst admin anonymous
    "letters on the case": (200, 404, 404, 200, 404, 404, 404, "sign-in"),
    "issue a letter": (200, 404, 404, 403, 404, 404, 404, "sign-in"),
    "download a letter": (200, 404, 404, 200, 404, 404, 404, "sign-in"),
    "letter templates": (404, 404, 404, 404, 404, 404, 200, "sign-in"),
    "edit a template": (404, 404, 404, 404, 404, 404, 200, "sign-in"),
    "public details": (404, 404, 404, 404, 404, 404, 200, "sign-in"),
}


@pytest.mark.parametrize("who", WHO)
def test_permission_matrix(world, who):
    seen = {page: status(world, who, url_for) for page, url_for in PAGES.items()}
    assert seen == {page: EXPECTED[page][WHO.index(who)] for page in PAGES}


def test_only_the_owning_team_issues_and_a_sharer_cannot_post(world):
    client = Client()
    client.force_login(world.shared)
    url = reverse("letters:case-new", args=[world.case.reference])
    response = client.post(
        url, {"kind": "engagement", "recipient": world.victim.pk, "deadline": "18/12/2026", "issue": ""}
    )
    assert response.status_code == 403
    assert world.case.letters.count() == 1
