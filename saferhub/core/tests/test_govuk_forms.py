"""Issue 13: GOV.UK date inputs, messages naming their field, UK dates, labels for codes, each error once."""

import datetime
import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

import saferhub
from saferhub.core import dates
from saferhub.core.forms import GovukFormMixin, SensibleDateField, SensibleDateTimeField
from saferhub.core.labels import label_for_code
from saferhub.core.templatetags.govuk import error_list
from saferhub.reporting.periods import Period


class ReferralForm(GovukFormMixin, forms.Form):
    referred_on = SensibleDateField(label="Date of referral", past=True)
    served_at = SensibleDateTimeField(label="Time served", required=False)
    email = forms.EmailField(label="Email address")
    children = forms.IntegerField(label="Number of children", max_value=20)
    risk = forms.ChoiceField(label="Risk level", choices=[("", "---------"), ("high", "High")])
    safe = forms.ChoiceField(label="Is it safe to leave a message?", choices=[("yes", "Yes")], widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields a form adds after the mixin's __init__ get its messages too.
        self.fields["team"] = forms.CharField(label="Team name")


def _errors(data):
    form = ReferralForm(data)
    assert not form.is_valid()
    return {name: list(errors) for name, errors in form.errors.items()}


def _date(day="", month="", year=""):
    return {"referred_on-day": day, "referred_on-month": month, "referred_on-year": year}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (_date(), "Enter the date of referral"),
        (_date("3", "", "2024"), "Date of referral must include a month"),
        (_date("", "", "2024"), "Date of referral must include a day and month"),
        (_date("31", "2", "2024"), "Date of referral must be a real date"),
        (_date("x", "2", "2024"), "Date of referral must be a real date"),
        (_date("27", "3", "24"), "The year in the date of referral must include 4 numbers"),
        (_date("1", "1", "2099"), "Date of referral must be in the past"),
        (_date("1", "1", "1800"), "Enter date of referral between 1 January 1900 and 31 December 2100"),
    ],
)
def test_the_date_input_says_what_is_wrong_the_govuk_way(typed, message):
    assert _errors(typed)["referred_on"] == [message]


