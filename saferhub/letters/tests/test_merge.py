"""Safe rendering of letter templates: only the listed merge fields work, anything else is a clear error."""

import pytest

from saferhub.letters import merge
from saferhub.letters.defaults import DEFAULTS
from saferhub.letters.document import blocks
from saferhub.letters.models import LetterKind


def test_listed_fields_are_filled_in():
    text = "Dear {{ recipient.name }}, reference {{ case.reference }}, by {{ deadline }}."
    values = {"recipient.name": "Sam Testperson", "case.reference": "ASB-2026-00001", "deadline": "4 December 2026"}
    assert (
        merge.render(text, LetterKind.CPW, values)
        == "Dear Sam Testperson, reference ASB-2026-00001, by 4 December 2026."
    )


def test_a_field_the_letter_does_not_offer_is_named():
    problems = merge.check("Dear {{ recipient.nme }}", LetterKind.CPW)
    assert problems == [
        "The letter uses {{ recipient.nme }}, which is not a merge field of this letter: use one of the fields listed"
    ]
    # A hub field in an ASB letter is refused too.
    assert "{{ hub.received_on }}" in merge.check("{{ hub.received_on }}", LetterKind.CPW)[0]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("{% load static %}", "{% load %}"),
        ("{% include 'base.html' %}", "{% include %}"),
        ("{% for x in y %}{% endfor %}", "{% for %}"),
        ("{% debug %}", "{% debug %}"),
    ],
)
def test_tags_are_refused(text, named):
    problems = merge.check(text, LetterKind.CPW)
    assert len(problems) == 1 and named in problems[0] and "tags are not allowed" in problems[0]
    with pytest.raises(merge.MergeError):
        merge.render(text, LetterKind.CPW, {})


@pytest.mark.parametrize("text", ["{{ recipient.name|upper }}", "{{ recipient.name.upper }}", "{{ 'literal' }}"])
def test_filters_methods_and_literals_are_refused(text):
    assert merge.check(text, LetterKind.CPW)


def test_values_are_text_and_nothing_is_escaped_or_called():
    # An officer's name with HTML in it comes out as typed; a template cannot reach an object's methods.
    values = {"officer.name": "<b>Al & Co</b>"}
    assert merge.render("{{ officer.name }}", LetterKind.CPW, values) == "<b>Al & Co</b>"


@pytest.mark.parametrize("kind", list(LetterKind))
def test_every_default_template_uses_only_its_fields(kind):
    subject, _, body = DEFAULTS[kind]
    assert merge.check(subject, kind) == [] and merge.check(body, kind) == []


def test_blocks_drop_sections_left_empty():
    text = "Dear A,\n\n## Recommendations\n\n\n\n## Action plan\n\n- Patrol\n- Mediation\n\nYours,\nB"
    assert blocks(text) == [
        ("paragraph", "Dear A,"),
        ("heading", "Action plan"),
        ("bullet", "Patrol"),
        ("bullet", "Mediation"),
        ("paragraph", "Yours,\nB"),
    ]
