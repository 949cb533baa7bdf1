"""The assessment pages against every kind of user, the generated form, and query counts."""

import pytest
from django.urls import reverse

from saferhub.assessments.actions import record_assessment
from saferhub.assessments.models import Assessment, Stage
from saferhub.assessments.tests.world import build_assessment_world, dash_answers, lowest_answers
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, RiskLevel
from saferhub.cases.tests.factories import ParticipantFactory

OWNER, TEAMMATE, COLLEAGUE, OTHER_AGENCY, SHARED, RESTRICTED, ANALYST, ANONYMOUS = (
    "owner",
    "teammate",
    "colleague",
    "other_agency",
    "shared",
    "restricted_outsider",
    "analyst",
    "anonymous",
)
ACTORS = [OWNER, TEAMMATE, COLLEAGUE, OTHER_AGENCY, SHARED, RESTRICTED, ANALYST, ANONYMOUS]


def _row(*statuses):
    return dict(zip(ACTORS, statuses, strict=True))


# The owning team and the agency the case is shared with may view and contribute; nobody else learns it exists.
EXPECTED = _row(200, 200, 404, 404, 200, 404, 404, 302)


@pytest.fixture
def world(db):
    w = build_assessment_world()
    w.assessment = record_assessment(w.owner, w.case, w.dash, dash_answers(11))
    w.restricted_assessment = record_assessment(w.owner, w.restricted_case, w.dash, dash_answers(4))
    return w


def _login(client, world, actor):
    user = {
        OWNER: world.owner,
        TEAMMATE: world.teammate,
        COLLEAGUE: world.colleague,
        OTHER_AGENCY: world.other_agency,
        SHARED: world.shared,
        RESTRICTED: world.teammate,
        ANALYST: world.analyst,
    }.get(actor)
    if user is not None:
        client.force_login(user)
    # The restricted outsider (a teammate not named on it) is tried on the restricted case.
    if actor == RESTRICTED:
        return world.restricted_case, world.restricted_assessment
    return world.case, world.assessment


def _urls(case, assessment):
    return {
        "assessments:case-list": reverse("assessments:case-list", kwargs={"reference": case.reference}),
        "assessments:start": reverse(
            "assessments:start", kwargs={"reference": case.reference, "template_code": "dash_risk_checklist"}
        ),
        "assessments:detail": reverse("assessments:detail", kwargs={"pk": assessment.pk}),
    }


@pytest.mark.parametrize("name", ["assessments:case-list", "assessments:start", "assessments:detail"])
@pytest.mark.parametrize("actor", ACTORS)
def test_get_permission_matrix(client, world, actor, name):
    case, assessment = _login(client, world, actor)
    response = client.get(_urls(case, assessment)[name])
    assert response.status_code == EXPECTED[actor]
    if response.status_code == 302:
        assert reverse("accounts:sign-in") in response["Location"]


@pytest.mark.parametrize("actor", ACTORS)
def test_post_permission_matrix(client, world, actor):
    case, assessment = _login(client, world, actor)
    before = Assessment.objects.count()
    data = {"stage": Stage.REVIEW, **{f"q_{k}": v for k, v in dash_answers(2).items()}}
    response = client.post(_urls(case, assessment)["assessments:start"], data)
    expected = {200: 302, 404: 404, 302: 302}[EXPECTED[actor]]
    assert response.status_code == expected
    assert Assessment.objects.count() == before + (1 if EXPECTED[actor] == 200 else 0)


def test_unknown_or_inactive_template_is_404(client, world):
    client.force_login(world.owner)
    url = reverse("assessments:start", kwargs={"reference": world.case.reference, "template_code": "no_such"})
    assert client.get(url).status_code == 404
    world.dash.__class__.objects.filter(pk=world.dash.pk).update(active=False)
    url = reverse(
        "assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"}
    )
    assert client.get(url).status_code == 404


def test_assessment_in_another_partnership_is_404(client, world):
    from saferhub.accounts.models import Role
    from saferhub.accounts.tests.factories import UserFactory

    stranger = UserFactory(roles=[Role.CASEWORKER])
    client.force_login(stranger)
    assert client.get(reverse("assessments:detail", kwargs={"pk": world.assessment.pk})).status_code == 404


def test_start_page_renders_every_question_as_govuk_radios(client, world):
    client.force_login(world.owner)
    response = client.get(
        reverse("assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"})
    )
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert html.count('class="govuk-radios__input"') == 3 + 24 * 3  # stage + yes/no/not known per question
    assert "govuk-radios--inline" in html
    assert 'name="q_strangled"' in html
    assert "Any pressure on the neck counts" in html
    # Second assessment of the same template defaults to a review.
    assert 'value="review" checked' in html


def test_start_page_offers_the_people_on_the_case(client, world):
    participant = ParticipantFactory(case=world.case)
    client.force_login(world.owner)
    response = client.get(
        reverse("assessments:start", kwargs={"reference": world.case.reference, "template_code": "victim_needs_risk"})
    )
    html = response.content.decode()
    assert 'name="person"' in html
    assert str(participant.person) in html
    assert 'value="initial" checked' in html
    assert '<h2 class="govuk-heading-m">Housing</h2>' in html


