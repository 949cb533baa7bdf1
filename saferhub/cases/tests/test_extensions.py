import pytest
from django.urls import reverse

from saferhub.accounts.tests.factories import UserFactory
from saferhub.cases.extensions import _PROVIDERS, register_case_links
from saferhub.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_modules_add_links_to_the_case_page(client):
    case = CaseFactory()
    client.force_login(UserFactory(team=case.owning_team))
    provider = register_case_links(lambda case, user, access: [("Synthetic module record", f"/module/{case.pk}/")])
    try:
        html = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
    finally:
        _PROVIDERS.remove(provider)
    assert f'href="/module/{case.pk}/"' in html and "Synthetic module record" in html
    # The assessments app registers its own link.
    assert reverse("assessments:case-list", kwargs={"reference": case.reference}) in html


def test_panel_cases_link_to_their_panel_summary(client):
    from saferhub.cases.tests.factories import CaseTypeFactory

    case = CaseFactory()
    case.case_type = CaseTypeFactory(partnership=case.partnership, code="marac", name="MARAC", prefix="MAR")
    case.save()
    client.force_login(UserFactory(team=case.owning_team))
    html = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
    assert reverse("panels:summary", kwargs={"reference": case.reference}) in html


@pytest.mark.parametrize(("code", "prefix", "label"), [("asb", "ASB", "ASB record"), ("general", "GEN", None)])
def test_subject_cases_link_to_their_module_record(client, code, prefix, label):
    from saferhub.cases.tests.factories import CaseTypeFactory

    case = CaseFactory()
    case.case_type = CaseTypeFactory(partnership=case.partnership, code=code, name=code, prefix=prefix)
    case.save()
    client.force_login(UserFactory(team=case.owning_team))
    html = client.get(reverse("cases:detail", kwargs={"reference": case.reference})).content.decode()
    assert (label in html) if label else ("ASB record" not in html and "Victim Care Hub record" not in html)
