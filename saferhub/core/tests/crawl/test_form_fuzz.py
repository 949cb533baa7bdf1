"""Property-based fuzz of every form: whatever is posted, no page answers 500.

For each URL pattern, the first user of the demo partnership who may open the page (and gets a
form) posts values drawn for each field's type: valid choices and ids, and also huge and negative
numbers, extreme and impossible dates, NUL bytes, long and non-Latin text, unknown ids, blanks.

Reproducible in CI: examples are derandomised. For a deeper local run, change the seed and the
number of examples: SAFERHUB_FUZZ_SEED=7 SAFERHUB_FUZZ_EXAMPLES=200 pytest saferhub/core/tests/crawl/test_form_fuzz.py
"""

import datetime
import os
from typing import Any

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from saferhub.core.tests.crawl.world import FILL, url_patterns

pytestmark = pytest.mark.django_db

SEED = os.environ.get("SAFERHUB_FUZZ_SEED")
EXAMPLES = int(os.environ.get("SAFERHUB_FUZZ_EXAMPLES", "15"))

NOT_FUZZED = {
    "accounts:sign-out": "ends the session the fuzz runs in",
    "accounts:password-reset-confirm": "needs a signed token from an e-mail",
    "crime:download": "a download by file format, no form",
    "api:docs": "the API's documentation page (drf-spectacular's template), no form",
    "api:redoc": "the API's documentation page (drf-spectacular's template), no form",
    "notifications:count": "the header bell's unread count, an htmx fragment with no form",
}
# Patterns whose parameters are not objects: what to put in them.
PLAIN_KWARGS = {
    "accounts:admin-reference-list": lambda w: {"code_list": w.everything.code.code_list},
    "accounts:admin-reference-create": lambda w: {"code_list": w.everything.code.code_list},
    **{
        f"panels:{name}": (lambda w: {"code": "da_marac"})
        for name in ("type", "type-settings", "refer", "referral-create", "meeting-create", "submit", "submit-details")
    },
    "setup:panel-type-edit": lambda w: {"code": "da_marac"},
    "setup:duty": lambda w: {"code": "victim_hub"},
    "letters:template-edit": lambda w: {"kind": "cpw"},
    "letters:public-logo": lambda w: {"slug": w.demo.slug},
    "api-pages:sso-sign-in-partnership": lambda w: {"partnership": w.demo.slug},
    "api:return": lambda w: {"slug": "victim-hub"},
    **{
        f"asb:{name}": (lambda w: {"slug": w.demo.slug})
        for name in ("public-apply", "public-apply-done", "public-status")
    },
}

# Hostile values any field may get.
NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x00b", "' OR 1=1 --", "<script>alert(1)</script>", "%s%n", "𝕳𝖊𝖑𝖑𝖔", "ﷺ", "\u202e"]),
    st.builds(lambda char, n: char * n, st.sampled_from(["a", "é", "😀", "\x00", " "]), st.integers(200, 20_000)),
)
NASTY_INT = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 32_767, 32_768, 2**31, 2**63 - 1, 2**63, 10**20, 9 * 10**18, 3_000_000]),
)
DATES = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(
        ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01", "2024-02-30", "31/12/9999", "1/1/1", "2024-13-01"]
    ),
)


def _choices(field: Any) -> list[str]:
    if isinstance(field, forms.ModelChoiceField):
        return [str(pk) for pk in field.queryset.values_list("pk", flat=True)[:20]]  # type: ignore[union-attr]
    if isinstance(field, forms.ChoiceField):
        values: list[str] = []
        choices: Any = field.choices
        for value, label in choices:
            if isinstance(label, list | tuple):  # option groups
                values += [str(inner) for inner, _ in label]
            else:
                values.append(str(value))
        return values
    return []


def _strategy(field: forms.Field) -> st.SearchStrategy[Any]:
    """Values for one field: mostly of its own kind (so valid paths are reached too), sometimes hostile."""
    choices = _choices(field)
    own: st.SearchStrategy[Any]
    if isinstance(field, forms.FileField):
        own = st.builds(
            lambda content: SimpleUploadedFile("upload.csv", content, content_type="text/csv"),
            st.one_of(st.binary(max_size=200), st.sampled_from([b"a,b\n1,2\n", b"\xff\xfe\x00", b""])),
        )
        return own
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        element = st.one_of(st.sampled_from(choices), NASTY_INT.map(str)) if choices else NASTY_INT.map(str)
        return st.lists(element, max_size=4)
    if choices:
        own = st.sampled_from(choices)
    elif isinstance(field, forms.BooleanField):
        own = st.sampled_from(["on", "", "false", "1"])
    elif isinstance(field, forms.IntegerField):
        own = NASTY_INT.map(str)
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        own = st.one_of(
            st.decimals(allow_nan=True, allow_infinity=True).map(str),
            st.sampled_from(["1e400", "-0", "NaN", "0.001", "99999999999999999999.99"]),
        )
    elif isinstance(field, forms.DateField):
        own = DATES
    elif isinstance(field, forms.DateTimeField):
        own = DATES.map(lambda day: f"{day} 25:61")
    else:
        own = NASTY_TEXT
    return st.one_of(own, own, NASTY_TEXT, NASTY_INT.map(str), st.just(""))


