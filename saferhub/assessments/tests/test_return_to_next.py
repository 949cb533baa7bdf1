"""`?next=` on the start page: the back link and where saving returns to, for paths on this site only."""

import pytest
from django.urls import reverse

from saferhub.assessments.models import Assessment, Stage
from saferhub.assessments.tests.world import build_assessment_world, dash_answers

CAME_FROM = "/victims/referrals/7/?tab=support"


@pytest.fixture
def world(db):
    return build_assessment_world()


def start_url(world, next_url=None):
    url = reverse(
        "assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"}
    )
    return url if next_url is None else f"{url}?{next_url}"


def answers():
    return {"stage": Stage.INITIAL, **{f"q_{k}": v for k, v in dash_answers(3).items()}}


def test_saving_returns_to_the_page_the_worker_came_from(client, world):
    client.force_login(world.owner)
    url = start_url(world, "next=%2Fvictims%2Freferrals%2F7%2F%3Ftab%3Dsupport")
    html = client.get(url).content.decode()
    assert 'href="/victims/referrals/7/?tab=support" class="govuk-back-link"' in html
    response = client.post(url, answers())
    assert response.status_code == 302 and response["Location"] == CAME_FROM
    assert Assessment.objects.filter(case=world.case).count() == 1


def test_without_next_saving_shows_the_assessment_and_back_goes_to_the_case_list(client, world):
    client.force_login(world.owner)
    html = client.get(start_url(world)).content.decode()
    case_list = reverse("assessments:case-list", kwargs={"reference": world.case.reference})
    assert f'href="{case_list}" class="govuk-back-link"' in html
    response = client.post(start_url(world), answers())
    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": Assessment.objects.get().pk})


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/victims/",
        "victims/referrals/7/",
    ],
)
def test_anything_but_a_path_on_this_site_is_ignored(client, world, unsafe):
    client.force_login(world.owner)
    url = f"{start_url(world)}?next={unsafe}"
    html = client.get(url).content.decode()
    assert "evil.example" not in html and "javascript:" not in html
    response = client.post(url, answers())
    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": Assessment.objects.get().pk})


def test_a_failed_save_keeps_the_next_path(client, world):
    client.force_login(world.owner)
    url = start_url(world, "next=/victims/referrals/7/")
    html = client.post(url, {"stage": Stage.INITIAL}).content.decode()
    assert 'href="/victims/referrals/7/" class="govuk-back-link"' in html
    assert not Assessment.objects.exists()
