"""Big report downloads are built by the task worker; the request returns to the build's page."""

import dataclasses
import os

import pytest
from django.core.management import call_command
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.accounts.tests.factories import PartnershipFactory, TeamFactory, UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.reporting import caseload as caseload_report
from saferhub.reporting import registry
from saferhub.reporting.builds import build_report
from saferhub.reporting.models import BuildStatus, ReportBuild

QUERY = {"kind": "caseload", "date_from": "2023-04-01", "date_to": "2023-12-31", "fmt": "xlsx"}


def user_in(partnership, roles):
    return UserFactory(team=TeamFactory(agency__partnership=partnership), roles=roles)


@pytest.fixture
def background(settings, tmp_path):
    # The caseload fixture's period covers 7 cases of its partnership.
    settings.REPORT_BACKGROUND_ROWS = 5
    settings.REPORT_BUILD_DIR = tmp_path / "report-builds"
    return settings


@pytest.fixture
def analyst(client, caseload):
    user = user_in(caseload, [Role.ANALYST])
    client.force_login(user)
    return user


def test_count_rows_counts_the_partnerships_cases_up_to_the_last_day(caseload):
    from datetime import date

    assert caseload_report.count_rows(caseload, date(2023, 4, 1), date(2023, 12, 31)) == 7
    assert caseload_report.count_rows(caseload, date(2023, 4, 1), date(2024, 3, 31)) == 8


def test_a_big_report_is_queued_and_the_page_offers_the_download(client, background, analyst):
    response = client.get(reverse("reporting:run"), QUERY)
    build = ReportBuild.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:build", args=[build.pk])
    # The immediate backend (tests) has built it already.
    assert (build.status, build.requested_by, build.rows_total, build.format) == (BuildStatus.DONE, analyst, 7, "xlsx")
    stored = background.REPORT_BUILD_DIR / build.file_name
    assert stored.is_file() and os.stat(stored).st_mode & 0o777 == 0o600
    # Building is audited as the requester's export, as a direct download is.
    built = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (built.user, built.detail["report"], built.detail["format"]) == (analyst, "caseload", "xlsx")
    page = client.get(response["Location"]).content.decode()
    assert page.count("<h1") == 1
    assert "Report ready" in page and "1 April 2023 to 31 December 2023" in page
    assert reverse("reporting:build-download", args=[build.pk]) in page
    assert 'hx-trigger="every' not in page  # no polling once finished (the header bell loads once)


def test_the_built_bytes_equal_a_direct_download(client, background, analyst):
    for fmt in ("xlsx", "json", "docx"):
        client.get(reverse("reporting:run"), QUERY | {"fmt": fmt})
        build = ReportBuild.objects.get(format=fmt)
        download = client.get(reverse("reporting:build-download", args=[build.pk]))
        assert download.status_code == 200
        built = download.content
        assert download["Content-Disposition"] == f'attachment; filename="{build.download_name}"'
        background.REPORT_BACKGROUND_ROWS = 5000
        direct = client.get(reverse("reporting:run"), QUERY | {"fmt": fmt})
        background.REPORT_BACKGROUND_ROWS = 5
        assert direct["Content-Disposition"] == download["Content-Disposition"]
        assert built == direct.content, fmt
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, detail__build__isnull=False).latest("pk")
    assert (event.user, event.detail["format"]) == (analyst, "docx")


def test_a_small_report_downloads_in_the_request(client, background, analyst):
    background.REPORT_BACKGROUND_ROWS = 7
    response = client.get(reverse("reporting:run"), QUERY)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert not ReportBuild.objects.exists()


@pytest.mark.parametrize(
    ("who", "page_status", "download_status"),
    [
        ("requester", 200, 200),
        ("colleague analyst", 200, 200),
        ("colleague caseworker", 403, 403),
        ("other partnership analyst", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_who_may_see_a_build(client, background, caseload, who, page_status, download_status):
    requester = user_in(caseload, [Role.ANALYST])
    client.force_login(requester)
    client.get(reverse("reporting:run"), QUERY)
    build = ReportBuild.objects.get()
    client.logout()
    users = {
        "requester": requester,
        "colleague analyst": user_in(caseload, [Role.ANALYST]),
        "colleague caseworker": user_in(caseload, [Role.CASEWORKER]),
        "other partnership analyst": user_in(PartnershipFactory(), [Role.ANALYST]),
    }
    if who in users:
        client.force_login(users[who])
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    page = client.get(reverse("reporting:build", args=[build.pk]))
    download = client.get(reverse("reporting:build-download", args=[build.pk]))
    assert (page.status_code, download.status_code) == (page_status, download_status)
    if who == "anonymous":
        assert "/sign-in" in page["Location"] or "login" in page["Location"]
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports + (download_status == 200)


def test_a_failed_build_says_so_clearly(client, background, analyst, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    kind = registry.get_report("caseload")
    monkeypatch.setitem(registry._REPORTS, "caseload", dataclasses.replace(kind, build=broken))
    build = ReportBuild.objects.create(
        partnership=analyst.partnership,
        requested_by=analyst,
        kind="caseload",
        date_from="2023-04-01",
        date_to="2023-12-31",
        format="xlsx",
    )
    with pytest.raises(RuntimeError):
        build_report.call(build.pk)
    monkeypatch.undo()
    build.refresh_from_db()
    assert build.status == BuildStatus.FAILED and build.file_name == ""
    assert build.error.startswith("The report could not be built (RuntimeError: the database went away)")
    page = client.get(reverse("reporting:build", args=[build.pk])).content.decode()
    assert "The Caseload report could not be built" in page and "Try again, or ask for help." in page
    assert client.get(reverse("reporting:build-download", args=[build.pk])).status_code == 404
    # Delivered again, it is not run twice.
    assert build_report.call(build.pk) == BuildStatus.FAILED


# Committed for real: the worker closes connections between tasks, as it does in production.
@pytest.mark.django_db(transaction=True)
def test_the_request_only_queues_the_build_and_the_worker_builds_it(client, background, caseload):
    background.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(user_in(caseload, [Role.ANALYST]))
    response = client.get(reverse("reporting:run"), QUERY | {"fmt": "json"})
    build = ReportBuild.objects.get()
    assert build.status == BuildStatus.QUEUED and build.file_name == ""
    page = client.get(response["Location"]).content.decode()
    assert "Waiting to build the Caseload report" in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{reverse("reporting:build", args=[build.pk])}">Refresh' in page

    call_command("db_worker", "--batch", "--no-startup-delay", "--max-tasks", "1", verbosity=0)

    build.refresh_from_db()
    assert build.status == BuildStatus.DONE
    download = client.get(reverse("reporting:build-download", args=[build.pk]))
    assert b'"report": "caseload"' in download.content
