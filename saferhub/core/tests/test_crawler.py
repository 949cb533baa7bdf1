"""The crawler: every URL pattern, as every role of two partnerships, for objects the user must not see.

World (built once for the module, rolled back after):
- Partnership A is the demo partnership (`load_demo`): every role, objects of every kind, one
  restricted case named to two users. The fixture adds what the demo lacks (an assessment, a
  break-glass grant, a person involved in a serious incident, a Case Review item, an action on
  the restricted case).
- Partnership B ("Outerfield") has two agencies and one user of every role, and must see nothing of A.

Targets, and who must not see them:
- every kind of object of A, for every user of B;
- A's restricted case (and what hangs off it), for every user of A not named on it;
- a police case of A, never shared, for a user of every role outside the police.

THE RULE. For such a user, a URL naming the object answers exactly as the same URL naming an
object that does not exist: 404, or 403 / 405 / a redirect when the page is refused by role or
method BEFORE any lookup (so the answer does not depend on the object, and reveals nothing).
The response never contains the object's identifying text (partnership, names, references,
titles), and the request writes nothing about the object to the audit trail but a refusal.
Listings (every URL without parameters) never show it either.

Every URL pattern with parameters must be in FILL (how to name an object of each kind in it) or
in NOT_OBJECT_SCOPED (why no object can be named): a new pattern fails this test until registered.
"""

import datetime
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from saferhub.accounts.models import AgencyKind, Partnership, Role, User
from saferhub.accounts.partnerships import setup_partnership
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.models import Assessment, AssessmentTemplate
from saferhub.assessments.tests.world import lowest_answers
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.cases import actions as case_actions
from saferhub.cases.models import Action, BreakGlassGrant, Case, CaseLocation, CaseShare, Referral, RestrictedAccess
from saferhub.core.demo import DEMO_SLUG
from saferhub.core.models import ReferenceCode
from saferhub.directory.models import Service
from saferhub.people.models import Person
from saferhub.victims.models import CarePlanItem, HubReferral, OnwardReferral

pytestmark = pytest.mark.django_db

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MISSING_ID = 987_654_321
MISSING_REFERENCE = "ZZZ-2099-99999"
REFUSALS = {302, 403, 404, 405}


# Every URL pattern with parameters: how to fill them from a target (a namespace of objects;
# a missing attribute means the target has no object of that kind and the URL is not tried).
def _case(t: Any) -> dict[str, Any]:
    return {"reference": t.case.reference}


