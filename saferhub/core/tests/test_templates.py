"""The page template and GOV.UK partials render accessible, unbranded HTML.

No database: everything here renders templates from strings with a plain
Context, so it does not depend on models or context processors.
"""

import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path

BANNED = re.compile(r"crown|gds transport", re.IGNORECASE)
CSS = Path(settings.BASE_DIR) / "saferhub" / "static" / "saferhub" / "saferhub.css"


def _sign_out(request):  # pragma: no cover - only reversed, never called
    return HttpResponse()


# A stand-in URLconf so `{% url 'accounts:sign-out' %}` resolves whatever the real one holds.
urlpatterns = [
    path(
        "accounts/",
        include(
            (
                [
                    path("sign-out/", _sign_out, name="sign-out"),
                    path("password/", _sign_out, name="password-change"),
                ],
                "accounts",
            )
        ),
    ),
    # The header's search box and notifications bell.
    path("search/", include("saferhub.search.urls")),
    path("notifications/", include("saferhub.notifications.urls")),
]


class DemoForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on their records.")
    email = forms.EmailField(label="Email address", required=False)
    referred_on = forms.DateField(label="Date referred")
    risk = forms.ChoiceField(
        label="Risk level", choices=[("standard", "Standard"), ("high", "High")], widget=forms.RadioSelect
    )
    needs = forms.MultipleChoiceField(
        label="Support needs",
        choices=[("housing", "Housing"), ("health", "Health")],
        widget=forms.CheckboxSelectMultiple,
    )
    team = forms.ChoiceField(label="Team", choices=[("", "Choose a team"), ("vch", "Victim Care Hub")])
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    consent = forms.BooleanField(label="The person agreed to the referral")
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email", "").endswith("@example.invalid"):
            raise forms.ValidationError("Check the email address with the referrer.")
        return cleaned


PAGE = """{% extends "base_narrow.html" %}
{% block title %}Refer someone{% endblock %}
{% block before_content %}{% include "includes/back_link.html" with url="/cases/" only %}{% endblock %}
{% block content %}
{% include "includes/error_summary.html" with form=form only %}
<h1 class="govuk-heading-l">Refer someone</h1>
<form method="post" novalidate>
{% for field in form %}{% include "includes/field.html" with field=field only %}{% endfor %}
<button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
</form>
{% endblock %}"""


