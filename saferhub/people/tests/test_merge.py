"""Merging two records of one person keeps everything of both, is audited, and can be undone."""

import datetime

import pytest
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Participant, ParticipantRole
from saferhub.cases.tests.factories import ParticipantFactory
from saferhub.cases.tests.referral_world import client_for
from saferhub.core.versioning import StaleEdit
from saferhub.people import actions
from saferhub.people.models import (
    Alias,
    ContactDetail,
    ContactKind,
    DuplicateCandidate,
    DuplicateStatus,
    Identifier,
    Person,
    PersonMerge,
)
from saferhub.people.tests.duplicates_world import BORN, build_duplicates_world


@pytest.fixture
def world(db):
    return build_duplicates_world()


def _merge(world, kept, merged):
    return actions.merge_people(world.manager, kept, merged, kept_version=kept.version, merged_version=merged.version)


def test_merge_keeps_everything_of_both_and_undo_gives_it_back(world):
    people = world.people
    known, twin = people.known, people.twin
    # Both records have their own things; they share one part (the same case, same role).
    Alias.objects.create(person=twin, name="Testlivi Zed")
    Identifier.objects.create(person=twin, system="NHS", value="TEST-222")
    Identifier.objects.create(person=twin, system="Police", value="TP-000111")  # the same as known's
    ContactDetail.objects.create(person=twin, kind=ContactKind.ADDRESS, value="2 Testlane")
    same_part = ParticipantFactory(case=people.police_case, person=known, role=ParticipantRole.WITNESS)
    clash = ParticipantFactory(case=people.police_case, person=twin, role=ParticipantRole.WITNESS)
    twin.gender, twin.first_language = "female", "Testlandic"
    twin.save()
    known.refresh_from_db()
    twin.refresh_from_db()
    before = {
        "known": set(Participant.objects.filter(person=known).values_list("pk", flat=True)),
        "twin": set(Participant.objects.filter(person=twin).values_list("pk", flat=True)),
        "known_aliases": set(known.aliases.values_list("pk", flat=True)),
        "twin_aliases": set(twin.aliases.values_list("pk", flat=True)),
        "twin_audit": AuditEvent.objects.filter(person_id=twin.pk).count(),
    }

    merge = _merge(world, known, twin)

    twin.refresh_from_db()
    known.refresh_from_db()
    assert twin.is_archived and "Merged into" in twin.archive_reason
    parts = set(Participant.objects.filter(person=known).values_list("pk", flat=True))
    assert parts == before["known"] | (before["twin"] - {clash.pk})  # the clashing part stays with the old record
    assert Participant.objects.get(pk=clash.pk).person_id == twin.pk and same_part.person_id == known.pk
    assert set(known.aliases.values_list("pk", flat=True)) == before["known_aliases"] | before["twin_aliases"]
    assert set(known.identifiers.values_list("value", flat=True)) == {"TP-000111", "TEST-222"}
    assert known.contact_details.filter(value="2 Testlane").exists()
    assert (known.gender, known.first_language) == ("not_stated", "Testlandic")  # filled only where blank
    # Both audit trails stay; the merge is audited on both records.
    assert AuditEvent.objects.filter(person_id=twin.pk).count() == before["twin_audit"] + 1
    assert AuditEvent.objects.filter(person_id=known.pk, detail__merge=merge.pk, user=world.manager).exists()
    assert AuditEvent.objects.filter(person_id=twin.pk, action=AuditAction.ARCHIVE, detail__merge=merge.pk).exists()
    assert DuplicateCandidate.objects.get(pk=world.visible_pair.pk).status == DuplicateStatus.MERGED
    # Something added to the kept record after the merge stays with it on undo.
    later = Alias.objects.create(person=known, name="Testlater")

    merge.refresh_from_db()
    actions.undo_merge(world.manager, merge, expected_version=merge.version)

    known.refresh_from_db()
    twin.refresh_from_db()
    merge.refresh_from_db()
    assert merge.is_undone and not twin.is_archived
    assert set(Participant.objects.filter(person=known).values_list("pk", flat=True)) == before["known"]
    assert set(Participant.objects.filter(person=twin).values_list("pk", flat=True)) == before["twin"]
    assert set(twin.aliases.values_list("pk", flat=True)) == before["twin_aliases"]
    assert set(known.aliases.values_list("pk", flat=True)) == before["known_aliases"] | {later.pk}
    assert set(twin.identifiers.values_list("value", flat=True)) == {"TP-000111", "TEST-222"}
    assert known.first_language == ""
    assert AuditEvent.objects.filter(person_id=known.pk, detail__merge_undone=merge.pk).exists()
    assert DuplicateCandidate.objects.get(pk=world.visible_pair.pk).status == DuplicateStatus.NOT_DUPLICATE
    with pytest.raises(StaleEdit):
        actions.undo_merge(world.manager, merge, expected_version=merge.version - 1)


