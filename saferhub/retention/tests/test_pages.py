"""The retention pages as a user works them: periods with a version check, the queue, erasure, subject access."""

import csv
import io
import zipfile

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import CaseType
from saferhub.people.models import Alias
from saferhub.retention.models import Erasure, RetentionRule
from saferhub.retention.plan import CASE_SOURCES, PERSON_LINKS, PERSON_RECORDS, REGISTER_DATE_FIELDS, REGISTER_RECORDS
from saferhub.retention.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_every_source_in_the_plan_exists():
    for source in CASE_SOURCES:
        model = apps.get_model(source.label)
        for name in source.erase:
            assert model._meta.get_field(name)
        if source.to_case:
            model._default_manager.filter(**{source.case_lookup: 1}).exists()
    for label, _, person_field in PERSON_LINKS:
        model = apps.get_model(label)
        assert model._meta.get_field(person_field).related_model._meta.label == "people.Person"
    for source in PERSON_RECORDS:
        model = apps.get_model(source.label)
        assert model._meta.get_field(source.to_case).related_model._meta.label == "people.Person"
        for name in source.erase:
            assert model._meta.get_field(name)
    for source in REGISTER_RECORDS:
        model = apps.get_model(source.label)
        for name in (*source.erase, *REGISTER_DATE_FIELDS.get(source.label, ()), "erased_at", "left_on", "active"):
            assert model._meta.get_field(name)


def test_a_period_set_by_the_administrator_changes_what_is_due(world):
    hub_type = world.old.case_type
    admin = signed_in(world.admin)
    response = admin.post(
        reverse("retention:rule-edit", args=[hub_type.pk]), {"years": "10", "basis": "ISA 2024 s.9", "version": "0"}
    )
    assert response.status_code == 302
    rule = RetentionRule.objects.get(case_type=hub_type)
    assert (rule.years, rule.basis, rule.version) == (10, "ISA 2024 s.9", 1)
    # Closed in 2018, kept until the end of 2028: nothing is due now.
    assert admin.get(reverse("retention:queue")).context["rows"] == []
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="retention.retentionrule").get()
    assert event.detail["after"] == {"years": 10, "basis": "ISA 2024 s.9"}


@pytest.mark.parametrize("years", ["", "0", "101", "six"])
def test_a_bad_period_names_the_field(world, years):
    response = signed_in(world.admin).post(
        reverse("retention:rule-edit", args=[world.old.case_type_id]), {"years": years, "version": "0"}
    )
    assert response.status_code == 200 and "years" in response.context["form"].errors
    assert not RetentionRule.objects.exists()


@pytest.mark.parametrize("existing", [False, True])
def test_a_second_save_of_a_period_is_refused_not_lost(world, existing):
    hub_type = world.old.case_type
    url = reverse("retention:rule-edit", args=[hub_type.pk])
    if existing:
        RetentionRule.objects.create(partnership=world.partnership, case_type=hub_type, years=6)
    first, second = signed_in(world.admin), signed_in(world.admin)
    seen = first.get(url).context["form"]["version"].value()
    assert second.get(url).context["form"]["version"].value() == seen
    assert first.post(url, {"years": "7", "basis": "first", "version": seen}).status_code == 302
    response = second.post(url, {"years": "8", "basis": "second", "version": seen})
    assert response.status_code == 409
    message = " ".join(response.context["form"].non_field_errors())
    assert "changed by" in message and "Nothing you entered has been saved" in message
    assert "Years kept after the end of the year of closure" in message  # names the entry not saved
    assert response.context["form"]["years"].value() == 7  # the form shows the record as it is
    rule = RetentionRule.objects.get(case_type=hub_type)
    assert (rule.years, rule.basis) == (7, "first")


def test_erasing_from_the_queue(world, django_assert_max_num_queries):
    manager = signed_in(world.manager)
    with django_assert_max_num_queries(12):
        queue = manager.get(reverse("retention:queue"))
    assert world.old_other.reference in queue.content.decode()
    url = reverse("retention:erase", args=[world.old_other.reference])
    assert "Erase personal data" in manager.get(url).content.decode()
    response = manager.post(url, {"reason": ""})
    assert response.status_code == 200 and "Enter why the case is being erased" in response.content.decode()
    assert not Erasure.objects.exists()
    response = manager.post(url, {"reason": "Retention review, quarter 3"})
    assert response.status_code == 302
    assert Erasure.objects.get().case == world.old_other
    assert world.old_other not in [case for case, _ in manager.get(reverse("retention:queue")).context["rows"]]
    assert world.old_other.reference in manager.get(reverse("retention:erased")).content.decode()


def test_the_queue_query_count_does_not_grow_with_cases(world, django_assert_max_num_queries):
    extra = CaseType.objects.create(partnership=world.partnership, code="extra", name="Extra", prefix="EXT")
    RetentionRule.objects.create(partnership=world.partnership, case_type=extra, years=3)
    admin = signed_in(world.admin)
    with django_assert_max_num_queries(12):
        rows = admin.get(reverse("retention:queue")).context["rows"]
    assert len(rows) == 3


def test_subject_access_export_holds_everything_and_is_audited(world):
    Alias.objects.create(person=world.bea, name='=HYPERLINK("http://example.invalid","x")')
    admin = signed_in(world.admin)
    found = admin.get(reverse("retention:subject-access"), {"q": "Bea"})
    assert [person.pk for person in found.context["results"]] == [world.bea.pk]
    response = admin.get(reverse("retention:subject-access-export", args=[world.bea.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))

    def rows(name):
        return list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8-sig"))))

    assert "REVIEW BEFORE RELEASE" in archive.read("README.txt").decode()
    person = rows("person")
    assert person[1][person[0].index("first_name")] == "Bea"
    aliases = [row[rows("person_aliases")[0].index("name")] for row in rows("person_aliases")[1:]]
    assert "Bee Synthetic" in aliases and '\'=HYPERLINK("http://example.invalid","x")' in aliases
    assert rows("person_contact_details")[1][rows("person_contact_details")[0].index("value")] == "01632 960001"
    notes = rows("case_notes")
    assert any("4 Synthetic Row" in row[notes[0].index("text")] for row in notes[1:])
    assert [row[rows("cases")[0].index("id")] for row in rows("cases")[1:]] == [str(world.old_other.pk)]
    assert len(rows("hub_referrals")) == 2 and len(rows("linked_participant")) == 2
    # Ada's records are not in Bea's export.
    assert not any("Ada" in ",".join(row) for row in person + notes)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.user == world.admin and event.person_id == world.bea.pk and event.reason == "Subject access request"
    assert event.detail["subject_access"]["person_aliases"] == 2
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, detail__subject_access="Bea").exists()
