"""On PostgreSQL, new hub referrals are written set-wise from a staging table: the records
must be exactly those the batched path writes (the batched path stays for SQLite)."""

import io

import pytest
from django.db import connection, transaction

from saferhub.cases.models import Case
from saferhub.imports import staging
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.people.models import Person
from saferhub.victims import imports_staged
from saferhub.victims.models import HubReferral
from saferhub.victims.synthetic import synthetic_csv
from saferhub.victims.tests.world import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's"),
]


def _person(person):
    if person is None:
        return None
    return (
        person.external_ref,
        person.first_name,
        person.last_name,
        person.date_of_birth,
        person.age,
        person.age_recorded_on,
        person.gender,
        person.ethnicity,
        person.disability,
    )


def snapshot(partnership):
    """Everything an import wrote, by external_ref, without ids."""
    records = {}
    hubs = HubReferral.objects.filter(partnership=partnership).select_related(
        "referral__case", "referral__person", "referral__from_agency", "crime_type"
    )
    for hub in hubs:
        referral, case = hub.referral, hub.referral.case
        records[hub.external_ref] = {
            "hub": (
                hub.received_on,
                hub.referral_kind,
                hub.victim_type,
                hub.crime_type.code,
                hub.incident_date,
                hub.incident_in_area,
                hub.reported_to_police,
                hub.police_reference,
                hub.assisting_investigation,
                hub.age_at_referral,
                hub.vcop_informed_on,
                hub.rj_informed_on,
                hub.import_fingerprint,
            ),
            "support": list(hub.support.order_by("pk").values_list("support_type__code", "recorded_by")),
            "referral": (
                referral.source,
                referral.from_agency.name,
                referral.to_team_id,
                referral.case_type_id,
                referral.received_at,
                referral.reason,
                referral.decision,
                referral.decided_at,
                referral.external_ref,
                _person(referral.person),
            ),
            "case": (
                case.reference,
                case.title,
                case.status,
                case.opened_on,
                case.closed_on,
                case.owning_team_id,
                case.external_ref,
                case.version,
                case.closure_reason,
            ),
            "log": list(case.stage_log.order_by("pk").values_list("from_status", "to_status", "at", "reason", "by")),
            "participants": sorted((_person(p.person), p.role) for p in case.participants.select_related("person")),
        }
    people = sorted(_person(p) for p in Person.objects.filter(partnership=partnership))
    return records, people


def import_text(world, text):
    return run_import(
        get_kind("victim-hub-referrals"),
        io.BytesIO(text.encode()),
        partnership=world.partnership,
        filename="s.csv",
        create_organisations=True,
    )


def test_staged_and_batched_paths_write_the_same_records(monkeypatch):
    world = build_world()
    # Repeated people with differing details, anonymous people, closures, support, ages.
    text = synthetic_csv(300, seed=7)
    calls = []
    monkeypatch.setattr(
        imports_staged, "write_staged", lambda *a, **k: calls.append(1) or original(*a, **k), raising=True
    )
    with transaction.atomic():
        staged = import_text(world, text)
        staged_records = snapshot(world.partnership)
        transaction.set_rollback(True)
    assert calls == [1]
    assert (staged.created, staged.error_count) == (300, 0), staged.errors
    with monkeypatch.context() as patch:
        patch.setattr(staging, "supported", lambda: False)
        batched = import_text(world, text)
    assert (batched.created, batched.error_count) == (300, 0)
    batched_records = snapshot(world.partnership)
    assert len(staged_records[0]) == 300
    for ref, record in batched_records[0].items():
        assert staged_records[0][ref] == record, ref
    assert staged_records[1] == batched_records[1]


original = imports_staged.write_staged


def test_existing_and_new_rows_in_one_file():
    world = build_world()
    rows = synthetic_csv(60, seed=3).splitlines(keepends=True)
    first = import_text(world, "".join(rows[:31]))
    assert first.created == 30
    second = import_text(world, "".join(rows))
    assert (second.created, second.updated, second.unchanged) == (30, 0, 30)
    assert HubReferral.objects.filter(partnership=world.partnership).count() == 60
    # Case numbers continue the sequence: 60 distinct references.
    assert Case.objects.filter(partnership=world.partnership).values("reference").distinct().count() == 60


def test_a_repeated_external_ref_goes_through_the_batched_writer():
    world = build_world()
    rows = synthetic_csv(5, seed=4).splitlines(keepends=True)
    repeated = rows[2]  # the same row twice: created, then unchanged
    result = import_text(world, "".join([*rows, repeated]))
    assert (result.created, result.updated, result.unchanged) == (5, 0, 1)
    assert HubReferral.objects.filter(partnership=world.partnership).count() == 5
