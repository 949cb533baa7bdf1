"""Import `victim-hub-referrals`: every error by line and column, all or nothing, idempotent on external_ref."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from saferhub.accounts.models import Agency
from saferhub.cases.models import Case, CaseStatus, Participant, ParticipantRole, Referral, StageLog
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import
from saferhub.people.models import Person
from saferhub.victims.models import HubConfiguration, HubReferral, SupportDelivered
from saferhub.victims.synthetic import synthetic_csv
from saferhub.victims.tests.world import build_world

pytestmark = pytest.mark.django_db

HEADER = (
    "external_ref,received_on,referrer_organisation,referrer_group,referral_kind,victim_type,crime_type,"
    "reported_to_police,assisting_investigation,person_ref,first_name,age,gender,ethnicity,support_provided,"
    "vcop_informed_on,rj_informed_on,closed_on"
)
GOOD = [
    "R1,2023-04-03,Testshire Homes,,victim,direct,robbery,yes,yes,P1,Ada,34,female,white_british,vcop_rights;personal_safety,2023-04-05,2023-04-06,2023-05-01",
    "R2,2023-04-04,Testshire Homes,,victim,indirect,gbh,no,,P1,Ada,34,female,,,,,",
    "R3,2023-05-10,Testshire Police,,crime_prevention,,crime_prevention,,,,,,,,signposting,,,",
]


def run(world, lines, **kwargs):
    text = "\n".join([HEADER, *lines]) + "\n"
    return run_import(
        get_kind("victim-hub-referrals"), io.StringIO(text), partnership=world.partnership, filename="t.csv", **kwargs
    )


@pytest.fixture
def world():
    return build_world()


def test_rows_become_accepted_referrals_with_cases(world):
    result = run(world, GOOD)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    first = HubReferral.objects.get(external_ref="R1")
    case = first.referral.case
    assert first.referral.decision == "accepted" and first.referral.to_team == world.hub
    assert (
        case.reference == "VCH-2023-00001" and case.status == CaseStatus.CLOSED and str(case.closed_on) == "2023-05-01"
    )
    assert [log.to_status for log in StageLog.objects.filter(case=case)] == ["open", "closed"]
    assert first.age_at_referral == 34 and str(first.vcop_informed_on) == "2023-04-05"
    # History has no first-contact deadline, so it never fills the triage queue.
    assert first.first_contact_due_on is None and not HubReferral.objects.awaiting_first_contact().exists()
    assert sorted(first.support.values_list("support_type__code", flat=True)) == ["personal_safety", "vcop_rights"]
    # One person for the repeat referrals of P1; the crime prevention referral is anonymous.
    assert Person.objects.filter(external_ref="P1").count() == 1
    assert HubReferral.objects.get(external_ref="R3").referral.person is None
    assert Participant.objects.get(case__external_ref="R2").role == ParticipantRole.INDIRECT_VICTIM
    assert HubReferral.objects.get(external_ref="R2").referral.case.status == CaseStatus.OPEN


def test_the_same_file_again_changes_nothing_and_a_changed_row_updates(world):
    run(world, GOOD)
    again = run(world, GOOD)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = [
        GOOD[0],
        "R2,2023-04-04,Testshire Homes,,victim,indirect,gbh,yes,no,P1,Ada,34,female,,emotional_support,,,2023-06-01",
        GOOD[2],
    ]
    result = run(world, changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    hub = HubReferral.objects.get(external_ref="R2")
    assert hub.reported_to_police == "yes" and hub.referral.case.status == CaseStatus.CLOSED
    assert list(hub.support.values_list("support_type__code", flat=True)) == ["emotional_support"]
    assert HubReferral.objects.count() == 3 and Case.objects.count() == 3


def test_one_bad_row_writes_nothing_and_every_problem_is_named(world):
    lines = [
        *GOOD,
        "R4,2023-13-01,Testshire Homes,,victim,,arson,maybe,,,,200,man,purple,hugs,,,",
        "R5,2023-06-01,Nowhere Trust,,crime_prevention,direct,crime_prevention,,,,,,,,,,,2023-05-01",
    ]
    result = run(world, lines)
    assert not result.ok
    assert result.errors == [
        "line 5, column received_on: '2023-13-01' is not a date in the form YYYY-MM-DD",
        "line 5, column crime_type: 'arson' is not a code in the victim_hub_crime_types list",
        "line 5, column reported_to_police: 'maybe' is not one of: yes, no, unknown",
        "line 5, column age: 200 is more than the highest allowed value, 120",
        "line 5, column gender: 'man' is not one of: female, male, other, not_stated",
        "line 5, column ethnicity: 'purple' is not a code in the ethnicity list",
        "line 5, column support_provided: 'hugs' is not a code in the victim_support_types list",
        "line 6, column referrer_organisation: unknown organisation 'Nowhere Trust' (give --create-organisations to create it)",
    ]
    assert not HubReferral.objects.exists() and not Referral.objects.exists() and not Case.objects.exists()
    assert not Person.objects.exists()


def test_cross_column_rules(world):
    lines = [
        "R6,2023-06-01,Testshire Homes,,victim,,robbery,,,,,,,,,,,",
        "R7,2023-06-01,Testshire Homes,,crime_prevention,direct,crime_prevention,,,,,,,,,,,2023-05-01",
        "R8,2023-06-01,Testshire Homes,Family Services,victim,direct,robbery,,,,,,,,,,,",
    ]
    assert run(world, lines).errors == [
        "line 2, column victim_type: required for a victim referral: direct or indirect",
        "line 3, column victim_type: leave blank for a crime_prevention referral",
        "line 3, column closed_on: 2023-05-01 is before the referral was received (2023-06-01)",
        "line 4, column referrer_organisation: 'Testshire Homes' is in the group 'Testshire Homes' in Saferhub, not 'Family Services'",
    ]


def test_organisations_are_created_under_their_group_when_asked(world):
    line = "R9,2023-06-01,Early Help,Family Services,victim,direct,robbery,,,,,,,,,,,"
    result = run(world, [line], create_organisations=True)
    assert result.ok and result.organisations_created == 2
    assert Agency.objects.get(name="Early Help").parent.name == "Family Services"


def test_a_partnership_without_a_hub_team_is_told_once(world):
    HubConfiguration.objects.update(team=None)
    result = run(world, GOOD)
    assert result.errors == [
        "line 2: no team holds the duty 'victim_hub' (the Victim Care Hub team): a partnership administrator "
        "gives it to a team on the Set-up page (Administration, Set-up) or in the set-up file "
        "(manage.py configure_partnership)"
    ]


def test_a_large_file_writes_in_batches(world, settings):
    settings.IMPORT_BATCH_SIZE = 100
    text = synthetic_csv(450, seed=7)
    result = run_import(
        get_kind("victim-hub-referrals"),
        io.StringIO(text),
        partnership=world.partnership,
        filename="big.csv",
        create_organisations=True,
    )
    assert result.ok, result.errors[:5]
    assert result.created == 450 and HubReferral.objects.count() == 450
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == 450
    support_rows = sum(
        len([c for c in row["support_provided"].split(";") if c]) for row in csv.DictReader(io.StringIO(text))
    )
    assert SupportDelivered.objects.count() == support_rows


def test_the_command_prints_errors_and_exits_non_zero(world, tmp_path, capsys):
    path = tmp_path / "hub.csv"
    path.write_text("\n".join([HEADER, GOOD[0], GOOD[1].replace("2023-04-04", "04/04/2023")]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem found in hub.csv: nothing was imported"):
        call_command("import_records", "victim-hub-referrals", str(path), "--partnership", world.partnership.slug)
    assert "line 3, column received_on: '04/04/2023' is not a date" in capsys.readouterr().err
    path.write_text("\n".join([HEADER, *GOOD]) + "\n", encoding="utf-8")
    call_command("import_records", "victim-hub-referrals", str(path), "--partnership", world.partnership.slug)
    assert "3 created, 0 updated, 0 unchanged" in capsys.readouterr().out
