"""Changing case details: optimistic locking, restriction keeps the editor named, audit."""

import pytest
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases.models import Case, RestrictedAccess
from saferhub.cases.tests.test_case_world import build_world


@pytest.fixture
def world(db):
    return build_world()


def _url(case):
    return reverse("cases:edit", kwargs={"reference": case.reference})


def _form_data(response, **changes):
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items() if v is not False}
    data.update(changes)
    return data


def test_two_editors_second_is_told_and_first_kept(world):
    first, second = Client(), Client()
    first.force_login(world.owner)
    second.force_login(world.owner)  # the same team; any editor
    opened_first = first.get(_url(world.case))
    opened_second = second.get(_url(world.case))

    saved = first.post(_url(world.case), _form_data(opened_first, title="First editor's title", risk_level="high"))
    assert saved.status_code == 302
    refused = second.post(_url(world.case), _form_data(opened_second, title="Second editor's title"))

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "This case was changed by " in page and "Nothing you entered has been saved" in page
    assert "Your entries that differ from the saved record: Title" in page
    assert "There is a problem" in page
    # The form now shows the case as it is, with the new version, so a deliberate resubmit can succeed.
    assert 'value="First editor&#x27;s title"' in page
    assert refused.context["form"]["version"].value() == 2
    case = Case.objects.get(pk=world.case.pk)
    assert case.title == "First editor's title"
    assert case.risk_level == "high"
    assert case.version == 2
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, case_id=case.pk).count() == 1


def test_edit_is_audited_with_changed_fields(client, world):
    client.force_login(world.owner)
    opened = client.get(_url(world.case))
    client.post(_url(world.case), _form_data(opened, summary="Invented new summary"))
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, case_id=world.case.pk)
    assert event.detail == {"fields": ["summary"]}


def test_restricting_names_the_editor(client, world):
    client.force_login(world.owner)
    opened = client.get(_url(world.case))
    response = client.post(_url(world.case), _form_data(opened, restricted="on"))
    assert response.status_code == 302
    assert Case.objects.get(pk=world.case.pk).restricted
    assert RestrictedAccess.objects.filter(case=world.case, user=world.owner).exists()
    assert client.get(reverse("cases:detail", kwargs={"reference": world.case.reference})).status_code == 200
    # The shared agency no longer sees it.
    client.force_login(world.shared)
    assert client.get(reverse("cases:detail", kwargs={"reference": world.case.reference})).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for the case"),
        ({"assigned_to": "COLLEAGUE"}, "Select one of the options listed"),
        ({"version": ""}, "Enter the version"),
    ],
)
def test_bad_input_changes_nothing(client, world, changes, message):
    if changes.get("assigned_to") == "COLLEAGUE":
        changes = {"assigned_to": world.colleague.pk}
    client.force_login(world.owner)
    opened = client.get(_url(world.case))
    events = AuditEvent.objects.count()
    response = client.post(_url(world.case), _form_data(opened, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Case.objects.get(pk=world.case.pk).version == 1
    assert AuditEvent.objects.count() == events