FILL: dict[str, Callable[[Any], dict[str, Any]]] = {
    # Administration: users, teams, agencies and reference codes of the partnership.
    "accounts:admin-user-edit": lambda t: {"pk": t.user.pk},
    "accounts:admin-user-deactivate": lambda t: {"pk": t.user.pk},
    "accounts:admin-user-reactivate": lambda t: {"pk": t.user.pk},
    "accounts:admin-user-reset-two-factor": lambda t: {"pk": t.user.pk},
    "accounts:admin-user-send-setup": lambda t: {"pk": t.user.pk},
    "accounts:admin-team-edit": lambda t: {"pk": t.team.pk},
    "accounts:admin-team-archive": lambda t: {"pk": t.team.pk},
    "accounts:admin-agency-edit": lambda t: {"pk": t.agency.pk},
    "accounts:admin-reference-edit": lambda t: {"code_list": t.code.code_list, "pk": t.code.pk},
    "accounts:admin-reference-disable": lambda t: {"code_list": t.code.code_list, "pk": t.code.pk},
    "accounts:admin-reference-enable": lambda t: {"code_list": t.code.code_list, "pk": t.code.pk},
    # Set-up: case types of the partnership.
    "setup:case-type-edit": lambda t: {"pk": t.case_type.pk},
    "setup:case-type-disable": lambda t: {"pk": t.case_type.pk},
    "setup:case-type-enable": lambda t: {"pk": t.case_type.pk},
    # Cases and what hangs off them.
    "cases:detail": _case,
    "cases:edit": _case,
    "cases:close": _case,
    "cases:reopen": _case,
    "cases:hold": _case,
    "cases:resume": _case,
    "cases:add-note": _case,
    "cases:add-action": _case,
    "cases:add-participant": _case,
    "cases:add-new-participant": _case,
    "cases:share": _case,
    "cases:link": _case,
    "cases:restricted-access": _case,
    "cases:break-glass": _case,
    "cases:add-location": _case,
    "cases:action-done": lambda t: {"reference": t.action.case.reference, "pk": t.action.pk},
    "cases:action-cancel": lambda t: {"reference": t.action.case.reference, "pk": t.action.pk},
    "cases:revoke-share": lambda t: {"reference": t.share.case.reference, "pk": t.share.pk},
    "cases:restricted-access-remove": lambda t: {"reference": t.named.case.reference, "user_pk": t.named.user_id},
    "cases:remove-location": lambda t: {"reference": t.location.case.reference, "pk": t.location.pk},
    "cases:referral-detail": lambda t: {"pk": t.referral.pk},
    "cases:referral-accept": lambda t: {"pk": t.referral.pk},
    "cases:referral-decline": lambda t: {"pk": t.referral.pk},
    "cases:referral-redirect": lambda t: {"pk": t.referral.pk},
    # People.
    "people:detail": lambda t: {"pk": t.person.pk},
    "people:edit": lambda t: {"pk": t.person.pk},
    "people:add-alias": lambda t: {"pk": t.person.pk},
    "people:add-contact": lambda t: {"pk": t.person.pk},
    "people:add-identifier": lambda t: {"pk": t.person.pk},
    # Audit: a break-glass grant under review.
    "audit:break-glass-review": lambda t: {"pk": t.grant.pk},
    # Assessments.
    "assessments:case-list": _case,
    "assessments:start": lambda t: {"reference": t.case.reference, "template_code": t.template_code},
    "assessments:detail": lambda t: {"pk": t.assessment.pk},
    # Directory of services.
    "directory:detail": lambda t: {"pk": t.service.pk},
    "directory:edit": lambda t: {"pk": t.service.pk},
    "directory:archive": lambda t: {"pk": t.service.pk},
    # Victim Care Hub referrals.
    **{
        f"victims:{name}": (lambda t: {"pk": t.hub.pk})
        for name in (
            "referral",
            "edit-details",
            "accept",
            "contact-attempt",
            "start-scores",
            "care-plan-add",
            "support-add",
            "safety-item-add",
            "onward-add",
            "rj-referral",
            "right-record",
            "rj-informed",
            "close",
        )
    },
    "victims:care-plan-update": lambda t: {"pk": t.care_item.hub_referral_id, "item_pk": t.care_item.pk},
    "victims:onward-outcome": lambda t: {"pk": t.onward.hub_referral_id, "onward_pk": t.onward.pk},
    # Panels.
    "panels:complete-action": lambda t: {"pk": t.panel_action.pk},
    "panels:referral": lambda t: {"pk": t.panel_referral.pk},
    "panels:accept-referral": lambda t: {"pk": t.panel_referral.pk},
    "panels:return-referral": lambda t: {"pk": t.panel_referral.pk},
    "panels:edit-referral": lambda t: {"pk": t.panel_referral.pk},
    "panels:add-incident-person": lambda t: {"pk": t.panel_referral.pk},
    "panels:remove-incident-person": lambda t: {"pk": t.incident_person.referral_id, "row": t.incident_person.pk},
    **{
        f"panels:{name}": (lambda t: {"pk": t.meeting.pk})
        for name in (
            "meeting",
            "build-agenda",
            "mark-held",
            "cancel-meeting",
            "add-agency",
            "attendance",
            "agenda-docx",
            "minutes-docx",
        )
    },
    **{
        f"panels:{name}": (lambda t: {"pk": t.hearing.pk})
        for name in (
            "hearing",
            "add-information",
            "add-action",
            "outcome",
            "remove-hearing",
            "move-hearing-up",
            "move-hearing-down",
        )
    },
    "panels:summary": lambda t: {"reference": t.panel_case.reference},
    # ASB cases, tools and powers, PSPOs and Case Reviews.
    "asb:case": lambda t: {"reference": t.asb_case.reference},
    "asb:case-details": lambda t: {"reference": t.asb_case.reference},
    "asb:report-add": lambda t: {"reference": t.asb_case.reference},
    "asb:intervention-add": lambda t: {"reference": t.asb_case.reference},
    "asb:victim-contact": lambda t: {"reference": t.asb_case.reference, "pk": t.asb_victim},
    "asb:report-explained": lambda t: {"reference": t.asb_report.case.reference, "pk": t.asb_report.pk},
    **{
        f"asb:{name}": (lambda t: {"reference": t.intervention.case.reference, "pk": t.intervention.pk})
        for name in ("intervention-status", "fpn-payment", "fpn-escalate")
    },
    "asb:pspo": lambda t: {"pk": t.pspo.pk},
    "asb:pspo-renew": lambda t: {"pk": t.pspo.pk},
    "asb:pspo-breach": lambda t: {"pk": t.pspo.pk},
    **{
        f"asb:{name}": (lambda t: {"reference": t.review.reference})
        for name in (
            "review",
            "review-acknowledge",
            "review-link",
            "review-decide",
            "review-meeting",
            "review-recommendation-add",
            "review-plan-add",
            "review-consultation",
            "review-outcome",
            "review-letter",
            "review-appeal",
            "review-appeal-decide",
            "review-close",
        )
    },
    "asb:review-item-status": lambda t: {"reference": t.review_item.review.reference, "pk": t.review_item.pk},
    # Reports built in the background.
    "reporting:build": lambda t: {"pk": t.report_build.pk},
    "reporting:build-download": lambda t: {"pk": t.report_build.pk},
}

