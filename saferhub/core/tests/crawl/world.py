"""The world the crawler and the form fuzz run in, and how to name an object of each kind in a URL.

Partnership A is the demo partnership (`load_demo`): every role, objects of every kind, one
restricted case named to two users; `build_world` adds what the demo lacks (an assessment, a
break-glass grant, a person involved in a serious incident, a Case Review item, an action on the
restricted case). Partnership B ("Outerfield") has two agencies and one user of every role.

Every URL pattern with parameters must be in FILL (how to name an object of each kind in it) or in
NOT_OBJECT_SCOPED (why no object can be named): a new pattern fails the crawler until registered.
"""

import datetime
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from saferhub.accounts.models import AgencyKind, Partnership, Role, User
from saferhub.accounts.partnerships import setup_partnership
from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, UserFactory
from saferhub.assessments.actions import record_assessment
from saferhub.assessments.models import Assessment, AssessmentTemplate
from saferhub.assessments.tests.world import lowest_answers
from saferhub.boardpack.models import BoardPack, PackStatus
from saferhub.boards.models import AgendaItem, Board, BoardAction, BoardMember, ForwardItem, Paper
from saferhub.cases import actions as case_actions
from saferhub.cases.models import (
    Action,
    BreakGlassGrant,
    Case,
    CaseLocation,
    CaseShare,
    ClosureRequest,
    Referral,
    RestrictedAccess,
)
from saferhub.core.demo import DEMO_SLUG
from saferhub.core.models import ReferenceCode
from saferhub.directory.models import Service
from saferhub.governance.models import (
    ActionPlan,
    Activity,
    CommissionedService,
    Commitment,
    Indicator,
    Priority,
    ProviderReturn,
    ServiceKpi,
    Strategy,
)
from saferhub.imports.models import ImportRun
from saferhub.iom.models import CohortStay, CostOfCrime, PlanItem, YjKpiValue
from saferhub.missing.models import Episode, Group, IntelLink, MissingChild, PlaceOfConcern
from saferhub.notifications.models import Kind, Notification, Subject
from saferhub.people.models import Person
from saferhub.places.models import Lsoa, Population, PopulationMeasure, Ward
from saferhub.reporting.models import ReportBuild
from saferhub.rj.models import AgreementAction, Member, Party, RjCase
from saferhub.search.models import Attachment
from saferhub.victims.models import CarePlanItem, HubReferral, OnwardReferral

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MISSING_ID = 987_654_321
MISSING_REFERENCE = "ZZZ-2099-99999"


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
    "cases:closure-request": _case,
    # The demo's two closures awaiting approval: one for each decision, so the fuzz reaches both forms.
    "cases:closure-approve": lambda t: {"reference": getattr(t, "closure_to_approve", t.case).reference},
    "cases:closure-return": lambda t: {"reference": getattr(t, "closure_to_return", t.case).reference},
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
    # Places: wards, LSOAs and population figures of the partnership.
    **{
        f"places:{name}": (lambda t: {"pk": t.ward.pk})
        for name in ("ward", "ward-rename", "ward-disable", "ward-enable", "lsoa-add")
    },
    "places:lsoa-disable": lambda t: {"pk": t.lsoa.pk},
    "places:lsoa-enable": lambda t: {"pk": t.lsoa.pk},
    "places:population-edit": lambda t: {"pk": t.population.pk},
    # Retention: erasing a case, retention periods per case type, subject access requests.
    "retention:erase": _case,
    "retention:rule-edit": lambda t: {"case_type_pk": t.case_type.pk},
    "retention:subject-access-person": lambda t: {"pk": t.person.pk},
    "retention:subject-access-export": lambda t: {"pk": t.person.pk},
    # Import runs.
    "imports:run": lambda t: {"pk": t.import_run.pk},
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
    # IOM cohort stays and the partnership's IOM figures.
    **{
        f"iom:{name}": (lambda t: {"pk": t.iom_stay.pk})
        for name in (
            "stay",
            "edit-details",
            "rag-add",
            "offence-add",
            "plan-add",
            "contact-add",
            "deselect",
            "review-add",
        )
    },
    "iom:plan-update": lambda t: {"pk": t.iom_plan_item.stay_id, "item_pk": t.iom_plan_item.pk},
    "iom:cost-edit": lambda t: {"pk": t.iom_cost.pk},
    "iom:kpi-edit": lambda t: {"pk": t.iom_kpi.pk},
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
    # Governance: action plans, their commitments, activities.
    "governance:plan": lambda t: {"pk": t.action_plan.pk},
    "governance:commitment-add": lambda t: {"pk": t.action_plan.pk},
    "governance:commitment-status": lambda t: {"pk": t.commitment.pk},
    "governance:activity-edit": lambda t: {"pk": t.activity.pk},
    # Board packs: the demo's issued pack (a draft answers the same to outsiders).
    "boardpack:pack": lambda t: {"pk": t.board_pack.pk},
    "boardpack:pack-cover": lambda t: {"pk": t.board_pack.pk},
    "boardpack:pack-sections": lambda t: {"pk": t.board_pack.pk},
    "boardpack:section-preview": lambda t: {"pk": t.board_pack.pk, "number": 1},
    "boardpack:pack-issue": lambda t: {"pk": t.board_pack.pk},
    "boardpack:pack-new-version": lambda t: {"pk": t.board_pack.pk},
    "boardpack:pack-considered": lambda t: {"pk": t.board_pack.pk},
    "boardpack:download-full": lambda t: {"pk": t.board_pack.pk},
    "boardpack:download-publishable": lambda t: {"pk": t.board_pack.pk},
    "boardpack:download-json": lambda t: {"pk": t.board_pack.pk},
    # Boards: boards, members, meetings, agenda items, papers, actions, the forward work programme.
    "boards:board": lambda t: {"pk": t.board.pk},
    "boards:board-edit": lambda t: {"pk": t.board.pk},
    "boards:member-add": lambda t: {"pk": t.board.pk},
    "boards:meeting-add": lambda t: {"pk": t.board.pk},
    "boards:forward-add": lambda t: {"pk": t.board.pk},
    "boards:member-edit": lambda t: {"pk": t.board_member.pk},
    "boards:forward-edit": lambda t: {"pk": t.forward_item.pk},
    "boards:meeting": lambda t: {"pk": t.board_meeting.pk},
    "boards:meeting-edit": lambda t: {"pk": t.board_meeting.pk},
    "boards:attendance": lambda t: {"pk": t.board_meeting.pk},
    "boards:item-add": lambda t: {"pk": t.board_meeting.pk},
    "boards:action-add": lambda t: {"pk": t.board_meeting.pk},
    "boards:agenda-document": lambda t: {"pk": t.board_meeting.pk, "variant": "full"},
    "boards:minutes-document": lambda t: {"pk": t.board_meeting.pk, "variant": "full"},
    "boards:item-edit": lambda t: {"pk": t.agenda_item.pk},
    "boards:item-minutes": lambda t: {"pk": t.agenda_item.pk},
    "boards:paper-add": lambda t: {"pk": t.agenda_item.pk},
    "boards:paper": lambda t: {"pk": t.board_paper.pk},
    "boards:action-edit": lambda t: {"pk": t.board_action.pk},
    "boards:action-complete": lambda t: {"pk": t.board_action.pk},
    # Governance: strategies, priorities, indicators, commissioned services and their returns.
    "governance:strategy": lambda t: {"pk": t.strategy.pk},
    "governance:priority-add": lambda t: {"pk": t.strategy.pk},
    "governance:strategy-edit": lambda t: {"pk": t.strategy.pk},
    "governance:priority-edit": lambda t: {"pk": t.priority.pk},
    "governance:strategy-archive": lambda t: {"pk": t.strategy.pk},
    "governance:strategy-restore": lambda t: {"pk": t.strategy.pk},
    "governance:priority-archive": lambda t: {"pk": t.priority.pk},
    "governance:priority-restore": lambda t: {"pk": t.priority.pk},
    "governance:indicator-add": lambda t: {"pk": t.priority.pk},
    **{
        f"governance:{name}": (lambda t: {"pk": t.indicator.pk})
        for name in ("indicator", "indicator-edit", "indicator-target", "indicator-value", "indicator-recompute")
    },
    **{
        f"governance:{name}": (lambda t: {"pk": t.commissioned_service.pk})
        for name in ("service", "service-edit", "service-archive", "service-restore", "kpi-add", "return-request")
    },
    **{
        f"governance:{name}": (lambda t: {"pk": t.service_kpi.pk})
        for name in ("kpi-edit", "kpi-archive", "kpi-restore")
    },
    **{
        f"governance:{name}": (lambda t: {"pk": t.provider_return.pk})
        for name in ("return", "return-edit", "return-accept", "return-send-back")
    },
    # Reports built in the background.
    "missing:child": lambda t: {"pk": t.missing_child.pk},
    "missing:child-ceam-link": lambda t: {"pk": t.missing_child.pk},
    "missing:child-episode-new": lambda t: {"pk": t.missing_child.pk},
    "missing:episode": lambda t: {"pk": t.missing_episode.pk},
    "missing:episode-edit": lambda t: {"pk": t.missing_episode.pk},
    "missing:episode-return": lambda t: {"pk": t.missing_episode.pk},
    "missing:interview-assign": lambda t: {"pk": t.missing_episode.pk},
    "missing:interview": lambda t: {"pk": t.missing_episode.pk},
    "missing:meeting-new": lambda t: {"pk": t.missing_episode.pk},
    "missing:place": lambda t: {"pk": t.concern_place.pk},
    "missing:place-edit": lambda t: {"pk": t.concern_place.pk},
    "missing:group": lambda t: {"pk": t.concern_group.pk},
    "missing:group-edit": lambda t: {"pk": t.concern_group.pk},
    "missing:link-remove": lambda t: {"pk": t.intel_link.pk},
    "reporting:build": lambda t: {"pk": t.report_build.pk},
    "reporting:build-download": lambda t: {"pk": t.report_build.pk},
    "people:duplicate": lambda t: {"pk": t.duplicate.pk},
    "people:duplicate-dismiss": lambda t: {"pk": t.duplicate.pk},
    "people:merge": lambda t: {"pk": t.person_merge.pk},
    "people:merge-undo": lambda t: {"pk": t.person_merge.pk},
    # Letters filed on cases and Case Review applications.
    "letters:case": lambda t: {"reference": t.asb_case.reference},
    "letters:case-new": lambda t: {"reference": t.asb_case.reference},
    "letters:review-new": lambda t: {"reference": t.review.reference},
    "letters:download": lambda t: {"pk": t.issued_letter.pk},
    # Restorative justice: cases, their parties and agreed actions, the register, the hub's Right 3 referral.
    "rj:refer-from-hub": lambda t: {"pk": t.hub.pk},
    **{
        f"rj:{name}": (lambda t: {"pk": t.rj_case.pk})
        for name in (
            "case",
            "screen",
            "approve",
            "meeting",
            "intervention",
            "action-add",
            "follow-up",
            "provider",
            "provider-outcome",
        )
    },
    "rj:consent": lambda t: {"pk": t.rj_party.rj_case_id, "party_pk": t.rj_party.pk},
    "rj:action-update": lambda t: {"pk": t.rj_action.rj_case_id, "action_pk": t.rj_action.pk},
    **{
        f"rj:{name}": (lambda t: {"pk": t.rj_member.pk})
        for name in ("member", "member-edit", "member-erase", "training-add")
    },
    # The open API (issue 17): the same objects, read as JSON.
    "api:person": lambda t: {"pk": t.person.pk},
    **{f"api:{name}": _case for name in ("case", "case-participants", "case-notes", "case-actions")},
    "api:referral": lambda t: {"pk": t.referral.pk},
    "api:hub-referral": lambda t: {"pk": t.hub.pk},
    "api:panel-referral": lambda t: {"pk": t.panel_referral.pk},
    "api:asb-case": lambda t: {"reference": t.asb_case.reference},
    "api:asb-reports": lambda t: {"reference": t.asb_case.reference},
    "api:asb-tool": lambda t: {"pk": t.intervention.pk},
    "api:meeting": lambda t: {"pk": t.board_meeting.pk},
    "api:import": lambda t: {"pk": t.import_run.pk},
    "api-pages:token-revoke": lambda t: {"pk": t.api_token.pk},
    "api-pages:client-revoke": lambda t: {"pk": t.api_client.pk},
    # Case summaries and attachments (casework).
    "casework:case-summary": _case,
    "casework:case-summary-docx": _case,
    "casework:case-attachment-add": _case,
    "casework:referral-attachment-add": lambda t: {"pk": t.referral.pk},
    "casework:meeting-attachment-add": lambda t: {"pk": t.meeting.pk},
    "casework:attachment-download": lambda t: {"pk": t.attachment.pk},
    "notifications:read": lambda t: {"pk": t.notification.pk},
    "victims:rights-record": lambda t: {"pk": t.hub.pk},
    "panels:outcomes": lambda t: {"pk": t.meeting.pk},
    "api:webhook": lambda t: {"pk": t.webhook.pk},
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
    "letters:template-edit": "a kind of letter, looked up in the user's own partnership",
    "api:return": "a report kind's slug, the same in every partnership; the figures are the user's own partnership's",
    "letters:public-logo": "a partnership's logo on its public pages: public by design",
    "api-pages:sso-sign-in-partnership": "a partnership's single sign-on start, before signing in: public by design",
}


