"""Changing commissioned services and KPIs, and archiving and restoring strategies, priorities, services
and KPIs: who may, what is written (with its audit row), stale edits, and what an archived record
leaves (lists, pickers, later periods' returns) and keeps (its past figures). Everything is synthetic."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.governance import actions
from saferhub.governance.indicator_report import build_indicators
from saferhub.governance.models import CommissionedService, Priority, ServiceKpi, Strategy
from saferhub.governance.tests import strategy_world


@pytest.fixture
def world(db):
    return strategy_world.build()


def sign_in(client, world, who):
    user = world.users[who]
    if user is not None:
        client.force_login(user)
    return user


def audit_rows(record, action):
    return AuditEvent.objects.filter(object_type=record._meta.label_lower, object_id=str(record.pk), action=action)


def service_data(world, **changes):
    service = world.service
    return {
        "name": service.name,
        "agency": str(service.agency_id),
        "contract_name": "",
        "contract_starts_on": "",
        "contract_ends_on": "",
        "description": "",
        "version": str(service.version),
        **changes,
    }


def kpi_data(kpi, **changes):
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "good_direction": kpi.good_direction,
        "quarterly_target": "" if kpi.quarterly_target is None else str(kpi.quarterly_target),
        "version": str(kpi.version),
        **changes,
    }


# Who may change and archive: a POST by each role (GETs are in test_strategy_access's matrix).

ARCHIVES = [
    ("governance:strategy-archive", "strategy", Strategy),
    ("governance:priority-archive", "priority", Priority),
    ("governance:service-archive", "service", CommissionedService),
    ("governance:kpi-archive", "clients", ServiceKpi),
]
REFUSED = {"team_manager": 403, "board_member": 403, "caseworker": 403, "provider": 403, "other_analyst": 404}


@pytest.mark.parametrize("who", ["admin", "analyst", *REFUSED])
@pytest.mark.parametrize(("name", "obj", "model"), ARCHIVES)
def test_only_analysts_and_administrators_archive(client, world, who, name, obj, model):
    sign_in(client, world, who)
    record = getattr(world, obj)
    response = client.post(reverse(name, args=[record.pk]), {"reason": "Contract ended"})
    archived = model.objects.get(pk=record.pk)
    if who in REFUSED:
        assert response.status_code == REFUSED[who]
        assert archived.archived_at is None and not audit_rows(record, AuditAction.ARCHIVE).exists()
    else:
        assert response.status_code == 302
        assert archived.archived_at is not None and archived.archive_reason == "Contract ended"
        assert archived.archived_by == world.users[who]


@pytest.mark.parametrize("who", ["admin", "analyst", *REFUSED])
@pytest.mark.parametrize(
    ("name", "obj", "data"),
    [
        ("governance:service-edit", "service", lambda w: service_data(w, description="Outreach in every ward")),
        ("governance:kpi-edit", "clients", lambda w: kpi_data(w.clients, quarterly_target="75")),
    ],
)
def test_only_analysts_and_administrators_change_services_and_kpis(client, world, who, name, obj, data):
    sign_in(client, world, who)
    record = getattr(world, obj)
    response = client.post(reverse(name, args=[record.pk]), data(world))
    record.refresh_from_db()
    if who in REFUSED:
        assert response.status_code == REFUSED[who]
        assert record.version == 1 and not audit_rows(record, AuditAction.UPDATE).exists()
    else:
        assert response.status_code == 302
        assert record.version == 2


# Changing a service and a KPI.


def test_changing_a_service_saves_it_with_its_audit_row(client, world):
    sign_in(client, world, "analyst")
    url = reverse("governance:service-edit", args=[world.service.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Change the commissioned service" in page.content.decode()
    response = client.post(url, service_data(world, contract_name="Outreach 2024", contract_starts_on="2024-04-01"))
    assert response.status_code == 302
    service = CommissionedService.objects.get(pk=world.service.pk)
    assert service.contract_name == "Outreach 2024" and service.contract_starts_on == datetime.date(2024, 4, 1)
    row = audit_rows(service, AuditAction.UPDATE).get()
    assert row.detail["changed"] == ["contract_name", "contract_starts_on"] and row.partnership == world.partnership


def test_changing_a_kpi_saves_it_with_its_audit_row(client, world):
    sign_in(client, world, "admin")
    response = client.post(
        reverse("governance:kpi-edit", args=[world.clients.pk]),
        kpi_data(world.clients, name="Clients supported each quarter", quarterly_target="75"),
    )
    assert response.status_code == 302
    kpi = ServiceKpi.objects.get(pk=world.clients.pk)
    assert kpi.name == "Clients supported each quarter" and kpi.quarterly_target == Decimal(75) and kpi.version == 2
    row = audit_rows(kpi, AuditAction.UPDATE).get()
    assert row.detail["changed"] == ["name", "quarterly_target"] and row.partnership == world.partnership


@pytest.mark.parametrize(
    ("name", "obj", "data", "field", "message"),
    [
        (
            "governance:kpi-edit",
            "clients",
            lambda w: kpi_data(w.clients, name=w.safer.name),
            "name",
            "already has a kpi of that name",
        ),
        (
            "governance:kpi-edit",
            "clients",
            lambda w: kpi_data(w.clients, quarterly_target="lots"),
            "quarterly_target",
            "target per quarter",
        ),
        (
            "governance:service-edit",
            "service",
            lambda w: service_data(w, name=w.other_service.name),
            "name",
            "already has a commissioned service of that name",
        ),
        (
            "governance:service-edit",
            "service",
            lambda w: service_data(w, contract_starts_on="2025-04-01", contract_ends_on="2024-04-01"),
            "contract_ends_on",
            "end must be on or after its start",
        ),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(client, world, name, obj, data, field, message):
    sign_in(client, world, "analyst")
    record = getattr(world, obj)
    response = client.post(reverse(name, args=[record.pk]), data(world))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field]).lower()
    record.refresh_from_db()
    assert record.version == 1 and not audit_rows(record, AuditAction.UPDATE).exists()


@pytest.mark.parametrize(
    ("name", "obj", "data", "model"),
    [
        ("governance:kpi-edit", "clients", lambda w: kpi_data(w.clients, name="Clients helped"), ServiceKpi),
        (
            "governance:service-edit",
            "service",
            lambda w: service_data(w, name="Invented helpline"),
            CommissionedService,
        ),
    ],
)
def test_a_stale_edit_gets_the_conflict_page_and_writes_nothing(client, world, name, obj, data, model):
    sign_in(client, world, "analyst")
    record = getattr(world, obj)
    posted = data(world)
    # Someone archives (or changes) the record after the form was opened: the version moves on.
    actions.archive(world.users["admin"], record)
    response = client.post(reverse(name, args=[record.pk]), posted)
    assert response.status_code == 409
    assert "after you opened it" in " ".join(response.context["form"].non_field_errors())
    assert model.objects.get(pk=record.pk).name != "Clients helped"
    assert model.objects.get(pk=record.pk).name != "Invented helpline"
    assert not audit_rows(record, AuditAction.UPDATE).exists()


# Archiving and restoring.


def test_an_archive_page_asks_first_and_the_post_archives_with_its_audit_row(client, world):
    sign_in(client, world, "analyst")
    url = reverse("governance:strategy-archive", args=[world.strategy.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Archive the strategy?" in page.content.decode()
    assert Strategy.objects.get(pk=world.strategy.pk).archived_at is None
    assert client.post(url, {"reason": "Replaced by the 2027 strategy"}).status_code == 302
    strategy = Strategy.objects.get(pk=world.strategy.pk)
    assert strategy.is_archived and strategy.version == 2
    row = audit_rows(strategy, AuditAction.ARCHIVE).get()
    assert row.reason == "Replaced by the 2027 strategy" and row.partnership == world.partnership
    # Archiving again changes nothing and writes no second row.
    client.post(url, {})
    assert audit_rows(strategy, AuditAction.ARCHIVE).count() == 1


def test_an_archived_strategy_leaves_the_list_and_says_so_on_its_page(client, world):
    actions.archive(world.users["analyst"], world.strategy, reason="Replaced")
    sign_in(client, world, "team_manager")
    listing = client.get(reverse("governance:strategies")).content.decode()
    assert world.strategy.name not in listing
    page = client.get(reverse("governance:strategy", args=[world.strategy.pk])).content.decode()
    assert "This strategy is archived" in page and "Restore the strategy" not in page
    # Those who manage it find it under the archived ones, and can restore it.
    client.force_login(world.users["analyst"])
    listing = client.get(reverse("governance:strategies")).content.decode()
    live, archived = listing.split("Archived strategies")
    assert world.strategy.name not in live and world.strategy.name in archived
    page = client.get(reverse("governance:strategy", args=[world.strategy.pk])).content.decode()
    assert reverse("governance:strategy-restore", args=[world.strategy.pk]) in page


def test_restoring_brings_it_back_with_its_audit_row(client, world):
    actions.archive(world.users["analyst"], world.strategy)
    sign_in(client, world, "admin")
    url = reverse("governance:strategy-restore", args=[world.strategy.pk])
    assert "Restore the strategy?" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    strategy = Strategy.objects.get(pk=world.strategy.pk)
    assert not strategy.is_archived and strategy.archived_by is None
    assert audit_rows(strategy, AuditAction.UPDATE).get().detail["restored"] is True
    assert strategy.name in client.get(reverse("governance:strategies")).content.decode()


def test_an_archived_priority_leaves_the_strategy_page_but_can_be_restored(client, world):
    sign_in(client, world, "analyst")
    assert client.post(reverse("governance:priority-archive", args=[world.priority.pk])).status_code == 302
    page = client.get(reverse("governance:strategy", args=[world.strategy.pk])).content.decode()
    live, archived = page.split("Archived priorities")
    assert f'id="priority-{world.priority.pk}"' not in live and world.entered.name not in live
    assert world.priority.title in archived
    assert client.post(reverse("governance:priority-restore", args=[world.priority.pk])).status_code == 302
    page = client.get(reverse("governance:strategy", args=[world.strategy.pk])).content.decode()
    assert world.entered.name in page and "Archived priorities" not in page


@pytest.mark.parametrize("what", ["strategy", "priority"])
def test_the_indicators_return_drops_what_was_archived_before_the_period_but_keeps_the_past(world, what):
    actions.archive(world.users["analyst"], getattr(world, what))
    # Archived on 1 August 2024: in 2024/25 Q2 still, gone from Q3 on.
    type(getattr(world, what)).objects.update(archived_at=datetime.datetime(2024, 8, 1, 12, tzinfo=datetime.UTC))

    def names(start, end):
        return {row["indicator"] for row in build_indicators(world.partnership, start, end)["indicators"]}

    assert world.entered.name in names(datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    assert world.entered.name in names(datetime.date(2024, 7, 1), datetime.date(2024, 9, 30))
    assert names(datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)) == set()


def test_an_archived_service_leaves_the_lists_and_cannot_be_asked_for_a_return(client, world):
    actions.archive(world.users["analyst"], world.service)
    sign_in(client, world, "provider")
    page = client.get(reverse("governance:services")).content.decode()
    assert world.service.name not in page
    # Its past returns stay where they were.
    assert client.get(reverse("governance:return", args=[world.provider_return.pk])).status_code == 200
    client.force_login(world.users["analyst"])
    page = client.get(reverse("governance:service", args=[world.service.pk])).content.decode()
    assert "This service is archived" in page
    response = client.post(
        reverse("governance:return-request", args=[world.service.pk]), {"period": "2024/25 Q2", "due_on": "2024-10-31"}
    )
    assert response.status_code == 302 and world.service.returns.count() == 1


def test_archived_kpis_and_services_are_not_offered_to_a_new_indicator(client, world):
    actions.archive(world.users["analyst"], world.safer)
    actions.archive(world.users["analyst"], world.other_service)
    sign_in(client, world, "analyst")
    form = client.get(reverse("governance:indicator-add", args=[world.priority.pk])).context["form"]
    assert list(form.fields["kpi"].queryset) == [world.clients]
    # An indicator already taking an archived KPI keeps it on its edit page.
    actions.archive(world.users["analyst"], world.clients)
    form = client.get(reverse("governance:indicator-edit", args=[world.from_provider.pk])).context["form"]
    assert list(form.fields["kpi"].queryset) == [world.clients]


def test_a_kpi_archived_before_a_quarter_is_not_asked_for_in_its_return_but_past_figures_stay(client, world):
    analyst, provider = world.users["analyst"], world.users["provider"]
    actions.save_return(
        provider,
        world.provider_return,
        values={world.clients.pk: Decimal(58), world.safer.pk: Decimal(81)},
        narrative="",
        case_studies="",
        submit=True,
        expected_version=world.provider_return.version,
    )
    actions.archive(analyst, world.safer)
    ServiceKpi.objects.filter(pk=world.safer.pk).update(
        archived_at=datetime.datetime(2024, 8, 1, 12, tzinfo=datetime.UTC)
    )
    later = actions.request_return(analyst, world.service, period="2024/25 Q3", due_on=datetime.date(2025, 1, 31))
    sign_in(client, world, "provider")
    form = client.get(reverse("governance:return-edit", args=[later.pk])).context["form"]
    assert f"kpi_{world.clients.pk}" in form.fields and f"kpi_{world.safer.pk}" not in form.fields
    page = client.get(reverse("governance:return", args=[world.provider_return.pk])).content.decode()
    assert world.safer.name in page and "81" in page
    sign_in(client, world, "analyst")
    page = client.get(reverse("governance:service", args=[world.service.pk])).content.decode()
    assert "Archived KPIs" in page
    assert reverse("governance:kpi-restore", args=[world.safer.pk]) in page


def test_archived_services_are_not_chased_for_their_returns(world):
    from saferhub.governance.models import ProviderReturn

    actions.archive(world.users["analyst"], world.service)
    waiting = set(ProviderReturn.objects.awaiting_provider())
    assert world.provider_return not in waiting and world.other_return in waiting


@pytest.mark.parametrize("name", ["governance:strategies", "governance:services"])
def test_lists_with_archived_records_run_a_bounded_number_of_queries(
    client, world, django_assert_max_num_queries, name
):
    actions.archive(world.users["analyst"], world.strategy)
    actions.archive(world.users["analyst"], world.other_service)
    sign_in(client, world, "analyst")
    with django_assert_max_num_queries(15):
        assert client.get(reverse(name)).status_code == 200


def test_archive_stamps_the_time(world):
    before = timezone.now()
    assert actions.archive(world.users["analyst"], world.clients) is True
    assert ServiceKpi.objects.get(pk=world.clients.pk).archived_at >= before
    assert actions.restore(world.users["analyst"], world.clients) is True
    assert actions.restore(world.users["analyst"], world.clients) is False
