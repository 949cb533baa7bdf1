"""Changing an ASB case's category, ward, location and contact officer: the owning team only, audited,
and a form opened before someone else's save is refused with nothing written."""

import pytest
from django.urls import reverse

from saferhub.asb.models import AsbCase
from saferhub.asb.tests.world import build_world, code
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.core.models import ReferenceList
from saferhub.places.models import Ward


@pytest.fixture
def world(db):
    return build_world()


def url(w):
    return reverse("asb:case-details", args=[w.case.reference])


def form_data(w, **overrides):
    data = {
        "category": code(w.partnership, ReferenceList.ASB_CASE_CATEGORY, "asb_environmental").pk,
        "ward": w.ward.pk,
        "location": "2 Invented Row",
        "single_point_of_contact": w.manager.pk,
        "version": AsbCase.objects.get(pk=w.asb.pk).version,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    "who, status",
    [
        ("owner", 200),
        ("manager", 200),
        ("colleague", 404),
        ("other_agency", 404),
        ("shared", 403),
        ("analyst", 404),
        ("admin", 404),
        (None, 302),
    ],
)
def test_who_may_open_the_details_page(world, client, who, status):
    if who:
        client.force_login(getattr(world, who))
    assert client.get(url(world)).status_code == status


def test_restricted_case_details_only_for_named_users(world, client):
    restricted_url = reverse("asb:case-details", args=[world.restricted.reference])
    client.force_login(world.owner)
    assert client.get(restricted_url).status_code == 404
    client.force_login(world.manager)
    assert client.get(restricted_url).status_code == 200


def test_the_owner_changes_the_details_and_it_is_audited(world, client):
    client.force_login(world.owner)
    new_ward = Ward.objects.create(partnership=world.partnership, name="Second Invented Ward")
    response = client.post(url(world), form_data(world, ward=new_ward.pk))
    assert response.status_code == 302
    asb = AsbCase.objects.get(pk=world.asb.pk)
    assert asb.category.code == "asb_environmental" and asb.ward == new_ward
    assert asb.location == "2 Invented Row" and asb.single_point_of_contact == world.manager
    assert asb.version == 2
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, case_id=world.case.pk).latest("pk")
    assert event.detail["asb_fields"] == ["category", "location", "single_point_of_contact", "ward"]


def test_a_stale_form_is_refused_and_nothing_is_written(world, client):
    client.force_login(world.owner)
    opened_version = AsbCase.objects.get(pk=world.asb.pk).version
    # Someone else saves first.
    client.post(url(world), form_data(world, location="Changed by someone else"))
    response = client.post(url(world), form_data(world, location="My change", version=opened_version))
    assert response.status_code == 409
    page = response.content.decode()
    assert "after you opened it" in page and "Nothing you entered has been saved" in page
    assert AsbCase.objects.get(pk=world.asb.pk).location == "Changed by someone else"
    # The form now shows the details as they are, with the current version.
    assert response.context["form"]["location"].value() == "Changed by someone else"
    assert response.context["form"]["version"].value() == opened_version + 1


def test_a_missing_category_names_the_field_and_writes_nothing(world, client):
    client.force_login(world.owner)
    before = AuditEvent.objects.filter(action=AuditAction.UPDATE).count()
    response = client.post(url(world), form_data(world, category=None))
    assert response.status_code == 200 and response.context["form"].errors["category"]
    assert AsbCase.objects.get(pk=world.asb.pk).location == "1 Invented Row"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == before


def test_contact_officer_must_be_in_the_owning_team(world, client):
    client.force_login(world.owner)
    response = client.post(url(world), form_data(world, single_point_of_contact=world.other_agency.pk))
    assert response.status_code == 200 and response.context["form"].errors["single_point_of_contact"]


def test_saving_unchanged_details_writes_no_audit_change(world, client):
    client.force_login(world.owner)
    asb = world.asb
    unchanged = form_data(
        world,
        category=asb.category_id,
        location=asb.location,
        single_point_of_contact=asb.single_point_of_contact_id,
    )
    before = AuditEvent.objects.filter(action=AuditAction.UPDATE).count()
    assert client.post(url(world), unchanged).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE).count() == before