def test_a_record_changed_since_the_page_opened_is_not_merged(world):
    people = world.people
    opened = (people.known.version, people.twin.version)
    actions.update_person(world.owner, people.twin, {"first_language": "Testish"}, expected_version=opened[1])
    with pytest.raises(StaleEdit):
        actions.merge_people(world.manager, people.known, people.twin, kept_version=opened[0], merged_version=opened[1])
    assert not PersonMerge.objects.exists()
    assert Person.objects.get(pk=people.twin.pk).archived_at is None
    assert Person.objects.get(pk=people.known.pk).version == opened[0]


def test_merging_an_archived_record_is_refused(world):
    people = world.people
    _merge(world, people.known, people.twin)
    people.quinn.refresh_from_db()
    people.twin.refresh_from_db()
    with pytest.raises(actions.MergeRefused):
        _merge(world, people.quinn, people.twin)
    with pytest.raises(actions.MergeRefused):
        _merge(world, people.quinn, people.quinn)


def test_merge_pages_walk_through(world):
    client = client_for(world, "manager")
    people = world.people
    url = reverse("people:duplicate", args=[world.visible_pair.pk])
    page = client.get(url)
    assert "Testolivia Zedwik" in page.content.decode() and "14 June 1988" in page.content.decode()
    missing = client.post(url, {"version_a": people.known.version, "version_b": people.twin.version})
    assert missing.status_code == 200
    assert "Choose the record to keep" in missing.content.decode()
    response = client.post(url, {"keep": "b", "version_a": people.known.version, "version_b": people.twin.version})
    merge = PersonMerge.objects.get()
    assert response["Location"] == reverse("people:merge", args=[merge.pk])
    assert (merge.kept, merge.merged) == (people.twin, people.known)
    record = client.get(response["Location"]).content.decode()
    assert "Undo the merge" in record and "aliases" in record
    client.post(reverse("people:merge-undo", args=[merge.pk]), {"version": merge.version})
    assert not Person.objects.get(pk=people.known.pk).is_archived


def test_dismissing_a_pair_takes_it_off_the_queue(world):
    client = client_for(world, "manager")
    response = client.post(reverse("people:duplicate-dismiss", args=[world.visible_pair.pk]))
    assert response.status_code == 302
    world.visible_pair.refresh_from_db()
    assert world.visible_pair.status == DuplicateStatus.NOT_DUPLICATE
    assert world.visible_pair.reviewed_by == world.manager
    assert client.get(reverse("people:duplicate", args=[world.visible_pair.pk])).status_code == 404
    assert AuditEvent.objects.filter(person_id=world.people.known.pk, detail__not_duplicate_of=world.people.twin.pk)


def test_scan_finds_pairs_made_without_the_actions(world):
    p = world.partnership
    Person.objects.bulk_create(
        [
            Person(partnership=p, first_name="Testkathryn", last_name="Smyth", date_of_birth=datetime.date(1970, 1, 2)),
            Person(
                partnership=p, first_name="Testcatherine", last_name="Smith", date_of_birth=datetime.date(1970, 1, 2)
            ),
            Person(partnership=p, first_name="Testcatherine", last_name="Smith", date_of_birth=BORN.replace(year=1971)),
        ]
    )
    assert actions.scan_for_duplicates(p) == 1
    assert actions.scan_for_duplicates(p) == 0  # nothing twice
    pair = DuplicateCandidate.objects.get(person_a__first_name="Testkathryn")
    assert pair.person_b.first_name == "Testcatherine" and "same date of birth" in pair.reasons


def test_find_duplicates_command(world):
    from io import StringIO

    from django.core.management import CommandError, call_command

    p = world.partnership
    Person.objects.bulk_create(
        [Person(partnership=p, first_name="Testjon", last_name="Brown", date_of_birth=datetime.date(1960, 3, 3))] * 1
        + [Person(partnership=p, first_name="Testjohn", last_name="Browne", date_of_birth=datetime.date(1960, 3, 3))]
    )
    out = StringIO()
    call_command("find_duplicates", p.slug, stdout=out)
    assert f"{p.slug}: 1 new possible duplicate pair." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("find_duplicates", "no-such-place", stdout=out)


def test_an_old_link_to_a_merged_record_leads_to_the_kept_one_for_those_who_saw_both(world):
    people = world.people
    merge = _merge(world, people.quinn, people.quin)  # quin was only in a restricted case
    url = reverse("people:detail", args=[people.quin.pk])
    response = client_for(world, "manager").get(url)
    assert response.status_code == 302 and response["Location"] == reverse("people:detail", args=[people.quinn.pk])
    assert client_for(world, "restricted_outsider").get(url).status_code == 404
    assert client_for(world, "other_agency").get(url).status_code == 404
    actions.undo_merge(world.manager, merge, expected_version=merge.version)
    assert client_for(world, "manager").get(url).status_code == 200


def test_the_kept_record_links_its_merges_for_data_managers(world):
    people = world.people
    merge = _merge(world, people.quinn, people.quin)
    url = reverse("people:detail", args=[people.quinn.pk])
    link = reverse("people:merge", args=[merge.pk])
    assert link in client_for(world, "manager").get(url).content.decode()
    assert link not in client_for(world, "restricted_outsider").get(url).content.decode()
    assert link not in client_for(world, "owner").get(url).content.decode()
