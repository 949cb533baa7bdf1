"""The 403 page says why access was refused when the view gave a reason, neutrally otherwise."""

from django.template.loader import render_to_string
from django.urls import reverse

from saferhub.accounts.models import Role
from saferhub.reporting.tests.test_report_views import user_in


def test_the_reason_given_by_the_view_is_shown(client, caseload):
    client.force_login(user_in(caseload, [Role.CASEWORKER]))
    response = client.get(reverse("reporting:index"))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Only analysts, board members, team managers and administrators can see reports." in html
    assert "case owner" not in html  # a page limited by role: sharing a case would not help


def test_without_a_reason_the_wording_is_neutral():
    html = render_to_string("403.html", {"exception": ""})
    assert "Your account does not have access to this page." in html
    assert "ask your manager or your partnership administrator" in html
    assert "case owner" not in html


def test_the_reason_is_escaped():
    html = render_to_string("403.html", {"exception": "<b>no</b>"})
    assert "&lt;b&gt;no&lt;/b&gt;" in html
