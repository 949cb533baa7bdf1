"""Administrators add partnership codes to the reference lists, change their labels and disable them."""

import pytest
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import PartnershipFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.core.models import ReferenceCode, ReferenceList

CODE_LIST = ReferenceList.CASE_CLOSURE_REASON.value


@pytest.fixture
def admin(db):
    return UserFactory(roles=[Role.PARTNERSHIP_ADMIN])


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


@pytest.fixture
def code(admin):
    return ReferenceCode.objects.create(
        partnership=admin.partnership, code_list=CODE_LIST, code="support_complete", label="Support complete"
    )


def _events(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk))


def test_index_counts_active_and_disabled_codes(admin_client, admin, code):
    ReferenceCode.objects.create(
        partnership=admin.partnership, code_list=CODE_LIST, code="moved_away", label="Moved away", active=False
    )
    # Another partnership's codes are not counted.
    ReferenceCode.objects.create(partnership=PartnershipFactory(), code_list=CODE_LIST, code="x", label="X")
    response = admin_client.get(reverse("accounts:admin-reference"))
    lists = {row["code_list"]: row for row in response.context["lists"]}
    assert len(lists) == len(ReferenceList.choices)
    assert lists[CODE_LIST]["active"] == 1 and lists[CODE_LIST]["disabled"] == 1
    assert lists[ReferenceList.ETHNICITY.value]["active"] == 0


def test_list_shows_codes_with_their_status(admin_client, admin, code):
    ReferenceCode.objects.create(
        partnership=admin.partnership, code_list=CODE_LIST, code="moved_away", label="Moved away", active=False
    )
    page = admin_client.get(reverse("accounts:admin-reference-list", args=[CODE_LIST])).content.decode()
    assert "Support complete" in page and "Moved away" in page
    assert "In use" in page and "Disabled" in page
    assert page.count("<h1") == 1


def test_add_a_code(admin_client, admin):
    data = {"code": "no_contact", "label": "Could not be contacted", "group": "Ended", "notes": "", "sort_order": 5}
    response = admin_client.post(reverse("accounts:admin-reference-create", args=[CODE_LIST]), data)
    assert response.status_code == 302
    created = ReferenceCode.objects.get(partnership=admin.partnership, code_list=CODE_LIST, code="no_contact")
    assert created.label == "Could not be contacted" and created.sort_order == 5 and created.active
    event = _events(AuditAction.CREATE, created).get()
    assert event.detail == {"code_list": CODE_LIST, "code": "no_contact"}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"code": "support_complete"}, "code", "already has that code"),
        ({"code": "Has Spaces"}, "code", "lower-case letters and numbers"),
        ({"code": "trailing_"}, "code", "lower-case letters and numbers"),
        ({"code": "UPPER"}, "code", "lower-case letters and numbers"),
        ({"code": ""}, "code", "Enter a code"),
        ({"label": ""}, "label", "Enter the label users see"),
        ({"sort_order": "-1"}, "sort_order", "Enter a position of 0 or more"),
        ({"sort_order": "first"}, "sort_order", "Enter the position as a whole number"),
    ],
)
def test_add_refuses_bad_input(admin_client, code, data, field, message):
    before = ReferenceCode.objects.count()
    payload = {"code": "new_code", "label": "New", "sort_order": 0, **data}
    response = admin_client.post(reverse("accounts:admin-reference-create", args=[CODE_LIST]), payload)
    assert message in " ".join(response.context["form"].errors[field])
    assert "There is a problem" in response.content.decode()
    assert ReferenceCode.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_the_same_code_may_exist_in_another_list_or_partnership(admin_client, admin, code):
    ReferenceCode.objects.create(partnership=PartnershipFactory(), code_list=CODE_LIST, code="other", label="Other")
    url = reverse("accounts:admin-reference-create", args=[ReferenceList.REFERRAL_DECLINE_REASON.value])
    assert admin_client.post(url, {"code": "support_complete", "label": "Done", "sort_order": 0}).status_code == 302
    url = reverse("accounts:admin-reference-create", args=[CODE_LIST])
    assert admin_client.post(url, {"code": "other", "label": "Other", "sort_order": 0}).status_code == 302


def test_edit_changes_label_group_and_order_but_never_the_code(admin_client, code):
    data = {"code": "hacked", "label": "Support finished", "group": "Ended", "notes": "n", "sort_order": 3}
    data["version"] = code.version
    admin_client.post(reverse("accounts:admin-reference-edit", args=[CODE_LIST, code.pk]), data)
    code.refresh_from_db()
    assert code.code == "support_complete"
    assert (code.label, code.group, code.sort_order) == ("Support finished", "Ended", 3)
    changes = _events(AuditAction.UPDATE, code).get().detail["changes"]
    assert set(changes) == {"label", "group", "notes", "sort_order"}


def test_edit_refuses_an_empty_label(admin_client, code):
    url = reverse("accounts:admin-reference-edit", args=[CODE_LIST, code.pk])
    response = admin_client.post(url, {"label": "", "sort_order": 0})
    assert "label" in response.context["form"].errors
    code.refresh_from_db()
    assert code.label == "Support complete"
    assert not AuditEvent.objects.exists()


def test_disable_and_enable(admin_client, admin, code):
    disable = reverse("accounts:admin-reference-disable", args=[CODE_LIST, code.pk])
    assert "Disable this code?" in admin_client.get(disable).content.decode()
    code.refresh_from_db()
    assert code.active
    admin_client.post(disable)
    code.refresh_from_db()
    assert not code.active
    assert _events(AuditAction.ARCHIVE, code).get().detail["change"] == "disabled"

    admin_client.post(reverse("accounts:admin-reference-enable", args=[CODE_LIST, code.pk]))
    code.refresh_from_db()
    assert code.active
    assert _events(AuditAction.UPDATE, code).get().detail["change"] == "enabled"
    assert ReferenceCode.objects.filter(pk=code.pk).exists()


def test_disabling_a_disabled_code_changes_nothing(admin_client, code):
    code.active = False
    code.save()
    response = admin_client.post(reverse("accounts:admin-reference-disable", args=[CODE_LIST, code.pk]), follow=True)
    assert "already disabled" in response.content.decode()
    assert not AuditEvent.objects.exists()
