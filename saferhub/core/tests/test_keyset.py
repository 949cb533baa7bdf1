"""Keyset pagination over the visibility union: stable order, no row twice, page N costs what page 1 costs."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saferhub import policy
from saferhub.cases.models import Case
from saferhub.cases.tests.factories import CaseFactory, CaseShareFactory, ParticipantFactory
from saferhub.cases.tests.test_case_world import build_world
from saferhub.core.keyset import Key, KeysetPaginator, decode_cursor, encode_cursor

URL = reverse("cases:list")
ORDER = ("-opened_on", "-pk")


@pytest.fixture
def world(db):
    return build_world()


def _walk(paginator, params=""):
    """Every page, following "next" links: the list of pages' primary keys."""
    pages, query = [], QueryDict(params, mutable=True)
    while True:
        page = paginator.page(query)
        pages.append([row.pk for row in page.object_list])
        if not page.has_next:
            return pages
        query = QueryDict(page.next_url.lstrip("?"))


def test_pages_follow_the_order_with_ties_broken_by_key_and_no_row_twice(world):
    day = datetime.date(2026, 3, 1)
    # Many cases opened on the same day: the primary key decides their order.
    CaseFactory.create_batch(23, owning_team=world.owner_team, case_type=world.case_type, opened_on=day)
    theirs = CaseFactory.create_batch(4, owning_team=world.housing_team, case_type=world.case_type, opened_on=day)
    for case in theirs:
        CaseShareFactory(case=case, team=world.owner_team)
    paginator = KeysetPaginator(Case.objects.all(), policy.visible_case_parts(world.owner), ORDER, per_page=5)
    pages = _walk(paginator)
    flat = [pk for page in pages for pk in page]
    expected = list(policy.visible_cases(world.owner).order_by(*ORDER).values_list("pk", flat=True))
    assert flat == expected
    assert len(flat) == len(set(flat))
    assert all(len(page) == 5 for page in pages[:-1])


def test_previous_goes_back_to_the_same_rows(world):
    CaseFactory.create_batch(12, owning_team=world.owner_team, case_type=world.case_type)
    paginator = KeysetPaginator(Case.objects.all(), policy.visible_case_parts(world.owner), ORDER, per_page=5)
    first = paginator.page(QueryDict())
    assert not first.has_previous
    second = paginator.page(QueryDict(first.next_url.lstrip("?")))
    back = paginator.page(QueryDict(second.previous_url.lstrip("?")))
    assert [c.pk for c in back.object_list] == [c.pk for c in first.object_list]
    assert not back.has_previous and back.has_next


def test_a_cursor_that_does_not_parse_shows_the_first_page(world):
    paginator = KeysetPaginator(Case.objects.all(), policy.visible_case_parts(world.owner), ORDER, per_page=5)
    first = [c.pk for c in paginator.page(QueryDict()).object_list]
    for token in ("nonsense", encode_cursor(["not a date", 3]), encode_cursor([1])):
        assert [c.pk for c in paginator.page(QueryDict(f"after={token}")).object_list] == first


def test_cursor_round_trip_keeps_types():
    keys = [Key.parse("-opened_on"), Key.parse("-pk")]
    token = encode_cursor([datetime.date(2026, 5, 4), 17])
    assert decode_cursor(Case, keys, token) == [datetime.date(2026, 5, 4), 17]


def test_an_ordering_must_end_with_the_key():
    with pytest.raises(ValueError, match="primary key"):
        KeysetPaginator(Case.objects.all(), [], ("-opened_on",))


def test_a_later_page_runs_the_queries_page_one_runs(client, world):
    CaseFactory.create_batch(80, owning_team=world.owner_team, case_type=world.case_type)
    client.force_login(world.owner)
    with CaptureQueriesContext(connection) as first_queries:
        response = client.get(URL)
    page = response.context["page_obj"]
    for _ in range(2):
        page = client.get(URL, {"after": page.next_cursor}).context["page_obj"]
    with CaptureQueriesContext(connection) as later_queries:
        client.get(URL, {"after": page.next_cursor})
    assert len(later_queries.captured_queries) == len(first_queries.captured_queries)


def test_outsiders_see_no_rows_whatever_the_cursor(client, world):
    hidden = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    client.force_login(world.owner)
    token = encode_cursor([hidden.opened_on + datetime.timedelta(days=1), hidden.pk + 1])
    refs = [c.reference for c in client.get(URL, {"after": token}).context["page_obj"].object_list]
    assert hidden.reference not in refs


@pytest.mark.parametrize("text", ["Glenmorrow", "glenmorrow", "Amy Glenmorrow"])
def test_name_search_finds_the_participant(client, world, text):
    ParticipantFactory(case=world.case, person__first_name="Amy", person__last_name="Glenmorrow")
    client.force_login(world.owner)
    refs = [c.reference for c in client.get(URL, {"q": text}).context["page_obj"].object_list]
    assert refs == [world.case.reference]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram and unaccent search is PostgreSQL's")
@pytest.mark.parametrize("text", ["Glenmorow", "Glenmorrw", "Zoë", "Zoe", "Chloé Glenmorrow"])
def test_a_misspelt_or_unaccented_name_still_finds_the_person(client, world, text):
    ParticipantFactory(case=world.case, person__first_name="Zoe", person__last_name="Glenmorrow")
    other = CaseFactory(owning_team=world.owner_team, case_type=world.case_type)
    ParticipantFactory(case=other, person__first_name="Chloe", person__last_name="Glenmorrow")
    client.force_login(world.owner)
    refs = {c.reference for c in client.get(URL, {"q": text}).context["page_obj"].object_list}
    assert refs & {world.case.reference, other.reference}
    assert "Zo" not in text or refs == {world.case.reference}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram and unaccent search is PostgreSQL's")
def test_search_never_reaches_past_what_the_user_may_see(client, world):
    hidden = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    ParticipantFactory(case=hidden, person__first_name="Amy", person__last_name="Glenmorrow")
    client.force_login(world.owner)
    refs = [c.reference for c in client.get(URL, {"q": "Glenmorow"}).context["page_obj"].object_list]
    assert hidden.reference not in refs


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram and unaccent search is PostgreSQL's")
def test_person_search_forgives_a_misspelling_within_what_the_user_may_see(client, world):
    seen = ParticipantFactory(case=world.case, person__first_name="Amy", person__last_name="Glenmorrow").person
    hidden_case = CaseFactory(owning_team=world.police_team, case_type=world.case_type)
    hidden = ParticipantFactory(case=hidden_case, person__first_name="Amy", person__last_name="Glenmorrow").person
    client.force_login(world.owner)
    found = {p.pk for p in client.get(reverse("people:search"), {"q": "Glenmorow"}).context["page_obj"].object_list}
    assert seen.pk in found
    assert hidden.pk not in found


def test_a_cursor_keeps_the_microseconds_of_a_datetime():
    import datetime

    from saferhub.cases.models import Referral
    from saferhub.core.keyset import Key, decode_cursor, encode_cursor

    at = datetime.datetime(2026, 11, 30, 13, 5, 7, 123456, tzinfo=datetime.UTC)
    keys = [Key.parse("received_at"), Key.parse("pk")]
    assert decode_cursor(Referral, keys, encode_cursor([at, 7])) == [at, 7]
