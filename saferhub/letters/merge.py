"""Merge fields and safe rendering of letter templates.

A template is text with merge fields in double braces, such as ``{{ recipient.name }}``. It is
rendered by Django's template engine with no tags and no filters at all (so nothing in a template
can load a library, include a file, or reach the database), against a context of plain strings
computed beforehand from the case. Each kind of letter lists the fields it offers; a template that
names any other field, or uses a tag or filter, is refused with a message naming it.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, VariableNode

from saferhub.letters.models import LetterKind


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    example: str


_COMMON = (
    Field("recipient.name", "The recipient's name", "Sam Example"),
    Field("recipient.address", "The recipient's address (several lines)", "1 Example Road\nExampletown EX1 1AA"),
    Field("case.reference", "The case reference", "ASB-2026-00012"),
    Field("officer.name", "The officer sending the letter", "Alex Officer"),
    Field("officer.job_title", "The officer's job title", "Community Safety Officer"),
    Field("officer.email", "The officer's e-mail address", "alex.officer@example.org"),
    Field("partnership.name", "The partnership's public name", "Example Community Safety Partnership"),
    Field("partnership.phone", "The partnership's public phone number", "020 7946 0000"),
    Field("partnership.email", "The partnership's public e-mail address", "safer@example.org"),
    Field("today", "The date the letter is issued", "4 December 2026"),
    Field("deadline", "The date given when issuing (to comply, reply, pay or appeal by)", "18 December 2026"),
)
_ASB = (
    Field("case.location", "Where the behaviour happens", "Outside 3 Example Parade"),
    Field("case.category", "The ASB category", "Nuisance"),
    Field(
        "case.behaviour", "The behaviour reported, most recent first (one line each)", "- 2 December 2026: loud music"
    ),
)
_POWER = (
    Field("power.name", "The tool or power", "Community Protection Notice written warning"),
    Field("power.served_on", "The date it was served", "4 December 2026"),
    Field("power.details", "Its conditions or requirements, as recorded", "Stop playing amplified music after 11pm"),
    Field("power.expires_on", "The date it ends", "4 June 2027"),
)
_FPN = (
    Field("fpn.offence", "The offence", "Breach of a Community Protection Notice"),
    Field("fpn.amount", "The penalty", "£100.00"),
    Field("fpn.discount_amount", "The reduced penalty for early payment", "£70.00"),
    Field("fpn.discount_until", "The last day for the reduced penalty", "18 December 2026"),
)
_HUB = (
    Field("hub.received_on", "The date the hub received the referral", "30 November 2026"),
    Field("hub.crime_type", "The crime or incident", "Burglary"),
    Field("hub.contact_by", "The date the hub will make contact by", "2 December 2026"),
)
_REVIEW = (
    Field("review.reference", "The application's reference", "CR-2026-0007"),
    Field("review.applied_on", "The date of the application", "2 November 2026"),
    Field(
        "review.decision", "Whether the threshold was met, and why (a paragraph)", "Your application met the threshold."
    ),
    Field("review.held_on", "The date the review meeting was held", "20 November 2026"),
    Field("review.recommendations", "The recommendations (one line each)", "- Housing to offer mediation"),
    Field("review.action_plan", "The action plan (one line each)", "- Police to patrol weekly"),
    Field("review.outcome", "The outcome summary", "The partners agreed a new action plan."),
    Field(
        "review.consultation",
        "When the victim was consulted on the action plan (a sentence, empty if not)",
        "The victim was consulted on the action plan on 25 November 2026.",
    ),
    Field("contact.name", "The single point of contact's name", "Alex Officer"),
    Field("contact.email", "The single point of contact's e-mail address", "alex.officer@example.org"),
    Field("contact.job_title", "The single point of contact's job title", "ASB Case Review Coordinator"),
)

KIND_FIELDS: dict[str, tuple[Field, ...]] = {
    LetterKind.ASB_WARNING: _COMMON + _ASB + _POWER,
    LetterKind.CPW: _COMMON + _ASB + _POWER,
    LetterKind.CPN: _COMMON + _ASB + _POWER,
    LetterKind.FPN: _COMMON + _ASB + _POWER + _FPN,
    LetterKind.ENGAGEMENT: _COMMON + _ASB,
    LetterKind.HUB_ACKNOWLEDGEMENT: _COMMON + _HUB,
    LetterKind.CASE_REVIEW_OUTCOME: _COMMON + _REVIEW,
}


def fields_for(kind: str) -> tuple[Field, ...]:
    return KIND_FIELDS[kind]


def example_values(kind: str) -> dict[str, str]:
    return {field.name: field.example for field in fields_for(kind)}


class _MergeEngine(Engine):
    # No built-in tags or filters: a template can only print the context's strings.
    default_builtins: list[str] = []


_ENGINE = _MergeEngine(autoescape=False, builtins=[], libraries={}, loaders=[], string_if_invalid="")
_TAG = re.compile(r"\{%\s*(\w*)")


class MergeError(ValueError):
    """A template that cannot be used; the message says what is wrong and how to fix it."""


def _walk(nodes: list[Node]) -> list[Node]:
    found: list[Node] = []
    for node in nodes:
        found.append(node)
        for attr in getattr(node, "child_nodelists", ()):
            found.extend(_walk(getattr(node, attr, None) or []))
    return found


def check(text: str, kind: str, *, what: str = "The letter") -> list[str]:
    """The problems with a template of this kind (empty when it is usable)."""
    allowed = {field.name for field in fields_for(kind)}
    tag = _TAG.search(text)
    if tag:
        name = tag.group(1) or "…"
        return [
            f"{what} uses {{% {name} %}}: tags are not allowed, use only merge fields like {{{{ recipient.name }}}}"
        ]
    try:
        template = _ENGINE.from_string(text)
    except TemplateSyntaxError as exc:
        return [
            f"{what} has a merge field that cannot be read ({_plain(exc)}): write fields as {{{{ case.reference }}}}"
        ]
    problems = []
    for node in _walk(list(template.nodelist)):
        if isinstance(node, TextNode):
            continue
        if not isinstance(node, VariableNode):
            problems.append(f"{what} has something other than text and merge fields: remove it")
            continue
        variable = node.filter_expression.var
        name = getattr(variable, "var", None)
        if node.filter_expression.filters or getattr(variable, "lookups", None) is None or name not in allowed:
            token = node.token.contents if node.token else str(variable)
            problems.append(
                f"{what} uses {{{{ {token} }}}}, which is not a merge field of this letter: "
                "use one of the fields listed"
            )
    return list(dict.fromkeys(problems))


def _plain(exc: Exception) -> str:
    return str(exc).split("\n")[0].rstrip(".")


def render(text: str, kind: str, values: Mapping[str, str]) -> str:
    """The template filled in with `values` (field name → text). Raises MergeError for a bad template."""
    problems = check(text, kind)
    if problems:
        raise MergeError(problems[0])
    nested: dict[str, object] = {}
    for name, value in values.items():
        group, _, key = name.partition(".")
        if key:
            bucket = nested.setdefault(group, {})
            if isinstance(bucket, dict):
                bucket[key] = value
        else:
            nested[name] = value
    return _ENGINE.from_string(text).render(Context(nested, autoescape=False))