def url_patterns(resolver: Any = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(namespaced name, pattern) for every URL pattern, recursively."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}".strip(":") if entry.namespace else namespace
            found += url_patterns(entry, inner)
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


def _first(rows: Any) -> Any:
    """The first row; the demo is expected to hold one of each kind."""
    row = rows.first()
    if row is None:
        pytest.fail(f"The demo has no {rows.model.__name__}: the crawler needs one")
    return row


def _issued_letter(demo: Any, case: Any, user: Any) -> Any:
    """A letter filed on an ASB case (its file is not written: downloading it answers 404, as for a lost file)."""
    from saferhub.letters.actions import current_revision
    from saferhub.letters.models import IssuedLetter, LetterTemplate

    return IssuedLetter.objects.create(
        partnership=demo,
        case=case,
        kind="engagement",
        template_revision=current_revision(LetterTemplate.objects.get(partnership=demo, kind="engagement")),
        recipient_name="Demo Testresident",
        file="letters/missing.docx",
        filename="engagement.docx",
        size=0,
        sha256="0" * 64,
        issued_by=user,
        issued_on=timezone.localdate(),
    )


def build_world() -> SimpleNamespace:
    demo = _load_demo()
    outer, outsiders = _outsiders()
    in_demo = {"partnership": demo}
    manager = User.objects.get(email__startswith="manager@")
    restricted = Case.objects.get(partnership=demo, restricted=True)
    case_actions.add_action(
        manager, restricted, title="Move the staff member's desk", owner=manager, due_on=timezone.localdate()
    )
    case = _first(CaseShare.objects.filter(case__partnership=demo, case__restricted=False)).case
    template = _first(AssessmentTemplate.objects.filter(partnership=demo))
    assessment = Assessment.objects.filter(case__partnership=demo).first() or record_assessment(
        manager, case, template, lowest_answers(template), update_case_risk=False
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

    panel_referral = _first(PanelReferral.objects.filter(partnership=demo, person__isnull=False))
    incident_person = IncidentPerson.objects.create(
        referral=panel_referral, person=panel_referral.person, role="victim"
    )
    review = _first(CaseReview.objects.filter(partnership=demo))
    review_item = ReviewItem.objects.create(
        review=review,
        kind=ReviewItemKind.RECOMMENDATION,
        text="Install a noise monitor",
        owner=manager,
        due_on=timezone.localdate(),
    )
    asb = _first(AsbCase.objects.filter(case__partnership=demo).select_related("case"))
    victim = asb_actions.victims(asb.case).first()
    hub = HubReferral.objects.filter(partnership=demo).first()
    ward = _first(Ward.objects.filter(partnership=demo))
    lsoa = Lsoa.objects.filter(partnership=demo).first() or Lsoa.objects.create(
        partnership=demo, code="E01999999", name="Demo Central 001A", ward=ward
    )
    population = Population.objects.filter(partnership=demo).first() or Population.objects.create(
        partnership=demo, year=2021, measure=PopulationMeasure.values[0], value=250_000
    )
    report_build = ReportBuild.objects.create(
        partnership=demo,
        requested_by=manager,
        kind="caseload",
        date_from=datetime.date(2026, 4, 1),
        date_to=datetime.date(2026, 6, 30),
        format="json",
    )
    # A restricted agenda item with a paper: outsiders must not reach it, nor its meeting's full papers.
    restricted_item = _first(AgendaItem.objects.filter(**in_demo, restricted=True).select_related("meeting"))
    board_paper = Paper.objects.filter(item=restricted_item).first() or Paper.objects.create(
        partnership=demo,
        item=restricted_item,
        title="Restricted review paper (demo)",
        file="board-papers/missing.pdf",
        filename="review.pdf",
        content_type="application/pdf",
        size=0,
        sha256="0" * 64,
    )
    # A file attached to the demo case: outsiders must not reach it.
    attachment = Attachment.objects.filter(case=case).first() or Attachment.objects.create(
        partnership=demo,
        case=case,
        file="attachments/missing.pdf",
        filename="statement.pdf",
        content_type="application/pdf",
        size=0,
        sha256="0" * 64,
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
        import_run=_first(ImportRun.objects.filter(partnership=demo)),
        ward=ward,
        lsoa=lsoa,
        population=population,
        care_item=CarePlanItem.objects.filter(hub_referral__partnership=demo).first(),
        onward=OnwardReferral.objects.filter(hub_referral__partnership=demo).first(),
        panel_action=HearingAction.objects.filter(hearing__meeting__partnership=demo).first(),
        panel_referral=panel_referral,
        incident_person=incident_person,
        meeting=Meeting.objects.filter(**in_demo).first(),
        hearing=Hearing.objects.filter(meeting__partnership=demo).first(),
        panel_case=_first(PanelCase.objects.filter(partnership=demo)).case,
        asb_case=asb.case,
        asb_victim=victim.pk if victim is not None else MISSING_ID,
        asb_report=Report.objects.filter(case__partnership=demo).first(),
        intervention=Intervention.objects.filter(**in_demo, case__isnull=False).first(),
        pspo=Pspo.objects.filter(**in_demo).first(),
        review=review,
        review_item=review_item,
        action_plan=ActionPlan.objects.filter(**in_demo).first(),
        commitment=Commitment.objects.filter(**in_demo).first(),
        activity=Activity.objects.filter(**in_demo).first(),
        strategy=_first(Strategy.objects.filter(**in_demo)),
        priority=Priority.objects.filter(strategy__partnership=demo).first(),
        indicator=_first(Indicator.objects.filter(**in_demo, source="return")),
        commissioned_service=_first(CommissionedService.objects.filter(**in_demo)),
        service_kpi=_first(ServiceKpi.objects.filter(service__partnership=demo)),
        provider_return=_first(ProviderReturn.objects.filter(service__partnership=demo, status="requested")),
        report_build=report_build,
        board_pack=BoardPack.objects.filter(**in_demo, status=PackStatus.ISSUED).first(),
        board=_first(Board.objects.filter(**in_demo)),
        board_member=_first(BoardMember.objects.filter(**in_demo)),
        forward_item=_first(ForwardItem.objects.filter(**in_demo)),
        board_meeting=restricted_item.meeting,
        agenda_item=restricted_item,
        board_paper=board_paper,
        board_action=_first(BoardAction.objects.filter(**in_demo)),
        iom_stay=_first(CohortStay.objects.filter(**in_demo, left_on__isnull=True)),
        iom_plan_item=PlanItem.objects.filter(stay__partnership=demo, stay__left_on__isnull=True).first(),
        iom_cost=_first(CostOfCrime.objects.filter(**in_demo)),
        iom_kpi=_first(YjKpiValue.objects.filter(**in_demo)),
        missing_child=_first(MissingChild.objects.filter(**in_demo)),
        missing_episode=_first(Episode.objects.filter(**in_demo)),
        concern_place=_first(PlaceOfConcern.objects.filter(**in_demo)),
        concern_group=_first(Group.objects.filter(**in_demo)),
        intel_link=_first(IntelLink.objects.filter(**in_demo)),
        issued_letter=_issued_letter(demo, asb.case, manager),
        rj_case=_first(RjCase.objects.filter(**in_demo)),
        rj_party=Party.objects.filter(rj_case__partnership=demo).first(),
        rj_action=AgreementAction.objects.filter(rj_case__partnership=demo).first(),
        rj_member=_first(Member.objects.filter(**in_demo)),
        attachment=attachment,
    )
    awaiting = [c.case for c in ClosureRequest.objects.pending().filter(case__partnership=demo).order_by("pk")]
    if len(awaiting) < 2:
        pytest.fail("The demo has fewer than two closures awaiting approval: the crawler needs two")
    everything.closure_to_approve, everything.closure_to_return = awaiting[:2]
    # The open API: an import run and an API token of A (their ids must lead nowhere for B).
    from saferhub.api.tokens import create_token

    everything.import_run = ImportRun.objects.create(
        partnership=demo,
        kind="people",
        filename="people.csv",
        started_at=timezone.now(),
        user=manager,
        status="succeeded",
    )
    everything.api_token = create_token(manager, name="Demo case system", scope="write")[0]
    from saferhub.api.actions import create_api_client

    everything.api_client = create_api_client(manager, name="Demo partner system", scope="read")[0]
    from saferhub.api.models import WebhookSubscription

    everything.webhook = WebhookSubscription.objects.create(
        partnership=demo,
        owner=manager,
        agency=case.owning_team.agency,
        url="https://example.org/hook",
        events=["case.shared"],
    )
    people = list(Person.objects.filter(**in_demo).order_by("pk")[:3])
    everything.notification = Notification.objects.create(
        partnership=demo,
        recipient=manager,
        kind=Kind.ACTION_DUE,
        title=f"An action on {case.reference} is due today",
        reference=case.reference,
        subject=Subject.CASE,
        object_id=case.pk,
        url=f"/cases/{case.reference}/",
        dedupe_key="crawler",
    )
    everything.secrets = [
        demo.name,
        case.reference,
        asb.case.reference,
        review.reference,
        # Set-up gives every partnership some plans of the same name (the RJ project plan): not secrets.
        *ActionPlan.objects.filter(**in_demo)
        .exclude(name__in=ActionPlan.objects.exclude(**in_demo).values("name"))
        .values_list("name", flat=True),
        *Board.objects.filter(**in_demo).values_list("name", flat=True),
        restricted_item.title,
        *Strategy.objects.filter(**in_demo).values_list("name", flat=True),
        *CommissionedService.objects.filter(**in_demo).values_list("name", flat=True),
        *(f"{p.first_name} {p.last_name}" for p in people),
        *User.objects.filter(partnership=demo).values_list("full_name", flat=True)[:3],
    ]
    everything.duplicate, everything.person_merge = _people_duplicates(demo, manager)
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
    police_case = _first(
        Case.objects.filter(partnership=demo, restricted=False, owning_team__agency__kind=AgencyKind.POLICE)
        .exclude(pk__in=CaseShare.objects.values("case_id"))
        .exclude(pk__in=BreakGlassGrant.objects.values("case_id"))
        .filter(panel__isnull=True)
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
        everything=everything,
        # One user of A of every role: the form fuzz posts as the first of them who may open a page.
        authorised=_one_per_role(a_users),
        demo_users=list(a_users.order_by("pk")),
        targets=[
            (everything, outsiders),
            (restricted_target, _one_per_role(a_users.exclude(pk__in=named))),
            (
                police_target,
                _one_per_role(a_users.exclude(agency=police_case.owning_team.agency).exclude(pk__in=named)),
            ),
        ],
    )


def _people_duplicates(demo: Partnership, manager: User) -> tuple[Any, Any]:
    """A pair in the duplicates queue and a recorded merge, of people in a case of the manager's team."""
    from saferhub.cases.actions import add_new_participant
    from saferhub.people.actions import merge_people

    case = _first(Case.objects.filter(partnership=demo, owning_team=manager.team, restricted=False))
    born = datetime.date(1984, 2, 29)
    twins = [
        add_new_participant(
            manager, case, role="witness", person_fields={"first_name": first, "last_name": last, "date_of_birth": born}
        ).person
        for first, last in [
            ("Crawlina", "Smith"),
            ("Crawlina", "Smyth"),
            ("Crawlbert", "Jones"),
            ("Crawlbert", "Jones"),
        ]
    ]
    from saferhub.people.models import DuplicateCandidate

    duplicate = _first(DuplicateCandidate.objects.filter(person_a=twins[0], person_b=twins[1]))
    merge = merge_people(manager, twins[2], twins[3], kept_version=twins[2].version, merged_version=twins[3].version)
    return duplicate, merge