def test_missing_answers_show_an_error_summary_and_save_nothing(client, world):
    client.force_login(world.owner)
    before = Assessment.objects.count()
    answers = {f"q_{k}": v for k, v in dash_answers(3).items() if k != "weapon"}
    response = client.post(
        reverse(
            "assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"}
        ),
        {"stage": Stage.INITIAL, **answers},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_q_weapon_0"' in html
    assert "Answer question 13: Has the person used, or threatened to use, a weapon" in html
    assert "<title>Error: " in html
    assert Assessment.objects.count() == before


def test_owner_saves_and_the_case_risk_follows(client, world):
    person = ParticipantFactory(case=world.case).person
    client.force_login(world.owner)
    response = client.post(
        reverse(
            "assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"}
        ),
        {
            "stage": Stage.REVIEW,
            "person": person.pk,
            "notes": "Synthetic notes",
            **{f"q_{k}": v for k, v in dash_answers(14).items()},
        },
    )
    assessment = Assessment.objects.latest("pk")
    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": assessment.pk})
    assert (assessment.score, assessment.band_label, assessment.stage, assessment.person) == (
        14,
        "High",
        "review",
        person,
    )
    assert Case.objects.get(pk=world.case.pk).risk_level == RiskLevel.HIGH


def test_shared_agency_saves_but_cannot_change_the_case_risk(client, world):
    client.force_login(world.shared)
    url = reverse(
        "assessments:start", kwargs={"reference": world.case.reference, "template_code": "dash_risk_checklist"}
    )
    assert "only the team that owns the case can change its risk level" in client.get(url).content.decode()
    client.post(url, {"stage": Stage.REVIEW, **{f"q_{k}": v for k, v in dash_answers(20).items()}})
    assert Assessment.objects.latest("pk").band_label == "High"
    assert Case.objects.get(pk=world.case.pk).risk_level == RiskLevel.MEDIUM  # set by the owner's assessment


def test_detail_shows_answers_score_band_and_is_audited(client, world):
    client.force_login(world.shared)
    response = client.get(reverse("assessments:detail", kwargs={"pk": world.assessment.pk}))
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Domestic abuse risk checklist" in html
    assert ">11<" in html
    assert "Medium" in html
    assert "Not known" not in html
    assert html.count('<td class="govuk-table__cell">Yes</td>') == 11
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="assessments.assessment").get()
    assert (event.user, event.case_id, event.object_id) == (world.shared, world.case.pk, str(world.assessment.pk))


def test_refused_detail_is_not_audited_as_a_view(client, world):
    client.force_login(world.other_agency)
    client.get(reverse("assessments:detail", kwargs={"pk": world.assessment.pk}))
    assert not AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="assessments.assessment").exists()


def test_case_list_shows_change_since_initial(client, world):
    asb = world.asb
    high = {
        **lowest_answers(asb),
        "frequency": "daily",
        "feels_unsafe": "always",
        "daily_life": "severe",
        "health": "crisis",
        "hate_motivated": "yes",
    }
    record_assessment(world.owner, world.case, asb, high, stage=Stage.INITIAL)
    record_assessment(world.owner, world.case, asb, {**high, "health": "no"}, stage=Stage.REVIEW)
    record_assessment(world.owner, world.case, asb, lowest_answers(asb), stage=Stage.CLOSING)
    client.force_login(world.owner)
    response = client.get(reverse("assessments:case-list", kwargs={"reference": world.case.reference}))
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "ASB victim risk assessment" in html
    assert "From 15 to 0 (down 15); now Standard" in html
    assert ">-3<" in html and ">-15<" in html
    assert "Start an assessment" in html
    assert (
        reverse("assessments:start", kwargs={"reference": world.case.reference, "template_code": "victim_needs_risk"})
        in html
    )


def _add_assessments(world, count):
    person = ParticipantFactory(case=world.case).person
    for n in range(count):
        record_assessment(
            world.owner, world.case, world.asb, lowest_answers(world.asb), stage=Stage.REVIEW, person=person
        )
        record_assessment(world.owner, world.case, world.dash, dash_answers(n))


def test_case_list_query_count_is_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world.owner)
    url = reverse("assessments:case-list", kwargs={"reference": world.case.reference})
    _add_assessments(world, 2)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    _add_assessments(world, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_query_count_is_bounded(client, world, django_assert_max_num_queries):
    client.force_login(world.owner)
    needs_answers = {**lowest_answers(world.needs), "other_needs": "Synthetic need"}
    assessment = record_assessment(world.owner, world.case, world.needs, needs_answers)
    small = record_assessment(world.owner, world.case, world.dash, dash_answers(1))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("assessments:detail", kwargs={"pk": small.pk}))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("assessments:detail", kwargs={"pk": assessment.pk})).status_code == 200
