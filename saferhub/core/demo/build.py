"""The steps that build the demo partnership, each making one kind of record through the real actions."""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from saferhub.accounts.models import Agency, AgencyKind, Partnership, Role, RoleAssignment, Team, User
from saferhub.accounts.partnerships import create_partnership
from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.cases import actions
from saferhub.cases.models import (
    Action,
    ActionStatus,
    Case,
    CaseLocation,
    CaseStatus,
    CaseType,
    Note,
    ParticipantRole,
    ReferralSource,
    RestrictedAccess,
    RiskLevel,
    StageLog,
)
from saferhub.core.demo.data import (
    ACTION_TITLES,
    AGENCIES,
    CASE_COUNT,
    CASE_TITLES,
    CASE_TYPES,
    CLOSURE_REASONS,
    DEMO_DOMAIN,
    DEMO_NAME,
    DEMO_PASSWORD,
    DEMO_SLUG,
    FIRST_NAMES,
    LAST_NAMES,
    NOTES,
    PENDING_REFERRALS,
    PEOPLE_COUNT,
    REFERRAL_REASONS,
    SHARE_PURPOSES,
    STREETS,
    USERS,
    WARDS,
)
from saferhub.people.models import ContactDetail, ContactKind, Gender, Person
from saferhub.places.models import Location, Ward


@dataclass
class Demo:
    """What the builder has made so far, by name."""

    partnership: Partnership
    rng: random.Random
    today: datetime.date
    agencies: dict[str, Agency] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    team_type: dict[str, str] = field(default_factory=dict)
    case_types: dict[str, CaseType] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)

    def member(self, team: Team) -> User | None:
        return next((u for u in self.users.values() if u.team_id == team.pk and u.has_role(Role.CASEWORKER)), None)

    def ago(self, days: int) -> datetime.datetime:
        return timezone.now() - datetime.timedelta(days=days)


def _partnership(existing: Partnership | None) -> Partnership:
    # The accounts app owns partnership set-up: reference codes and the General case type.
    return existing or create_partnership(DEMO_SLUG, DEMO_NAME)


def _structure(demo: Demo) -> None:
    p = demo.partnership
    for code, name, prefix in CASE_TYPES:
        demo.case_types[code], _ = CaseType.objects.get_or_create(
            partnership=p, code=code, defaults={"name": name, "prefix": prefix}
        )
    # The hub's team manager approves closures of its cases (the home page lists those awaiting it).
    CaseType.objects.filter(pk=demo.case_types["vch"].pk).update(closure_needs_approval=True)
    for name, kind, parent, teams in AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            partnership=p, name=name, defaults={"kind": kind, "parent": demo.agencies.get(parent or "")}
        )
        demo.agencies[name] = agency
        for team_name, type_code, _share in teams:
            demo.teams[team_name], _ = Team.objects.get_or_create(
                partnership=p,
                agency=agency,
                name=team_name,
                defaults={"email": f"{team_name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"},
            )
            demo.team_type[team_name] = type_code
    _users(demo)


def _users(demo: Demo) -> None:
    # One hash for all: hashing each (Argon2) would cost seconds and they share one password anyway.
    password = make_password(DEMO_PASSWORD)
    for local, name, role, agency, team, title in USERS:
        user, _ = User.objects.get_or_create(
            email=f"{local}@{DEMO_DOMAIN}",
            defaults={
                "full_name": name,
                "password": password,
                "partnership": demo.partnership,
                "agency": demo.agencies[agency],
                "team": demo.teams.get(team or ""),
                "job_title": title,
            },
        )
        RoleAssignment.objects.get_or_create(user=user, partnership=demo.partnership, role=role)
        user.__dict__.pop("_roles_cache", None)
        demo.users[local] = user


def _people_and_places(demo: Demo) -> None:
    p, rng = demo.partnership, demo.rng
    wards = [Ward.objects.get_or_create(partnership=p, name=name)[0] for name in WARDS]
    demo.locations = Location.objects.bulk_create(
        Location(
            partnership=p,
            address=f"{rng.randint(1, 140)} {rng.choice(STREETS)}, Demo Borough",
            postcode=f"DB{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
            ward=rng.choice(wards),
        )
        for _ in range(40)
    )
    genders = [Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.MALE, Gender.OTHER, Gender.NOT_STATED]
    demo.people = Person.objects.bulk_create(
        Person(
            partnership=p,
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=demo.today - datetime.timedelta(days=rng.randint(12 * 365, 85 * 365)),
            gender=rng.choice(genders),
            external_ref=f"DEMO-{n:04d}",
        )
        for n in range(1, PEOPLE_COUNT + 1)
    )
    ContactDetail.objects.bulk_create(
        ContactDetail(
            person=person,
            kind=ContactKind.PHONE if n % 3 else ContactKind.ADDRESS,
            value=f"07700 900{n:03d}" if n % 3 else f"Refuge address withheld – ask {demo.teams['Outreach']}",
            confidential=not n % 3,
        )
        for n, person in enumerate(demo.people[:60])
    )


