"""Commissioned services' returns: the provider fills in and submits, the analyst accepts (feeding indicators)
or returns with a reason, every step audited; reminders by e-mail through the worker; the `provider-return`
import. Everything is synthetic."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance.models import IndicatorValue, ProviderReturn, ProviderReturnValue, ReturnStatus
from saferhub.governance.tests import strategy_world
from saferhub.imports.registry import get_kind
from saferhub.imports.runner import run_import

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db):
    return strategy_world.build()


def fill(world):
    ret = world.provider_return
    return {
        f"kpi_{world.clients.pk}": "63",
        f"kpi_{world.safer.pk}": "88.5",
        "narrative": "A busy quarter",
        "case_studies": "A woman in her forties (details changed) stayed safely at home.",
        "version": ret.version,
    }


def test_provider_submits_and_analyst_accepts_and_the_indicator_takes_the_figure(client, world):
    client.force_login(world.users["provider"])
    url = reverse("governance:return-edit", args=[world.provider_return.pk])
    assert client.post(url, {**fill(world), "action": "submit"}).status_code == 302
    ret = ProviderReturn.objects.get(pk=world.provider_return.pk)
    assert ret.status == ReturnStatus.SUBMITTED and ret.submitted_by == world.users["provider"]
    assert client.get(url).status_code == 302  # submitted: no more changes by the provider
    client.force_login(world.users["analyst"])
    page = client.get(reverse("governance:return", args=[ret.pk])).content.decode()
    assert "Accept the return" in page and "88.5%" in page
    response = client.post(reverse("governance:return-accept", args=[ret.pk]), {"version": ret.version})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.ACCEPTED
    assert IndicatorValue.objects.get(indicator=world.from_provider, period="2024/25 Q1").value == 63
    steps = list(
        AuditEvent.objects.filter(object_type="governance.providerreturn", object_id=str(ret.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert steps == [AuditAction.CREATE, AuditAction.UPDATE, AuditAction.UPDATE]


def test_submitting_needs_every_figure_but_a_draft_does_not(client, world):
    client.force_login(world.users["provider"])
    url = reverse("governance:return-edit", args=[world.provider_return.pk])
    data = {**fill(world), f"kpi_{world.safer.pk}": ""}
    response = client.post(url, {**data, "action": "submit"})
    assert response.status_code == 200
    assert "Enter the Clients feeling safer figure before you submit" in response.content.decode()
    assert client.post(url, {**data, "action": "save"}).status_code == 302
    ret = ProviderReturn.objects.get(pk=world.provider_return.pk)
    assert ret.status == ReturnStatus.REQUESTED
    assert list(ret.values.values_list("value", flat=True)) == [Decimal(63)]


@override_settings(TASKS=IMMEDIATE)
def test_analyst_returns_it_with_a_reason_and_the_provider_is_emailed(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["provider"])
    client.post(reverse("governance:return-edit", args=[world.provider_return.pk]), {**fill(world), "action": "submit"})
    ret = ProviderReturn.objects.get(pk=world.provider_return.pk)
    client.force_login(world.users["analyst"])
    url = reverse("governance:return-send-back", args=[ret.pk])
    assert "Enter what the provider needs to change" in client.post(url, {"version": ret.version}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"version": ret.version, "reason": "The safer figure looks like last quarter's"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED and ret.returned_reason.startswith("The safer figure")
    assert [m.to for m in mail.outbox] == [[world.users["provider"].email]]
    assert "returned for changes" in mail.outbox[0].subject
    # The provider can change it again.
    client.force_login(world.users["provider"])
    assert client.get(reverse("governance:return-edit", args=[ret.pk])).status_code == 200


@override_settings(TASKS=IMMEDIATE)
def test_reminders_for_returns_due_soon_or_overdue_once_a_day(world, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: datetime.date(2024, 7, 28))
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_provider_reminders", "--partnership", world.partnership.slug, "--days", "7", stdout=out)
    assert "Reminders queued: 2." in out.getvalue()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([world.users["provider"].email, world.users["other_provider"].email])
    body = mail.outbox[0].body
    assert "due on 31 July 2024" in body and "/governance/returns/" in body
    # Nothing about anyone: no narrative or case study in the e-mail.
    assert "details changed" not in body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_provider_reminders", "--partnership", world.partnership.slug, stdout=io.StringIO())
    assert mail.outbox == []


def test_reminders_skip_returns_not_yet_due(world):
    out = io.StringIO()
    with override_settings(TASKS=IMMEDIATE):
        call_command("send_provider_reminders", "--partnership", world.partnership.slug, "--days", "0", stdout=out)
    # Both returns were due on 31 July 2024: long overdue by now.
    assert "overdue" in out.getvalue()
    ProviderReturn.objects.update(due_on=datetime.date(2099, 1, 1), reminded_on=None)
    out = io.StringIO()
    call_command("send_provider_reminders", "--partnership", world.partnership.slug, stdout=out)
    assert "Reminders queued: 0." in out.getvalue()


HEADER = "service,period,kpi,value\n"


def load(world, text):
    return run_import(
        get_kind("provider-return"), io.StringIO(text), partnership=world.partnership, filename="returns.csv"
    )


def test_import_sets_figures_submits_the_return_and_is_idempotent(world):
    text = HEADER + (
        "invented outreach service,2024/25 Q1,Clients supported,63\n"
        "Invented outreach service,2024/25 Q1,clients feeling safer,88.5\n"
        'Invented mentoring,2024/25 Q2,Young people mentored,"1,204"\n'
    )
    result = load(world, text)
    assert result.ok, result.errors
    ret = ProviderReturn.objects.get(pk=world.provider_return.pk)
    assert ret.status == ReturnStatus.SUBMITTED
    assert sorted(ProviderReturnValue.objects.values_list("value", flat=True)) == [
        Decimal("63"),
        Decimal("88.5"),
        Decimal("1204"),
    ]
    created = ProviderReturn.objects.get(service=world.other_service, period="2024/25 Q2")
    assert created.due_on == datetime.date(2024, 10, 30)
    again = load(world, text)
    assert (again.created, again.updated) == (0, 0) and again.unchanged == 3


def test_import_is_all_or_nothing_with_line_and_column_errors(world):
    text = HEADER + (
        "Invented outreach service,2024/25 Q1,Clients supported,63\n"
        "No such service,2024/25 Q1,Clients supported,1\n"
        "Invented outreach service,2024/25,Clients supported,1\n"
        "Invented outreach service,2024/25 Q1,Made up KPI,1\n"
        "Invented outreach service,2024/25 Q1,Clients supported,lots\n"
        "Invented outreach service,2024/25 Q1,Clients supported,64\n"
    )
    result = load(world, text)
    assert not result.ok
    errors = "\n".join(str(error) for error in result.errors)
    assert "line 3, column service: unknown commissioned service 'No such service'" in errors
    assert "line 4, column period: '2024/25' is a year" in errors
    assert "line 5, column kpi: Invented outreach service has no KPI 'Made up KPI'" in errors
    assert "line 6, column value: 'lots' is not a number" in errors
    assert "line 7, column kpi:" in errors and "already on line 2" in errors
    assert not ProviderReturnValue.objects.exists()


def test_import_never_changes_an_accepted_return(world):
    ProviderReturn.objects.filter(pk=world.provider_return.pk).update(status=ReturnStatus.ACCEPTED)
    result = load(world, HEADER + "Invented outreach service,2024/25 Q1,Clients supported,63\n")
    assert not result.ok
    assert "already accepted" in "\n".join(str(error) for error in result.errors)
