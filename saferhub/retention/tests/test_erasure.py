"""Erasing a case past its retention period: personal data goes, the returns' counts stay, and the audit says why."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, Note, Referral
from saferhub.people.models import Alias, ContactDetail, Identifier, Person
from saferhub.retention import actions
from saferhub.retention.models import Erasure
from saferhub.retention.plan import ERASED
from saferhub.retention.tests.world import build_world

pytestmark = pytest.mark.django_db

REASON = "Quarterly retention review under the information sharing agreement"


@pytest.fixture
def world():
    return build_world()


def victim_hub_return(fmt="json"):
    out = io.StringIO()
    call_command(
        "report",
        "victim-hub",
        "--from",
        "2018-04-01",
        "--to",
        "2019-03-31",
        "--partnership",
        "testshire",
        "--format",
        fmt,
        stdout=out,
        stderr=io.StringIO(),
    )
    return json.loads(out.getvalue())


def test_the_return_gives_the_same_figures_after_erasure(world):
    before = victim_hub_return()
    assert before["referrals"]["total"] == 3 and before["demographics"]
    for case in (world.old, world.old_other):
        actions.erase_case(world.admin, case, reason=REASON)
    assert victim_hub_return() == before


def test_personal_data_goes_and_codes_stay(world):
    case = world.old_other
    bea = world.bea
    actions.erase_case(world.admin, case, reason=REASON)
    case.refresh_from_db()
    bea.refresh_from_db()
    assert case.title == "Erased under the retention policy" and case.summary == "" and case.external_ref == ""
    assert case.status == "closed" and str(case.closed_on) == "2018-07-01"
    assert set(Note.objects.filter(case=case).values_list("text", flat=True)) == {ERASED}
    referral = Referral.objects.get(case=case)
    assert referral.reason == ERASED and referral.from_agency == world.police
    assert (bea.first_name, bea.last_name, bea.date_of_birth, bea.external_ref) == ("", "", None, "")
    # The age at closure replaces the date of birth; demographics the returns use stay.
    assert bea.age == 51 and str(bea.age_recorded_on) == "2018-07-01" and bea.gender == "male"
    assert bea.is_archived
    assert not Alias.objects.filter(person=bea).exists()
    assert not ContactDetail.objects.filter(person=bea).exists()
    assert not Identifier.objects.filter(person=bea).exists()
    world.location.refresh_from_db()
    assert (world.location.address, world.location.postcode) == (ERASED, "")
    assert case.case_locations.get().description == ""


def test_what_is_recorded_about_an_anonymised_person_loses_its_text(world):
    from saferhub.iom.models import Offence
    from saferhub.missing.models import IntelLink, LinkSource, PlaceKind, PlaceOfConcern

    partnership = world.old_other.partnership
    offence = Offence.objects.create(
        partnership=partnership,
        person=world.bea,
        external_ref="PNC-TEST-1",
        offence_date="2018-03-01",
        offence_group="burglary",
        note="Seen leaving the back garden",
    )
    place = PlaceOfConcern.objects.create(
        partnership=partnership, name="Test arcade", kind=PlaceKind.choices[0][0], identified_on="2018-01-01"
    )
    link = IntelLink.objects.create(
        partnership=partnership,
        person=world.bea,
        place=place,
        source=LinkSource.POLICE,
        recorded_on="2018-03-02",
        notes="Met an older man there",
    )
    actions.erase_case(world.admin, world.old_other, reason=REASON)
    offence.refresh_from_db()
    link.refresh_from_db()
    assert (offence.note, offence.external_ref) == ("", "")
    assert offence.offence_group == "burglary"  # the returns' counts stay
    assert link.notes == "" and link.place == place


def test_a_person_in_a_case_still_kept_keeps_their_details(world):
    erasure = actions.erase_case(world.admin, world.old, reason=REASON)
    world.ada.refresh_from_db()
    assert world.ada.first_name == "Ada" and not world.ada.is_archived
    assert erasure.detail["people_kept"] == [world.ada.pk] and erasure.detail["people_anonymised"] == []


def test_the_audit_row_says_what_was_erased_and_why(world):
    erasure = actions.erase_case(world.manager, world.old_other, reason=REASON)
    event = AuditEvent.objects.get(action=AuditAction.ERASE)
    assert event.user == world.manager and event.case_id == world.old_other.pk and event.reason == REASON
    assert event.detail["retention_years"] == 6 and event.detail["kept_until"] == "2024-12-31"
    assert event.detail["records"]["cases.Note"] == 1 and event.detail["records"]["people.Alias"] == 1
    assert event.detail["people_anonymised"] == [world.bea.pk]
    # Neither the audit row nor the erasure record holds the data erased.
    assert "Bea" not in json.dumps(event.detail) and "Bea" not in event.object_repr
    assert Erasure.objects.get() == erasure and erasure.erased_by == world.manager


@pytest.mark.parametrize(
    ("case_name", "reason", "message"),
    [
        ("live", REASON, "is not past its retention period"),
        ("old", "too short", "at least 10 characters"),
    ],
)
def test_erasure_is_refused_and_writes_nothing(world, case_name, reason, message):
    case = getattr(world, case_name)
    with pytest.raises(actions.ErasureRefused, match=message):
        actions.erase_case(world.admin, case, reason=reason)
    assert not Erasure.objects.exists() and not AuditEvent.objects.filter(action=AuditAction.ERASE).exists()
    case.refresh_from_db()
    assert case.title != "Erased under the retention policy"


def test_a_case_is_erased_once(world):
    actions.erase_case(world.admin, world.old, reason=REASON)
    with pytest.raises(actions.ErasureRefused, match="already been erased"):
        actions.erase_case(world.admin, world.old, reason=REASON)


def test_a_recent_closure_is_not_due_until_the_end_of_the_year_plus_the_period(world):
    recent = Case.objects.get(external_ref="R3")
    Case.objects.filter(pk=recent.pk).update(closed_on=timezone.localdate().replace(month=1, day=1))
    with pytest.raises(actions.ErasureRefused):
        actions.erase_case(world.admin, recent, reason=REASON)
    assert Person.objects.filter(external_ref="P2").exists()


def test_files_attached_to_the_case_are_deleted_with_their_names(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from saferhub.search.models import Attachment

    settings.MEDIA_ROOT = tmp_path
    case = world.old_other
    attachment = Attachment(
        partnership=case.partnership,
        case=case,
        description="Photo of the damage at the back door",
        filename="back-door.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    attachment.file.save("back-door.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    stored = tmp_path / attachment.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.erase_case(world.admin, case, reason=REASON)
    attachment.refresh_from_db()
    assert not stored.exists()
    assert (attachment.file.name, attachment.filename, attachment.description) == ("", ERASED, "")