# Patterns whose parameters name no object of a partnership, and why.
NOT_OBJECT_SCOPED = {
    "accounts:password-reset-confirm": "a signed token from an e-mail, not an object id",
    "accounts:admin-reference-list": "a code list's name, the same in every partnership",
    "accounts:admin-reference-create": "a code list's name, the same in every partnership",
    "panels:type": "a panel type code, looked up in the user's own partnership",
    "setup:panel-type-edit": "a panel type code, looked up in the user's own partnership",
    "setup:duty": "a duty code (victim_hub, panel:<code> …), looked up in the user's own partnership",
    "panels:type-settings": "a panel type code, looked up in the user's own partnership",
    "panels:refer": "a panel type code, looked up in the user's own partnership",
    "panels:referral-create": "a panel type code, looked up in the user's own partnership",
    "panels:meeting-create": "a panel type code, looked up in the user's own partnership",
    "panels:submit": "a panel type code, looked up in the user's own partnership",
    "panels:submit-details": "a panel type code, looked up in the user's own partnership",
    "asb:public-apply": "the public Case Review form of a partnership: public by design",
    "asb:public-apply-done": "the public Case Review form of a partnership: public by design",
    "asb:public-status": "the public Case Review status page: public by design",
    "crime:download": "a file format (json, html, xlsx, docx); the figures are the user's own partnership's",
}

# Pages that name an object a user may not see on purpose, within its partnership, and why.
DESIGNED_WAY_IN = {
    "cases:break-glass": "emergency access: any caseworker of the partnership may ask for an unrestricted case, "
    "giving a reason; the grant is flagged for review",
}

# Listings not crawled: signing out would end the crawler's session.
NOT_CRAWLED = {"accounts:sign-out"}
# The audit trail names every object touched, restricted or not: that is what the auditor is for.
AUDIT_TRAIL = {"audit:events", "audit:export", "audit:break-glass"}


