"""Downloads of the everyday casework lists: the inbox, my actions, the panels' review queue and
overdue actions, and the duplicates queue. Each holds the rows the page shows (every page of
them), only what the user may see, codes and ISO dates in CSV, labels and real dates in XLSX,
and is audited as an export."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _csv(response):
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))


def _xlsx(response):
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in rows]


def _exports():
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT).values_list("detail", flat=True))


# The inbox -------------------------------------------------------------------------------


def test_the_inbox_downloads_every_item_of_the_team_oldest_first():
    from saferhub.cases.tests.factories import ReferralFactory
    from saferhub.cases.tests.referral_world import build_world, referral_to_vch

    w = build_world()
    now = timezone.now()
    old = referral_to_vch(w, received_at=now - datetime.timedelta(days=20))
    new = referral_to_vch(w, received_at=now - datetime.timedelta(hours=1))
    referral_to_vch(w, decision="declined", decision_reason="Test")
    theirs = ReferralFactory(to_team=w.cst, case_type=w.case_type)  # another team's

    client = _client(w.owner)
    page = client.get(reverse("core:inbox"), {"kind": "referral"}).content.decode()
    assert "download=csv" in page and "kind=referral" in page

    rows = _csv(client.get(reverse("core:inbox"), {"kind": "referral", "download": "csv"}))
    assert [row["reference"] for row in rows] == [old.reference, new.reference]
    assert {row["kind"] for row in rows} == {"referral"}
    assert [row["overdue"] for row in rows] == ["yes", "no"]
    assert rows[0]["due_on"] and datetime.date.fromisoformat(rows[0]["due_on"]) < timezone.localdate()
    assert _exports() == [{"what": "inbox", "format": "csv", "filters": {"kind": "referral"}}]

    sheet = _xlsx(client.get(reverse("core:inbox"), {"download": "xlsx"}))
    assert [row["Reference"] for row in sheet] == [old.reference, new.reference]
    assert sheet[0]["Kind"] == "Referrals" and sheet[0]["Overdue"] == "Yes"
    assert isinstance(sheet[0]["Received"], datetime.datetime)

    # Another team's inbox holds none of them.
    theirs_rows = _csv(_client(w.colleague).get(reverse("core:inbox"), {"download": "csv"}))
    assert [row["reference"] for row in theirs_rows] == [theirs.reference]


# My actions -------------------------------------------------------------------------------


def test_my_actions_download_every_outstanding_action_on_cases_i_may_see():
    from saferhub.cases.tests.factories import ActionFactory, CaseFactory, RestrictedCaseFactory
    from saferhub.cases.tests.referral_world import build_world

    w = build_world()
    today = timezone.localdate()
    case = CaseFactory(owning_team=w.vch, case_type=w.case_type)
    late = ActionFactory(case=case, owner=w.owner, title="Testaction late", due_on=today - datetime.timedelta(days=2))
    for n in range(30):  # more than a page
        ActionFactory(case=case, owner=w.owner, title=f"Testaction {n}", due_on=today + datetime.timedelta(days=n))
    ActionFactory(case=case, owner=w.owner, title="Testaction done", status="done")
    ActionFactory(case=case, owner=w.manager, title="Testaction not mine")
    restricted = RestrictedCaseFactory(owning_team=w.vch, case_type=w.case_type, named=[w.manager])
    ActionFactory(case=restricted, owner=w.owner, title="Testaction restricted")

    client = _client(w.owner)
    assert "download=csv" in client.get(reverse("core:my-actions")).content.decode()
    rows = _csv(client.get(reverse("core:my-actions"), {"download": "csv"}))
    assert len(rows) == 31
    assert rows[0] == {
        "due_on": late.due_on.isoformat(),
        "overdue": "yes",
        "action": "Testaction late",
        "case": case.reference,
        "status": "open",
    }
    titles = {row["action"] for row in rows}
    assert not titles & {"Testaction done", "Testaction not mine", "Testaction restricted"}
    sheet = _xlsx(client.get(reverse("core:my-actions"), {"download": "xlsx"}))
    assert sheet[0]["Status"] == "Open" and sheet[0]["Due"] == datetime.datetime.combine(late.due_on, datetime.time())
    assert [detail["what"] for detail in _exports()] == ["my-actions", "my-actions"]


# Panels ----------------------------------------------------------------------------------


@pytest.fixture
def panels():
    from saferhub.panels.tests.world import build_world

    return build_world()


def test_the_review_queue_downloads_the_referrals_awaiting_review(panels):
    from saferhub.panels import actions as panel_actions
    from saferhub.panels.tests.world import person

    w = panels
    police = w.users["police"]
    first = panel_actions.submit_referral(police, w.da, person=person(w, "Ada", "Testfern"), reason="Synthetic risk")
    second = panel_actions.submit_referral(police, w.da, person=person(w, "Bea", "Testmill"), reason="Synthetic risk")
    client = _client(w.coordinator)
    assert "download=csv" in client.get(reverse("panels:review-queue")).content.decode()
    rows = _csv(client.get(reverse("panels:review-queue"), {"download": "csv"}))
    assert [row["referral"] for row in rows] == [first.reference, second.reference]
    assert rows[0]["referral"].startswith("PR-") and rows[0]["panel_type"] == w.da.code
    assert rows[0]["person"] == "Ada Testfern" and rows[0]["repeat"] == "no"
    sheet = _xlsx(client.get(reverse("panels:review-queue"), {"download": "xlsx"}))
    assert sheet[0]["Panel"] == w.da.name and sheet[0]["Referring agency"] == w.police.name
    assert [detail["what"] for detail in _exports()] == ["panel-referrals-awaiting-review"] * 2
    # Only coordinators review (and download).
    assert _client(police).get(reverse("panels:review-queue"), {"download": "csv"}).status_code == 403


def test_overdue_panel_actions_download(panels):
    from saferhub.panels import actions as panel_actions
    from saferhub.panels.tests.world import meeting, person, refer

    w = panels
    today = timezone.localdate()
    referral = refer(w, person(w), today - datetime.timedelta(days=10))
    hearing = panel_actions.list_case(
        w.coordinator, meeting(w, today + datetime.timedelta(days=3)), referral.panel_case
    )
    police = w.users["police"]
    for title, days in (("Testaction late", -3), ("Testaction later", -1), ("Testaction future", 2)):
        panel_actions.agree_action(
            w.coordinator,
            hearing,
            title=title,
            owner=police,
            owner_agency=w.police,
            due_on=today + datetime.timedelta(days=days),
        )
    client = _client(w.coordinator)
    assert "download=csv" in client.get(reverse("panels:overdue-actions")).content.decode()
    rows = _csv(client.get(reverse("panels:overdue-actions"), {"download": "csv"}))
    assert [row["action"] for row in rows] == ["Testaction late", "Testaction later"]
    assert rows[0]["case"] == referral.panel_case.case.reference
    assert rows[0]["owner_agency"] == w.police.name and rows[0]["status"] == "open"
    assert rows[0]["due_on"] == (today - datetime.timedelta(days=3)).isoformat()
    sheet = _xlsx(client.get(reverse("panels:overdue-actions"), {"download": "xlsx"}))
    assert sheet[0]["Panel"] == w.da.name and sheet[0]["Status"] == "Open"
    assert [detail["what"] for detail in _exports()] == ["overdue-panel-actions"] * 2
    assert _client(police).get(reverse("panels:overdue-actions"), {"download": "csv"}).status_code == 403


# Duplicates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "pairs"),
    [("manager", {"visible", "secret"}), ("restricted_outsider", {"visible"}), ("other_manager", set())],
)
def test_the_duplicates_queue_downloads_only_pairs_the_manager_may_see_both_of(who, pairs):
    from saferhub.people.tests.duplicates_world import BORN, build_duplicates_world

    w = build_duplicates_world()
    client = _client(w.users[who])
    rows = _csv(client.get(reverse("people:duplicates"), {"download": "csv"}))
    expected = {name: getattr(w, f"{name}_pair") for name in pairs}
    assert {row["pair"] for row in rows} == {str(pair.pk) for pair in expected.values()}
    for row in rows:
        assert row["person_a_date_of_birth"] == row["person_b_date_of_birth"] == BORN.isoformat()
    if "visible" in pairs:
        row = next(r for r in rows if r["pair"] == str(w.visible_pair.pk))
        assert (row["person_a_name"], row["person_b_name"]) == ("Testolivia Zedwick", "Testolivia Zedwik")
    assert _exports() == [{"what": "possible-duplicates", "format": "csv", "filters": {}}]


def test_the_duplicates_queue_is_not_for_caseworkers():
    from saferhub.people.tests.duplicates_world import build_duplicates_world

    w = build_duplicates_world()
    assert _client(w.users["owner"]).get(reverse("people:duplicates"), {"download": "csv"}).status_code == 404
    assert not _exports()