def _case_plan(demo: Demo) -> list[tuple[Team, str]]:
    """(team, case type code) for every case, in proportion to each team's share."""
    plan = []
    for _agency, _kind, _parent, teams in AGENCIES:
        for team_name, type_code, share in teams:
            plan += [(demo.teams[team_name], type_code)] * share
    demo.rng.shuffle(plan)
    return plan[:CASE_COUNT]


def _cases(demo: Demo) -> list[Case]:
    made = []
    for team, type_code in _case_plan(demo):
        made.append(_one_case(demo, team, type_code))
    return made


def _one_case(demo: Demo, team: Team, type_code: str, **fields: Any) -> Case:
    rng = demo.rng
    worker = demo.member(team) or demo.users["manager"]
    opened = demo.today - datetime.timedelta(days=rng.randint(0, 700))
    case = actions.create_case(
        worker,
        case_type=demo.case_types[type_code],
        owning_team=team,
        title=rng.choice(CASE_TITLES[type_code]),
        summary="Synthetic demo case. " + rng.choice(REFERRAL_REASONS),
        assigned_to=worker if rng.random() < 0.85 else None,
        risk_level=rng.choice(list(RiskLevel)),
        opened_on=opened,
        **fields,
    )
    _participants(demo, worker, case, type_code)
    _timeline(demo, worker, case)
    if type_code == "asb" and demo.locations:
        CaseLocation.objects.create(case=case, location=rng.choice(demo.locations), description="Where it happens")
    _settle(demo, worker, case)
    return case


def _participants(demo: Demo, worker: User, case: Case, type_code: str) -> None:
    rng = demo.rng
    victim = rng.choice(demo.people)
    actions.add_participant(worker, case, victim, ParticipantRole.DIRECT_VICTIM)
    if rng.random() < 0.4:
        actions.add_participant(worker, case, rng.choice(demo.people), ParticipantRole.SUBJECT)
    if rng.random() < 0.15:
        actions.add_participant(worker, case, rng.choice(demo.people), ParticipantRole.WITNESS)
    if type_code in {"marac", "vch"} and rng.random() < 0.3:
        actions.add_participant(worker, case, rng.choice(demo.people), ParticipantRole.CHILD_IN_HOUSEHOLD)


def _timeline(demo: Demo, worker: User, case: Case) -> None:
    rng = demo.rng
    age = (demo.today - case.opened_on).days
    for _ in range(rng.randint(1, 4)):
        note = actions.add_note(worker, case, rng.choice(NOTES))
        Note.objects.filter(pk=note.pk).update(created_at=demo.ago(rng.randint(0, age)))
    for _ in range(rng.randint(0, 2)):
        # Due dates around today: a share fall before it and are overdue unless done.
        due = demo.today + datetime.timedelta(days=rng.randint(-30, 30))
        action = actions.add_action(worker, case, title=rng.choice(ACTION_TITLES), owner=worker, due_on=due)
        if due < demo.today and rng.random() < 0.5:
            actions.set_action_status(worker, action, ActionStatus.DONE)


def _settle(demo: Demo, worker: User, case: Case) -> None:
    """Close about a third of the cases and put a few on hold; back-date the opening to the opened date."""
    rng = demo.rng
    opened_at = timezone.make_aware(datetime.datetime.combine(case.opened_on, datetime.time(9, 30)))
    StageLog.objects.filter(case=case).update(at=opened_at)
    Case.objects.filter(pk=case.pk).update(created_at=opened_at)
    draw = rng.random()
    age = (demo.today - case.opened_on).days
    if draw < 0.35 and age > 20:
        closed_on = case.opened_on + datetime.timedelta(days=rng.randint(14, age))
        for action in Action.objects.filter(case=case, status=ActionStatus.OPEN):
            actions.set_action_status(worker, action, ActionStatus.DONE)
        actions.change_status(
            worker,
            case,
            CaseStatus.CLOSED,
            expected_version=case.version,
            closure_reason=rng.choice(CLOSURE_REASONS),
            on=closed_on,
        )
    elif draw < 0.40:
        actions.change_status(
            worker, case, CaseStatus.ON_HOLD, expected_version=case.version, reason="Waiting for a court date"
        )