def _patterns(resolver: Any = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(namespaced name, pattern) for every URL pattern, recursively."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            found += _patterns(entry, inner)
        elif entry.name:
            found.append((f"{namespace}:{entry.name}".strip(":"), entry))
    return found


# The world ------------------------------------------------------------------------------------


def _load_demo() -> Partnership:
    with override_settings(SAFERHUB_DEMO=True, PASSWORD_HASHERS=FAST_HASHER):
        call_command("load_demo", stdout=StringIO())
    return Partnership.objects.get(slug=DEMO_SLUG)


def _outsiders() -> tuple[Partnership, list[User]]:
    """Partnership B: two agencies, one user of every role, nothing of A."""
    outer = PartnershipFactory.create(slug="outerfield", name="Outerfield Community Safety Partnership")
    setup_partnership(outer)
    council = AgencyFactory.create(partnership=outer, name="Outerfield Council", kind=AgencyKind.COUNCIL)
    police = AgencyFactory.create(partnership=outer, name="Outerfield Constabulary", kind=AgencyKind.POLICE)
    teams = [TeamFactory.create(agency=council, name="Outerfield Hub"), TeamFactory.create(agency=police)]
    users = [
        UserFactory.create(team=teams[i % 2], full_name=f"Outer {role.label}", roles=[role])
        for i, role in enumerate(Role)
    ]
    users.append(UserFactory.create(team=teams[1], full_name="Outer Police Caseworker", roles=[Role.CASEWORKER]))
    return outer, users


def _one_per_role(users: Any) -> list[User]:
    chosen: dict[str, User] = {}
    for user in users.order_by("pk"):
        for role in user.roles:
            chosen.setdefault(role, user)
    return list({u.pk: u for u in chosen.values()}.values())


def _build() -> SimpleNamespace:
    demo = _load_demo()
    outer, outsiders = _outsiders()
    in_demo = {"partnership": demo}
    manager = User.objects.get(email__startswith="manager@")
    restricted = Case.objects.get(partnership=demo, restricted=True)
    case_actions.add_action(
        manager, restricted, title="Move the staff member's desk", owner=manager, due_on=timezone.localdate()
    )
    case = CaseShare.objects.filter(case__partnership=demo, case__restricted=False).first().case
    template = AssessmentTemplate.objects.filter(partnership=demo).first() or AssessmentTemplate.objects.first()
    owner = case.owning_team.members.first() if hasattr(case.owning_team, "members") else manager
    assessment = Assessment.objects.filter(case__partnership=demo).first() or record_assessment(
        owner or manager, case, template, lowest_answers(template), update_case_risk=False
    )
    grant = BreakGlassGrant.objects.create(
        case=case,
        user=manager,
        reason="Out of hours call about an immediate risk",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    from saferhub.asb import actions as asb_actions
    from saferhub.asb.models import AsbCase, CaseReview, Intervention, Pspo, Report, ReviewItem, ReviewItemKind
    from saferhub.panels.models import Hearing, HearingAction, IncidentPerson, Meeting, PanelCase, PanelReferral

    panel_referral = PanelReferral.objects.filter(partnership=demo, person__isnull=False).first()
    incident_person = IncidentPerson.objects.create(
        referral=panel_referral, person=panel_referral.person, role="victim"
    )
    review = CaseReview.objects.filter(partnership=demo).first()
    review_item = ReviewItem.objects.create(
        review=review,
        kind=ReviewItemKind.RECOMMENDATION,
        text="Install a noise monitor",
        owner=manager,
        due_on=timezone.localdate(),
    )
    asb = AsbCase.objects.filter(case__partnership=demo).select_related("case").first()
    victim = asb_actions.victims(asb.case).first()
    hub = HubReferral.objects.filter(partnership=demo).first()
    from saferhub.reporting.models import ReportBuild

    report_build = ReportBuild.objects.create(
        partnership=demo,
        requested_by=manager,
        kind="caseload",
        date_from=datetime.date(2026, 4, 1),
        date_to=datetime.date(2026, 6, 30),
        format="json",
    )
    everything = SimpleNamespace(
        label="an object of partnership A",
        same_partnership=False,
        user=User.objects.filter(partnership=demo).first(),
        team=case.owning_team,
        agency=case.owning_team.agency,
        code=ReferenceCode.objects.filter(**in_demo).first(),
        case_type=case.case_type,
        case=case,
        action=Action.objects.filter(case__partnership=demo, case__restricted=False).first(),
        share=CaseShare.objects.filter(case__partnership=demo).first(),
        named=RestrictedAccess.objects.filter(case=restricted).first(),
        location=CaseLocation.objects.filter(case__partnership=demo).first(),
        referral=Referral.objects.filter(**in_demo).first(),
        person=Person.objects.filter(**in_demo).first(),
        grant=grant,
        assessment=assessment,
        template_code=template.code,
        service=Service.objects.filter(**in_demo).first(),
        hub=hub,
        care_item=CarePlanItem.objects.filter(hub_referral__partnership=demo).first(),
        onward=OnwardReferral.objects.filter(hub_referral__partnership=demo).first(),
        panel_action=HearingAction.objects.filter(hearing__meeting__partnership=demo).first(),
        panel_referral=panel_referral,
        incident_person=incident_person,
        meeting=Meeting.objects.filter(**in_demo).first(),
        hearing=Hearing.objects.filter(meeting__partnership=demo).first(),
        panel_case=PanelCase.objects.filter(partnership=demo).first().case,
        asb_case=asb.case,
        asb_victim=victim.pk if victim is not None else MISSING_ID,
        asb_report=Report.objects.filter(case__partnership=demo).first(),
        intervention=Intervention.objects.filter(**in_demo, case__isnull=False).first(),
        pspo=Pspo.objects.filter(**in_demo).first(),
        review=review,
        review_item=review_item,
        report_build=report_build,
    )
    people = list(Person.objects.filter(**in_demo).order_by("pk")[:3])
    everything.secrets = [
        demo.name,
        case.reference,
        asb.case.reference,
        review.reference,
        *(f"{p.first_name} {p.last_name}" for p in people),
        *User.objects.filter(partnership=demo).values_list("full_name", flat=True)[:3],
    ]
    named = set(RestrictedAccess.objects.filter(case=restricted).values_list("user_id", flat=True))
    restricted_target = SimpleNamespace(
        label="A's restricted case",
        same_partnership=True,
        case=restricted,
        action=restricted.actions.first(),
        named=RestrictedAccess.objects.filter(case=restricted).first(),
        template_code=template.code,
        secrets=[restricted.reference, "harassment of a council employee", "Move the staff member's desk"],
    )
    police_case = (
        Case.objects.filter(partnership=demo, restricted=False, owning_team__agency__kind=AgencyKind.POLICE)
        .exclude(pk__in=CaseShare.objects.values("case_id"))
        .exclude(pk__in=BreakGlassGrant.objects.values("case_id"))
        .filter(panel__isnull=True)
        .first()
    )
    police_target = SimpleNamespace(
        label="A's unshared police case",
        same_partnership=True,
        case=police_case,
        template_code=template.code,
        secrets=[police_case.reference, police_case.title],
    )
    a_users = User.objects.filter(partnership=demo)
    return SimpleNamespace(
        demo=demo,
        outer=outer,
        targets=[
            (everything, outsiders),
            (restricted_target, _one_per_role(a_users.exclude(pk__in=named))),
            (
                police_target,
                _one_per_role(a_users.exclude(agency=police_case.owning_team.agency).exclude(pk__in=named)),
            ),
        ],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# The crawl ------------------------------------------------------------------------------------


def test_every_pattern_with_parameters_is_registered():
    parametrised = {name for name, pattern in _patterns() if pattern.pattern.converters or "<" in str(pattern.pattern)}
    unknown = parametrised - set(FILL) - set(NOT_OBJECT_SCOPED)
    assert not unknown, f"Register how to fill these URL patterns in FILL (or why not in NOT_OBJECT_SCOPED): {unknown}"
    stale = (set(FILL) | set(NOT_OBJECT_SCOPED)) - parametrised
    assert not stale, f"No such URL patterns any more: {stale}"


def _missing(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The same URL naming objects that do not exist (list and template names stay: they are not objects)."""
    return {
        key: MISSING_ID if isinstance(value, int) else MISSING_REFERENCE if key == "reference" else value
        for key, value in kwargs.items()
    }


def _urls(target: Any) -> list[tuple[str, str, str]]:
    """(name, url naming the target's object, url naming a missing one) for every pattern the target fills."""
    found = []
    for name, fill in sorted(FILL.items()):
        try:
            kwargs = fill(target)
        except AttributeError:  # the target has no object of this kind
            continue
        if any(value is None for value in kwargs.values()):
            continue
        found.append((name, reverse(name, kwargs=kwargs), reverse(name, kwargs=_missing(kwargs))))
    return found


def _leaks(response: Any, url: str, secrets: list[str]) -> list[str]:
    """Secrets in the response, leaving out the requested URL itself (a 404 page or a sign-in
    redirect's `next` may echo what the user typed)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace").replace(url, "")
    where = unquote(response.get("Location", "")).replace(url, "")
    return [secret for secret in secrets if secret and (secret in body or secret in where)]


def _clients(users: list[Any]) -> list[tuple[str, Client]]:
    clients = []
    for user in users:
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        clients.append((user.full_name if user is not None else "anonymous", client))
    return clients


def _problem(real: Any, missing: Any, url: str, secrets: list[str]) -> str:
    if real.status_code != missing.status_code:
        return f"answers {real.status_code}, a missing object {missing.status_code}"
    if real.status_code not in REFUSALS:
        return f"answers {real.status_code}"
    if real.status_code == 302 and real["Location"].split("?")[0] != missing["Location"].split("?")[0]:
        return f"redirects to {real['Location']}"
    if leaked := _leaks(real, url, secrets):
        return f"shows {leaked}"
    return ""


@pytest.mark.parametrize("index", [0, 1, 2], ids=["other partnership", "restricted case", "other agency"])
def test_objects_are_indistinguishable_from_missing_ones(world, index):
    target, users = world.targets[index]
    clients = _clients([*users, None] if index == 0 else users)
    failures = []
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for name, url, missing_url in _urls(target):
        for who, client in clients:
            for method in ("get", "post"):
                if name in DESIGNED_WAY_IN and target.same_partnership:
                    continue
                real = getattr(client, method)(url)
                # A 404 is always right; any other answer must be the one a missing object gets.
                missing = getattr(client, method)(missing_url) if real.status_code != 404 else real
                problem = _problem(real, missing, url, target.secrets)
                if problem:
                    failures.append(f"{method.upper()} {url} ({name}) as {who}: {problem}")
    written = AuditEvent.objects.filter(pk__gt=before, user__in=[u for u in users if u is not None]).exclude(
        action=AuditAction.DENIED
    )
    if index == 0:
        written = written.filter(partnership=world.demo)
    else:
        written = written.filter(case_id=target.case.pk)
    failures += [f"audited {event.action} of {event.object_repr} for {event.user}" for event in written]
    assert not failures, f"{target.label} reached by users who must not see it:\n" + "\n".join(failures)


def test_listings_never_show_what_the_user_must_not_see(world):
    listings = [
        (name, reverse(name))
        for name, pattern in _patterns()
        if not pattern.pattern.converters and name not in NOT_CRAWLED
    ]
    failures = []
    for target, users in world.targets[:2]:
        for user, (who, client) in zip(users, _clients(users), strict=True):
            for name, url in listings:
                if name in AUDIT_TRAIL and target.same_partnership and user.has_role(Role.AUDITOR):
                    continue
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"GET {url} ({name}) as {who}: answers {response.status_code}")
                elif leaked := _leaks(response, url, target.secrets):
                    failures.append(f"GET {url} ({name}) as {who}: shows {leaked} of {target.label}")
    assert not failures, "\n".join(failures)