class _Tags(HTMLParser):
    """Counts start tags and collects ids, to check the structure without regexes."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}
        self.ids: set[str] = set()
        self.inline: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if "style" in attributes or tag == "style" or (tag == "script" and "src" not in attributes):
            self.inline.append(tag)


def parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.fixture
def invalid_form():
    form = DemoForm(data={"name": "", "email": "a@example.invalid", "referred_on": "not a date", "team": ""})
    assert not form.is_valid()
    return form


def test_page_with_form_errors(invalid_form):
    html = render(PAGE, form=invalid_form)
    tags = parse(html)

    assert tags.counts.get("h1") == 1
    assert "<title>Error: Refer someone – Saferhub</title>" in html
    assert 'lang="en-GB"' in html
    assert 'id="main-content"' in html and 'href="#main-content"' in html
    assert "govuk-phase-banner" in html and ">Beta<" in html
    assert not tags.inline, "CSP forbids inline scripts and styles"

    # The summary links each error to the input that needs fixing.
    summary = html[html.index("govuk-error-summary") : html.index("<h1")]
    for anchor in ("id_name", "id_referred_on", "id_risk_0", "id_needs_0", "id_team", "id_consent"):
        assert f'href="#{anchor}"' in summary, anchor
        assert anchor in tags.ids, f"summary links to #{anchor}, which is not on the page"
    assert "Check the email address with the referrer." in summary
    assert "This field is required." in summary
    assert "Enter a valid date." in summary

    # Field-level error messages, wired up for screen readers.
    assert html.count("govuk-form-group--error") == 6
    assert '<p id="id_name-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html
    assert "govuk-input--error" in html and "govuk-select--error" in html
    assert 'aria-describedby="id_risk-error"' in html  # on the radios' fieldset
    assert "For example, 27 3 2024" in html
    assert '<input class="govuk-radios__input" id="id_risk_0" name="risk" type="radio"' in html
    assert '<input class="govuk-checkboxes__input" id="id_needs_0" name="needs" type="checkbox"' in html
    assert 'class="govuk-checkboxes__input" aria-describedby="id_consent-error" required aria-invalid="true"' in html
    assert "Email address (optional)" in html
    assert 'type="hidden" name="token"' in html
    assert not BANNED.search(html)


def test_error_summary_renders_nothing_without_errors():
    html = render('{% include "includes/error_summary.html" with form=form only %}', form=DemoForm())
    assert html.strip() == ""
    assert "govuk-form-group--error" not in render(
        '{% include "includes/field.html" with field=form.name only %}', form=DemoForm()
    )


def test_field_as_page_heading():
    html = render(
        '{% include "includes/field.html" with field=form.risk heading=True inline=True only %}', form=DemoForm()
    )
    assert '<h1 class="govuk-fieldset__heading">Risk level</h1>' in html
    assert "govuk-radios--inline" in html


@override_settings(ROOT_URLCONF=__name__)
def test_header_for_signed_in_user_with_navigation_and_messages():
    user = SimpleNamespace(is_authenticated=True, email="casey.worker@council.example")
    html = render(
        '{% extends "base.html" %}{% block content %}<h1 class="govuk-heading-l">Home</h1>{% endblock %}',
        user=user,
        current_partnership=SimpleNamespace(name="Barnet Safer Communities"),
        nav_items=[
            {"label": "Home", "url": "/", "current": False},
            {"label": "Cases", "url": "/cases/", "current": True},
        ],
        messages=[
            Message(message_levels.SUCCESS, "Case VCH-2024-00031 created"),
            Message(message_levels.INFO, "Imports run overnight"),
        ],
        csrf_token="token123",
    )
    assert parse(html).counts.get("h1") == 1
    assert 'action="/accounts/sign-out/"' in html and 'method="post"' in html
    assert "casey.worker@council.example" in html and "Barnet Safer Communities" in html
    assert 'aria-current="true"' in html and ">Cases</strong>" in html
    assert "govuk-notification-banner--success" in html and "Case VCH-2024-00031 created" in html
    assert "Imports run overnight" in html
    assert "Saferhub — open-source software, MIT licence" in html
    assert not BANNED.search(html)


def test_signed_out_header_has_no_account_area():
    html = render('{% extends "base.html" %}{% block content %}<h1>Sign in</h1>{% endblock %}')
    assert "Sign out" not in html
    assert "govuk-service-navigation" not in html


@pytest.mark.parametrize("name", ["400.html", "403.html", "403_csrf.html", "404.html"])
def test_error_pages(name):
    html = render_to_string(name)
    assert parse(html).counts.get("h1") == 1
    assert not BANNED.search(html)


def test_server_error_page_is_standalone():
    source = (Path(settings.BASE_DIR) / "templates" / "500.html").read_text()
    assert "{% extends" not in source
    html = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in html
    assert parse(html).counts.get("h1") == 1


def test_small_partials():
    page_obj = Paginator(list(range(100)), 10).page(5)
    html = render(
        "{% load govuk %}"
        '{% include "includes/pagination.html" with page_obj=page_obj query=q|query_without:"page" only %}'
        '{% include "includes/tag.html" with text="Restricted" colour="restricted" only %}'
        '{% include "includes/breadcrumbs.html" with items=crumbs only %}'
        '{% include "includes/summary_list.html" with rows=rows only %}'
        '{% include "includes/table.html" with head=head rows=table numeric=numeric only %}',
        page_obj=page_obj,
        q=QueryDict("status=open&page=5&q=a+b"),
        crumbs=[("Cases", "/cases/"), ("VCH-2024-00031", "/cases/31/")],
        rows=[{"key": "Name", "value": "Sam", "url": "/edit/"}, {"key": "Phone", "value": ""}],
        head=["Ward", "Cases"],
        table=[["Colindale", 12]],
        numeric=[1],
    )
    assert 'href="?status=open&amp;q=a+b&amp;page=4"' in html
    assert 'aria-current="page">5</a>' in html
    assert "govuk-pagination__item--ellipses" in html
    assert "saferhub-tag--restricted" in html
    assert '<a class="govuk-breadcrumbs__link" href="/cases/31/">VCH-2024-00031</a>' in html
    assert 'Change<span class="govuk-visually-hidden"> name</span>' in html
    assert "Not recorded" in html
    assert "govuk-table__cell--numeric" in html


def test_every_partial_starts_with_a_usage_comment():
    for template in sorted((Path(settings.BASE_DIR) / "templates" / "includes").glob("*.html")):
        text = template.read_text()
        assert text.startswith("{% comment %}"), template.name
        if not template.name.startswith("_"):
            assert '{% include "includes/' + template.name in text.split("{% endcomment %}")[0], template.name


def test_compiled_css_is_unbranded():
    assert CSS.exists(), "The CSS is not built: run `make install` (or `npm run build`) first"
    css = CSS.read_text()
    assert not BANNED.search(css)
    assert "@font-face" not in css
    assert "--govuk-brand-colour: #00534f" in css or "--govuk-brand-colour:#00534f" in css