def _closures_awaiting_approval(demo: Demo) -> None:
    """Two hub team cases whose caseworker asked to close them, for the manager to approve or return."""
    team = demo.teams["Victim Care Hub"]
    worker = demo.member(team) or demo.users["manager"]
    cases = (
        Case.objects.filter(partnership=demo.partnership, owning_team=team, case_type=demo.case_types["vch"])
        .open()
        .filter(restricted=False, referrals__isnull=True)
        .order_by("pk")[:2]
    )
    for case in cases:
        actions.request_closure(
            worker,
            case,
            expected_version=case.version,
            closure_reason=CLOSURE_REASONS[0],
            note="Synthetic demo note: the support plan is complete and the victim agrees.",
        )


def _restricted_case(demo: Demo) -> Case:
    """A case about a member of staff: only the named caseworker may open it, not their team colleague."""
    manager, named = demo.users["manager"], demo.users["caseworker"]
    case = actions.create_case(
        manager,
        case_type=demo.case_types["vch"],
        owning_team=demo.teams["Victim Care Hub"],
        title="Restricted: harassment of a council employee",
        summary="Synthetic demo case. A member of council staff is the victim, so access is restricted.",
        assigned_to=named,
        risk_level=RiskLevel.MEDIUM,
        restricted=True,
    )
    for user in (named, manager):
        RestrictedAccess.objects.create(case=case, user=user, granted_by=manager)
        log.record(manager, AuditAction.UPDATE, case, detail={"named_user_added": user.pk})
    actions.add_participant(manager, case, demo.people[0], ParticipantRole.DIRECT_VICTIM)
    actions.add_note(named, case, "Restricted at the manager's request; only named staff can see this case.")
    return case


def _shares(demo: Demo, made: list[Case]) -> None:
    """Share some open cases with another agency or team, each for a purpose on a lawful basis."""
    rng = demo.rng
    open_cases = [c for c in made if c.status != CaseStatus.CLOSED]
    police = [c for c in open_cases if c.owning_team.agency.kind == AgencyKind.POLICE]
    # Police cases shared into the Victim Care Hub, so the demo caseworker sees both kinds of access.
    for case in police[:4]:
        purpose, basis = SHARE_PURPOSES[0]
        actions.share_case(
            demo.member(case.owning_team), case, purpose=purpose, lawful_basis=basis, team=demo.teams["Victim Care Hub"]
        )
    targets = [a for a in demo.agencies.values() if a.teams.exists()]
    for case in rng.sample(open_cases, 16):
        agency = rng.choice([a for a in targets if a.pk != case.owning_team.agency_id])
        purpose, basis = rng.choice(SHARE_PURPOSES)
        expires = demo.today + datetime.timedelta(days=rng.choice([30, 90, 180])) if rng.random() < 0.5 else None
        sharer = demo.member(case.owning_team) or demo.users["manager"]
        actions.share_case(sharer, case, purpose=purpose, lawful_basis=basis, agency=agency, expires_on=expires)


def _referrals(demo: Demo) -> None:
    """Pending referrals to several teams, received from today back to ten days ago (some past the 2-day target)."""
    rng = demo.rng
    to_teams = [
        "Victim Care Hub",
        "Victim Care Hub",
        "ASB and Community Safety",
        "MARAC Coordination",
        "Brighter Futures",
        "Independent Advocacy",
        "Tenancy Sustainment",
    ]
    from_teams = ["Neighbourhood Policing", "Safeguarding Hub", "Hospital IDVA Service", "Tenancy Sustainment"]
    for n in range(PENDING_REFERRALS):
        to_team = demo.teams[to_teams[n % len(to_teams)]]
        source = ReferralSource.SELF if n % 5 == 4 else ReferralSource.AGENCY
        from_team = demo.teams[rng.choice(from_teams)] if source == ReferralSource.AGENCY else None
        sender = demo.member(from_team) if from_team else None
        actions.create_referral(
            sender,
            partnership=demo.partnership,
            source=source,
            from_team=from_team,
            from_agency=from_team.agency if from_team else None,
            referrer_name=sender.full_name if sender else f"{rng.choice(FIRST_NAMES)} (self-referral)",
            to_team=to_team,
            case_type=demo.case_types[demo.team_type[to_team.name]],
            received_at=demo.ago(0) - datetime.timedelta(hours=rng.randint(1, 240)),
            reason=rng.choice(REFERRAL_REASONS),
            person=rng.choice(demo.people),
            consent_given=rng.choice(["yes", "yes", "no", "unknown"]),
        )