# Explicit examples tried first on every form: a baseline the form can accept (optional fields
# blank, required ones a plausible value) with one typed field at a time at an extreme, so the
# extreme value gets past validation to the code behind the form if the form lets it.
EXTREME = {
    "int": [str(2**63), "-1", "32768"],
    "decimal": ["99999999999999999999.99", "1e400"],
    "date": ["9999-12-31", "0001-01-01"],
    "text": ["a\x00b", "é" * 5000],
}


def _kind(field: Any) -> str:
    if isinstance(field, forms.FileField):
        return "file"
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return "multiple"
    if _choices(field):
        return "choice"
    if isinstance(field, forms.BooleanField):
        return "bool"
    if isinstance(field, forms.IntegerField):
        return "int"
    if isinstance(field, forms.DecimalField | forms.FloatField):
        return "decimal"
    if isinstance(field, forms.DateField | forms.DateTimeField):
        return "date"
    return "text"


def _baseline(field: Any) -> Any:
    kind = _kind(field)
    if kind == "file":
        return SimpleUploadedFile("upload.csv", b"a,b\n1,2\n", content_type="text/csv")
    if not field.required:
        return [] if kind == "multiple" else ""
    plain = {"bool": "on", "int": "1", "decimal": "1.00", "date": datetime.date.today().isoformat(), "text": "Fuzz"}
    if kind in ("choice", "multiple"):
        first = next((c for c in _choices(field) if c), "")
        return [first] if kind == "multiple" else first
    return plain[kind]


def _examples(form: forms.BaseForm) -> list[dict[str, Any]]:
    names = {key: form.add_prefix(key) for key in form.fields}
    baseline = {names[key]: _baseline(field) for key, field in form.fields.items()}
    found = []
    for key, field in form.fields.items():
        kind = _kind(field)
        values: list[Any] = list(EXTREME.get(kind, []))
        if kind == "multiple":
            values = [[*baseline[names[key]], str(2**64)]]
        found += [baseline | {names[key]: value} for value in values if kind != "text"]
    texts = [key for key, field in form.fields.items() if _kind(field) == "text"]
    found += [baseline | {names[key]: value for key in texts} for value in EXTREME["text"]] if texts else []
    return found


def _form(response: Any) -> forms.BaseForm | None:
    context = response.context
    if context is None:
        return None
    found = context.get("form")
    if isinstance(found, forms.BaseForm) and found.fields:
        return found
    for layer in context:
        for value in layer.flatten().values():
            if isinstance(value, forms.BaseForm) and value.fields:
                return value
    return None


def _page(world: Any, name: str) -> tuple[str, Client, forms.BaseForm, bool] | None:
    """The URL, a client of the first user who may open the page, the form it shows, and whether
    the page submits it by GET (search and filter forms) rather than POST."""
    fill = PLAIN_KWARGS.get(name) or (lambda w: FILL[name](w.everything) if name in FILL else {})
    try:
        url = reverse(name, kwargs=fill(world))
    except AttributeError:
        return None
    # One user of each role first, then everyone else; the first user who may open the page decides.
    others = [user for user in world.demo_users if user not in world.authorised]
    for user in [*world.authorised, *others, None]:
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            continue
        form = _form(response)
        if form is None:
            return None
        return url, client, form, b'method="get"' in response.content.lower()
    return None


def _names() -> list[str]:
    return sorted({name for name, _ in url_patterns()} - set(NOT_FUZZED))


@pytest.mark.parametrize("name", _names())
def test_no_form_answers_500(world, name):
    page = _page(world, name)
    if page is None:
        pytest.skip("no form on this page for any user of the demo partnership")
    url, client, form, by_get = page
    send = client.get if by_get else client.post
    fields = st.fixed_dictionaries({form.add_prefix(key): _strategy(field) for key, field in form.fields.items()})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=fields)
    def post(data: dict[str, Any]) -> None:
        response = send(url, data)
        assert response.status_code < 500, f"{'GET' if by_get else 'POST'} {url} answered {response.status_code}"

    for data in _examples(form):
        post = example(data=data)(post)
    if SEED is not None:
        post = seed(int(SEED))(post)
    post()
