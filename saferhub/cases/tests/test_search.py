import pytest

from saferhub import policy
from saferhub.cases.models import Case
from saferhub.cases.tests.factories import CaseFactory, ParticipantFactory
from saferhub.people.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_words_must_all_match_one_participant():
    both = ParticipantFactory(person__first_name="Ambrose", person__last_name="Quill").case
    first_only = ParticipantFactory(person__first_name="Ambrose", person__last_name="Vetch").case
    assert set(Case.objects.search("ambrose quill")) == {both}
    assert set(Case.objects.search("AMBROSE")) == {both, first_only}


def test_reference_is_matched_exactly_and_title_by_substring():
    case = CaseFactory(reference="VCH-2024-00031", title="Bicycle theft at the depot")
    CaseFactory(reference="VCH-2024-00310")
    assert list(Case.objects.search("vch-2024-00031")) == [case]
    assert list(Case.objects.search("theft at")) == [case]


def test_search_never_reaches_beyond_the_cases_given():
    visible = ParticipantFactory(person__last_name="Thistlewood")
    hidden_case = CaseFactory(partnership=visible.case.partnership)
    ParticipantFactory(
        case=hidden_case, person=PersonFactory(partnership=hidden_case.partnership, last_name="Thistlewood")
    )
    from saferhub.accounts.tests.factories import UserFactory

    viewer = UserFactory(team=visible.case.owning_team)
    assert list(policy.visible_cases(viewer).search("thistlewood")) == [visible.case]
