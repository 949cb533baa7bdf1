"""Phonetic keys, trigram similarity and the ranking of likely matches (people.matching)."""

import datetime

import pytest

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.people import matching
from saferhub.people.models import Alias, Person
from saferhub.people.tests.factories import PersonFactory

DOB = datetime.date(1990, 4, 12)


def test_phonetic_keys_hear_spelling_variants():
    assert matching.phonetic_key("Smith") == matching.phonetic_key("Smyth")
    assert matching.phonetic_key("Catherine") == matching.phonetic_key("Kathryn")
    assert matching.phonetic_key("Smith") != matching.phonetic_key("Jones")
    assert matching.phonetic_key("Zoë") == matching.phonetic_key("Zoe")
    assert matching.phonetic_key("") == ""
    assert matching.alias_keys("Kat Smyth") == (matching.phonetic_key("Kat"), matching.phonetic_key("Smyth"))


def test_similarity_is_pg_trgm_similarity():
    assert matching.similarity("word", "word") == 1.0
    assert matching.similarity("word", "") == 0.0
    # pg_trgm: similarity('word', 'two words') = 4/11 (the trigrams of the longer text include the shorter's).
    assert matching.similarity("word", "two words") == pytest.approx(4 / 11)
    assert matching.similarity("Glenmorrow", "Glenmorow") > 0.6


@pytest.mark.django_db
def test_keys_are_kept_on_save_update_and_bulk_create():
    partnership = PartnershipFactory()
    person = PersonFactory(partnership=partnership, first_name="Kathryn", last_name="Smyth")
    assert (person.first_name_key, person.last_name_key) == matching.name_keys("Kathryn", "Smyth")
    person.last_name = "Jones"
    person.save(update_fields=["last_name"])
    assert Person.objects.get(pk=person.pk).last_name_key == matching.phonetic_key("Jones")
    (bulk,) = Person.objects.bulk_create([Person(partnership=partnership, first_name="Stephen", last_name="Thomas")])
    assert Person.objects.get(pk=bulk.pk).first_name_key == matching.phonetic_key("Steven")
    alias = Alias.objects.create(person=person, name="Kate Smith")
    assert Alias.objects.get(pk=alias.pk).last_name_key == matching.phonetic_key("Smyth")


@pytest.mark.django_db
def test_similar_people_ranks_by_name_and_date_of_birth(django_assert_max_num_queries):
    partnership = PartnershipFactory()
    other = PartnershipFactory()
    exact = PersonFactory(partnership=partnership, first_name="Catherine", last_name="Smith", date_of_birth=DOB)
    sounds = PersonFactory(partnership=partnership, first_name="Kathryn", last_name="Smyth")
    alias_only = PersonFactory(partnership=partnership, first_name="Testalpha", last_name="Testbeta")
    Alias.objects.create(person=alias_only, name="Cathy Smythe")
    unrelated = PersonFactory(partnership=partnership, first_name="Testgamma", last_name="Jones")
    elsewhere = PersonFactory(partnership=other, first_name="Catherine", last_name="Smith")

    queryset = Person.objects.filter(partnership=partnership)
    with django_assert_max_num_queries(2):
        matches = matching.similar_people(queryset, "Kathryn Smith", date_of_birth=DOB)
    found = [m.person for m in matches]
    assert found[:2] == [exact, sounds]
    assert alias_only in found
    assert unrelated not in found
    assert elsewhere not in found  # only what the queryset allows
    assert matches[0].same_date_of_birth and matches[0].same_last_key
    alias_match = next(m for m in matches if m.person == alias_only)
    assert alias_match.matched_alias == "Cathy Smythe"
    assert "known as Cathy Smythe" in alias_match.reasons
    assert matching.similar_people(queryset, "  ") == []


@pytest.mark.django_db
def test_likely_duplicates_need_the_same_date_of_birth():
    partnership = PartnershipFactory()
    same = PersonFactory(partnership=partnership, first_name="Jon", last_name="Smyth", date_of_birth=DOB)
    PersonFactory(
        partnership=partnership, first_name="John", last_name="Smith", date_of_birth=datetime.date(1991, 4, 12)
    )
    PersonFactory(partnership=partnership, first_name="Testdelta", last_name="Testomega", date_of_birth=DOB)
    queryset = Person.objects.filter(partnership=partnership)
    assert [m.person for m in matching.likely_duplicates(queryset, "John", "Smith", DOB)] == [same]
    assert matching.likely_duplicates(queryset, "John", "Smith", None) == []
    assert matching.likely_duplicates(queryset, "John", "Smith", DOB, exclude=[same.pk]) == []
