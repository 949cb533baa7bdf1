"""The import pages: who may use them, and the upload running the shared import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferhub.accounts.models import Agency, Role
from saferhub.accounts.tests.factories import UserFactory
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.imports.models import ImportRun

pytestmark = pytest.mark.django_db

GOOD = b"\xef\xbb\xbfexternal_ref,name,kind,parent\nFS,Family Services,council,\nOU,Onwards & Upwards,voluntary,Family Services\n"


def upload(client, content, **data):
    payload = {"kind": "organisations", "file": SimpleUploadedFile("orgs.csv", content, "text/csv")} | data
    return client.post(reverse("imports:upload"), payload)


@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        ([Role.PARTNERSHIP_ADMIN], True),
        ([Role.ANALYST], True),
        ([Role.CASEWORKER], False),
        ([Role.TEAM_MANAGER], False),
        ([Role.BOARD_MEMBER], False),
        ([Role.AUDITOR], False),
    ],
)
@pytest.mark.parametrize("url_name", ["imports:index", "imports:upload"])
def test_only_importers_see_the_pages(client, roles, allowed, url_name):
    client.force_login(UserFactory(roles=roles))
    response = client.get(reverse(url_name))
    assert response.status_code == (200 if allowed else 403)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_caseworker_cannot_post_an_import(client):
    client.force_login(UserFactory(roles=[Role.CASEWORKER]))
    before = Agency.objects.count()
    assert upload(client, GOOD).status_code == 403
    assert Agency.objects.count() == before
    assert ImportRun.objects.count() == 0


def test_upload_imports_into_the_users_partnership(client):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(user)
    before = Agency.objects.filter(partnership=user.partnership).count()
    response = upload(client, GOOD)
    assert response.status_code == 200
    assert "2 created, 0 updated, 0 unchanged" in response.content.decode()
    assert Agency.objects.filter(partnership=user.partnership).count() == before + 2
    run = ImportRun.objects.get()
    assert (run.user, run.partnership, run.filename) == (user, user.partnership, "orgs.csv")
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, user=user).count() == 1


def test_dry_run_checkbox_writes_nothing(client):
    user = UserFactory(roles=[Role.ANALYST])
    client.force_login(user)
    before = Agency.objects.count()
    response = upload(client, GOOD, dry_run="on")
    assert "2 created, 0 updated, 0 unchanged" in response.content.decode()
    assert "nothing has been written" in response.content.decode()
    assert Agency.objects.count() == before


def test_errors_are_listed_by_line_and_column(client):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN]))
    before = Agency.objects.count()
    content = b"external_ref,name,kind\nA,Alpha,council\nB,Beta,spaceship\n"
    response = upload(client, content)
    html = response.content.decode()
    assert "line 3, column kind: &#x27;spaceship&#x27; is not one of" in html
    assert html.count("<h1") == 1
    assert Agency.objects.count() == before


def test_form_errors_when_nothing_chosen(client):
    client.force_login(UserFactory(roles=[Role.PARTNERSHIP_ADMIN]))
    response = client.post(reverse("imports:upload"), {})
    html = response.content.decode()
    assert "Choose what the file holds" in html
    assert "Choose a CSV file to import" in html
    assert ImportRun.objects.count() == 0


def test_index_lists_kinds_and_recent_runs_in_bounded_queries(client, django_assert_max_num_queries):
    user = UserFactory(roles=[Role.PARTNERSHIP_ADMIN])
    client.force_login(user)
    for _ in range(3):
        upload(client, GOOD)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("imports:index"))
    html = response.content.decode()
    assert "Organisations" in html
    assert html.count("orgs.csv") == 3
