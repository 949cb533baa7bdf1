"""ASB pages: who may see and change what, forms that refuse statutory shortcuts, bounded queries."""

import datetime

import pytest
from django.urls import reverse

from saferhub.asb import actions
from saferhub.asb.models import AsbCase, Intervention, ReportedTo
from saferhub.asb.tests.world import build_world, kind

D = datetime.date


@pytest.fixture
def world(db):
    return build_world()


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


# Viewing an ASB case: owner, same-agency colleague, other agency, shared-with agency, restricted, analyst, anonymous.
@pytest.mark.parametrize(
    "who, status",
    [
        ("owner", 200),
        ("manager", 200),
        ("colleague", 404),
        ("other_agency", 404),
        ("shared", 200),
        ("analyst", 404),
        (None, 302),
    ],
)
def test_case_page_access(world, client, who, status):
    response = as_user(client, getattr(world, who) if who else None).get(
        reverse("asb:case", args=[world.case.reference])
    )
    assert response.status_code == status


@pytest.mark.parametrize("who, status", [("owner", 404), ("manager", 200), ("colleague", 404)])
def test_restricted_case_only_for_named_users(world, client, who, status):
    response = as_user(client, getattr(world, who)).get(reverse("asb:case", args=[world.restricted.reference]))
    assert response.status_code == status


@pytest.mark.parametrize("who, status", [("owner", 200), ("shared", 403), ("colleague", 404), ("analyst", 404)])
def test_only_the_owning_team_records_tools_and_powers(world, client, who, status):
    response = as_user(client, getattr(world, who)).get(reverse("asb:intervention-add", args=[world.case.reference]))
    assert response.status_code == status


@pytest.mark.parametrize("who, status", [("owner", 200), ("shared", 200), ("colleague", 404)])
def test_owning_team_and_shares_record_reports(world, client, who, status):
    response = as_user(client, getattr(world, who)).get(reverse("asb:report-add", args=[world.case.reference]))
    assert response.status_code == status


def test_a_general_case_is_not_an_asb_case(world, client):
    AsbCase.objects.filter(case=world.case).delete()
    assert as_user(client, world.owner).get(reverse("asb:case", args=[world.case.reference])).status_code == 404


@pytest.mark.parametrize(
    "who, status", [("owner", 200), ("manager", 200), ("colleague", 200), ("analyst", 404), ("admin", 200)]
)
def test_index_page(world, client, who, status):
    assert as_user(client, getattr(world, who)).get(reverse("asb:index")).status_code == status


def test_officer_opens_a_case_and_records_a_report(world, client):
    as_user(client, world.owner)
    response = client.post(
        reverse("asb:case-create"),
        {
            "title": "Graffiti on the invented underpass",
            "category": world.asb.category.pk,
            "ward": world.ward.pk,
            "location": "Underpass",
        },
    )
    asb = AsbCase.objects.exclude(pk__in=[world.asb.pk]).exclude(case=world.restricted).get()
    assert response.status_code == 302 and asb.case.owning_team == world.asb_team
    response = client.post(
        reverse("asb:report-add", args=[asb.case.reference]),
        {
            "behaviour_on": "2024-03-01",
            "summary": "Tagging",
            "reported_to": ReportedTo.POLICE,
            "reported_on": "2024-03-02",
        },
    )
    assert response.status_code == 302 and asb.case.asb_reports.count() == 1


def test_the_form_shows_the_broken_rule_and_saves_nothing(world, client):
    as_user(client, world.owner)
    data = {"kind": kind(world.partnership, "cpn").pk, "person": world.subject.pk, "served_on": "2024-03-01"}
    response = client.post(reverse("asb:intervention-add", args=[world.case.reference]), data)
    assert response.status_code == 200 and not Intervention.objects.exists()
    assert "CPN needs a written warning" in response.content.decode()
    data["kind"] = kind(world.partnership, "cpn_warning").pk
    assert client.post(reverse("asb:intervention-add", args=[world.case.reference]), data).status_code == 302
    data |= {"kind": kind(world.partnership, "cpn").pk, "served_on": "2024-03-20"}
    assert client.post(reverse("asb:intervention-add", args=[world.case.reference]), data).status_code == 302
    assert Intervention.objects.filter(kind__code="cpn").count() == 1


def test_pspo_pages_and_settings(world, client):
    as_user(client, world.owner)
    assert client.get(reverse("asb:pspo-create")).status_code == 403
    assert client.get(reverse("asb:settings")).status_code == 200
    assert client.get(reverse("asb:setting-add")).status_code == 403
    as_user(client, world.manager)
    response = client.get(reverse("asb:pspo-create"))
    assert "Not to start or build open fires" in response.content.decode()  # seeded from pspo_conditions_example
    response = client.post(
        reverse("asb:pspo-create"),
        {
            "name": "Invented PSPO",
            "area": "Borough",
            "starts_on": "2022-12-01",
            "ends_on": "2026-12-01",
            "conditions": "One\nTwo",
        },
    )
    assert "PSPO up to 3 years" in response.content.decode()
    as_user(client, world.admin)
    response = client.post(
        reverse("asb:setting-add"),
        {"key": "fpn_max_pence", "value": "50000", "effective_from": "2027-01-01", "source": "Placeholder"},
    )
    assert response.status_code == 302


def test_pages_run_a_bounded_number_of_queries(world, client, django_assert_max_num_queries):
    for i in range(6):
        actions.record_report(
            world.owner,
            world.case,
            reported_to=ReportedTo.COUNCIL,
            reported_on=D(2024, 3, i + 2),
            behaviour_on=D(2024, 3, i + 1),
            summary=f"Noise {i}",
            reporter=world.victim,
        )
        actions.record_intervention(
            world.owner,
            world.case,
            partnership=world.partnership,
            kind=kind(world.partnership, "warning_letter"),
            person=world.subject,
            served_on=D(2024, 3, i + 1),
        )
    for _ in range(5):
        actions.submit_case_review(world.owner, partnership=world.partnership, applicant_name="A", problem="x")
    as_user(client, world.owner)
    for name, args in (
        ("asb:case", [world.case.reference]),
        ("asb:index", []),
        ("asb:register", []),
        ("asb:reviews", []),
    ):
        with django_assert_max_num_queries(30):
            assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("who, status", [("owner", 200), ("colleague", 404), ("analyst", 404)])
def test_case_reviews_belong_to_the_receiving_team(world, client, who, status):
    review = actions.submit_case_review(None, partnership=world.partnership, applicant_name="A", problem="x")
    as_user(client, getattr(world, who))
    assert client.get(reverse("asb:review", args=[review.reference])).status_code == status
