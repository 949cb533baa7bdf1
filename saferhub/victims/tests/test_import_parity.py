"""On PostgreSQL the file is checked set-wise in SQL (saferhub/imports/sqlcheck.py): the same bad
files must give exactly the messages of the batched path, in the same order, and good files the
same records. The batched path runs here by switching the staging off."""

import io

import pytest
from django.db import connection, transaction

from saferhub.imports import staging
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.victims.synthetic import synthetic_csv
from saferhub.victims.tests.test_import_staged import snapshot
from saferhub.victims.tests.world import build_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-wise check is PostgreSQL's"),
]

HEADER = (
    "external_ref,received_on,referrer_organisation,referrer_group,referral_kind,victim_type,crime_type,"
    "incident_date,reported_to_police,person_ref,first_name,date_of_birth,age,gender,ethnicity,"
    "support_provided,closed_on"
)
GOOD = "R{n},2023-04-03,Testshire Homes,,victim,direct,robbery,2023-04-01,yes,P{n},Ada,,34,female,white_british,vcop_rights,"
BAD = [
    # every kind of cell problem, one or more a row
    "B1,2023-02-30,Testshire Homes,,victim,direct,robbery,,yes,,,,,,,,",
    "B2,2999-01-01,Testshire Homes,,victim,direct,ROBBERY,,maybe,,,,,,,,",
    "B3,2023-04-03,Nowhere Agency,,victim,,nosuch,2023-05-01,,,,,121,alien,nosuch,vcop_rights;nope,2023-01-01",
    "B4,2023-04-03,Testshire Homes,Wrong Group,crime_prevention,direct,crime_prevention,,,,,2024-01-01,-1,,,,",
    ",,,,,,,,,,,,,,,,",
    "B6,2023-04-03,Testshire Homes,,victim,direct,robbery,,yes,,Zoë,,+5,,,,",
    "B7,2023-04-03,Testshire Homes,,victim,direct,robbery,,yes,,,,1_0,,,,",
    "B8,2023-04-03,Testshire Homes",
    "B9,2023-04-03,Testshire Homes,,victim,direct,robbery,,yes,,Nul\x00Name,,,,,,",
    "B10,2023-W14-1,Testshire Homes,,victim,direct,robbery,,yes," + "x" * 101 + ",,,,,,,",
    "B11,2023-04-03,testshire homes,,Victim,Direct,Robbery,,YES,,,,0034,,WHITE_BRITISH,VCOP_RIGHTS; ;,",
    "B12,2023-04-03,Testshire Homes,,victim,direct,robbery,,yes,,,1950-06-31,,,,,",
    "B13,  2023-04-03 ,Testshire Homes,,victim,direct,robbery,,yes,,,,,,,,",
]


def run_both(world, text, **kwargs):
    """(set-wise result, batched result), each rolled back."""
    results = []
    for setwise in (True, False):
        with transaction.atomic():
            if setwise:
                result = run_import(
                    get_kind("victim-hub-referrals"),
                    io.BytesIO(text.encode()),
                    partnership=world.partnership,
                    filename="p.csv",
                    **kwargs,
                )
            else:
                original = staging.supported
                staging.supported = lambda: False  # type: ignore[assignment]
                try:
                    result = run_import(
                        get_kind("victim-hub-referrals"),
                        io.BytesIO(text.encode()),
                        partnership=world.partnership,
                        filename="p.csv",
                        **kwargs,
                    )
                finally:
                    staging.supported = original  # type: ignore[assignment]
            transaction.set_rollback(True)
        results.append(result)
    return results


@pytest.mark.parametrize("create", [False, True])
def test_bad_cells_give_the_batched_paths_messages(create):
    world = build_world()
    lines = [HEADER, *(GOOD.format(n=n) for n in range(1, 4)), *BAD, GOOD.format(n=99), 'bad"quote']
    setwise, batched = run_both(world, "\n".join(lines) + "\n", create_organisations=create)
    assert batched.error_count > 10
    assert setwise.errors == batched.errors
    assert (setwise.error_count, setwise.organisations_created) == (batched.error_count, batched.organisations_created)


def test_a_file_that_is_not_utf8_is_reported_after_the_rows_problems():
    world = build_world()
    text = "\n".join([HEADER, BAD[0], GOOD.format(n=1)]) + "\n"
    data = text.encode() + b"R2,\xff\n"
    results = []
    for setwise in (True, False):
        original = staging.supported
        staging.supported = (lambda: True) if setwise else (lambda: False)  # type: ignore[assignment]
        try:
            results.append(
                run_import(
                    get_kind("victim-hub-referrals"), io.BytesIO(data), partnership=world.partnership, filename="p.csv"
                )
            )
        finally:
            staging.supported = original  # type: ignore[assignment]
    assert results[0].errors == results[1].errors
    assert results[0].errors[-1].startswith("line 4:")


def test_missing_hub_team_is_reported_as_in_the_batched_path():
    world = build_world()
    from saferhub.victims.models import HubConfiguration

    HubConfiguration.objects.filter(partnership=world.partnership).delete()
    text = "\n".join([HEADER, BAD[0], GOOD.format(n=1), GOOD.format(n=2)]) + "\n"
    setwise, batched = run_both(world, text)
    assert setwise.errors == batched.errors
    assert batched.error_count >= 2


def test_good_unusual_cells_write_what_the_batched_path_writes():
    """Rows that are valid but unusual (case, non-ASCII, padding) are checked in Python and staged from it."""
    world = build_world()
    text = synthetic_csv(40, seed=11)
    rows = text.splitlines()
    rows[3] = rows[3].replace("Alex", "Zoë").replace("Ash", "Zoë")
    rows[5] = rows[5].replace("victim,", "VICTIM,", 1)
    text = "\n".join(rows) + "\n"
    records = []
    for setwise in (True, False):
        original = staging.supported
        staging.supported = (lambda: True) if setwise else (lambda: False)  # type: ignore[assignment]
        try:
            with transaction.atomic():
                result = run_import(
                    get_kind("victim-hub-referrals"),
                    io.BytesIO(text.encode()),
                    partnership=world.partnership,
                    filename="p.csv",
                    create_organisations=True,
                )
                assert result.ok, result.errors
                records.append(snapshot(world.partnership))
                transaction.set_rollback(True)
        finally:
            staging.supported = original  # type: ignore[assignment]
    assert records[0][0] == records[1][0]
    assert records[0][1] == records[1][1]