def test_a_date_is_typed_in_three_boxes_and_an_iso_date_is_still_read():
    good = {"email": "a@example.org", "children": "2", "risk": "high", "safe": "yes", "team": "Hub"}
    form = ReferralForm({**good, **_date("27", "3", "2024")})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["referred_on"] == datetime.date(2024, 3, 27)
    form = ReferralForm({**good, "referred_on": "2024-03-27", "served_at": "2024-03-27 14:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["served_at"].hour == 14


@pytest.mark.parametrize(
    ("time", "message"),
    [
        ("", "Time served must include a time"),
        ("25:00", "Enter the time of time served in the 24-hour clock, like 14:30"),
    ],
)
def test_a_date_and_time_needs_a_real_time(time, message):
    typed = {"served_at-day": "1", "served_at-month": "2", "served_at-year": "2024", "served_at-time": time}
    assert _errors(typed)["served_at"] == [message]


def test_messages_name_the_field_and_say_what_to_do():
    assert _errors({}) == {
        "referred_on": ["Enter the date of referral"],
        "email": ["Enter the email address"],
        "children": ["Enter the number of children"],
        "risk": ["Select the risk level"],
        "safe": ["Select an answer to “Is it safe to leave a message?”"],
        "team": ["Enter the team name"],
    }
    errors = _errors({"email": "nope", "children": "two", "risk": "extreme"})
    assert errors["email"] == ["Enter the email address in the correct format, like name@example.com"]
    assert errors["children"] == ["Number of children must be a whole number, like 12"]
    assert errors["risk"] == ["Select one of the options listed for the risk level"]
    assert _errors({"children": "21"})["children"] == ["Number of children must be 20 or less"]


def test_no_placeholder_dashes_and_a_form_keeps_its_own_messages():
    class OwnForm(GovukFormMixin, forms.Form):
        name = forms.CharField(label="Name", error_messages={"required": "Tell us your name"})

    assert ReferralForm().fields["risk"].choices[0] == ("", "Select the risk level")
    assert OwnForm({}).errors["name"] == ["Tell us your name"]


def test_the_date_input_renders_three_labelled_boxes_with_an_example():
    form = ReferralForm(initial={"referred_on": datetime.date(2024, 3, 7)})
    html = Template('{% include "includes/field.html" with field=form.referred_on only %}').render(
        Context({"form": form})
    )
    assert "For example, 27 3 2024" in html and "2024-03" not in html
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">' in html
    for part, value in (("day", "7"), ("month", "3"), ("year", "2024")):
        assert f'name="referred_on-{part}"' in html
        assert f'value="{value}"' in html
    assert 'id="id_referred_on"' in html  # the error summary's link lands on the day box


def test_the_error_summary_links_a_date_to_the_box_to_fix():
    form = ReferralForm(_date("3", "", "2024"))
    assert not form.is_valid()
    assert ("#id_referred_on-month", "Date of referral must include a month") in error_list(form)


def test_the_error_summary_lists_each_error_once():
    class Twice(GovukFormMixin, forms.Form):
        name = forms.CharField(label="Name")

        def clean(self):
            self.add_error(None, "Enter the name")
            self.add_error("name", "Enter the name")
            return self.cleaned_data

    form = Twice({})
    assert not form.is_valid()
    assert error_list(form) == [("#id_name", "Enter the name")]


def _forms_of_saferhub():
    for module in pkgutil.walk_packages(saferhub.__path__, "saferhub."):
        if ".tests" in module.name or ".migrations" in module.name or module.name.endswith(("wsgi", "asgi")):
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__.startswith("saferhub."):
                yield cls


def test_every_form_uses_the_govuk_mixin():
    missing = sorted(
        {f"{cls.__module__}.{cls.__name__}" for cls in _forms_of_saferhub() if not issubclass(cls, GovukFormMixin)}
    )
    # VersionedFormMixin is a base, always combined with the mixin by the forms using it.
    assert missing == ["saferhub.core.versioning.VersionedFormMixin"], (
        "Add GovukFormMixin (saferhub.core.forms) first in these forms' bases: " + ", ".join(missing)
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (dates.uk_date(datetime.date(2026, 12, 4)), "4 December 2026"),
        (dates.uk_weekday(datetime.date(2026, 12, 4)), "Friday 4 December"),
        (dates.uk_month("2026-04"), "April 2026"),
        (dates.uk_range(datetime.date(2025, 8, 1), datetime.date(2026, 3, 31)), "1 August 2025 to 31 March 2026"),
        (dates.uk_period(Period("2026/27 Q1", datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))), "2026/27 Q1"),
        (
            dates.uk_period(Period("2026-04", datetime.date(2026, 4, 1), datetime.date(2026, 4, 30))),
            "1 April 2026 to 30 April 2026",
        ),
        (dates.for_people("2026-04"), "April 2026"),
        (dates.for_people("2026-04-09"), "9 April 2026"),
        (dates.for_people("VCH-2024-00031"), "VCH-2024-00031"),
        (label_for_code("ex_partner"), "Ex partner"),
        (label_for_code("visible_high_risk"), "Visible high risk"),
    ],
)
def test_dates_and_codes_as_people_read_them(value, shown):
    assert value == shown


def test_the_template_filters():
    html = Template("{% load govuk %}{{ d|uk_date }} · {{ d|uk_weekday }} · {{ m|uk_month }}").render(
        Context({"d": datetime.date(2026, 12, 4), "m": "2026-04"})
    )
    assert html == "4 December 2026 · Friday 4 December · April 2026"


@pytest.mark.django_db
def test_stay_signed_in_extends_the_session(client):
    from saferhub.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    url = reverse("core:keep-alive")
    assert client.get(url).status_code == 405
    answer = client.post(url)
    assert answer.status_code == 200 and answer.json() == {"signed_in": True, "seconds": 30 * 60}
    client.logout()
    assert client.post(url).status_code == 302  # signed out: sent to sign in, as every page
