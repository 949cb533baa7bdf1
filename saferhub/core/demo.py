"""The demo partnership: a synthetic "Demo Borough" to try Saferhub locally (`make run`).

Everything here is invented: agencies, teams, people and cases. Every demo user
signs in with DEMO_PASSWORD, which is published; that is acceptable only
because the demo runs on a developer's machine with SAFERHUB_DEMO=1.

Cases, notes, actions, shares and referrals are made through
`saferhub.cases.actions`, so stage logs and audit rows are the ones real use
would write; afterwards creation times are moved into the past so timelines
and overdue actions look lived-in. The whole load is one transaction, and a
partnership that already has cases is left alone, so running it twice changes
nothing.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
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
    LawfulBasis,
    Note,
    ParticipantRole,
    ReferralSource,
    RestrictedAccess,
    RiskLevel,
    StageLog,
)
from saferhub.people.models import ContactDetail, ContactKind, Gender, Person
from saferhub.places.models import Location, Ward

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Borough Safer Communities Partnership"
DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - published on purpose: local demo only
DEMO_DOMAIN = "demo.saferhub.invalid"
SEED = 2024
CASE_COUNT = 300
PEOPLE_COUNT = 400
PENDING_REFERRALS = 20

# Invented names: common given names with made-up surnames, so no combination names a real person.
FIRST_NAMES = [
    "Aisha",
    "Alfie",
    "Amara",
    "Ben",
    "Bethan",
    "Callum",
    "Chloe",
    "Dara",
    "Declan",
    "Eden",
    "Elif",
    "Erin",
    "Farah",
    "Finn",
    "Freya",
    "Gabriel",
    "Grace",
    "Hamza",
    "Hannah",
    "Imran",
    "Isla",
    "Jack",
    "Jade",
    "Jonah",
    "Kai",
    "Keira",
    "Layla",
    "Leon",
    "Lucy",
    "Malik",
    "Maya",
    "Milo",
    "Nadia",
    "Noah",
    "Nia",
    "Oscar",
    "Olivia",
    "Priya",
    "Quinn",
    "Reece",
    "Rosa",
    "Ruby",
    "Sami",
    "Sofia",
    "Tariq",
    "Tess",
    "Theo",
    "Uma",
    "Vera",
    "Wren",
    "Xander",
    "Yara",
    "Yusuf",
    "Zara",
    "Zoe",
    "Ravi",
    "Megan",
    "Owen",
    "Pippa",
    "Kofi",
]
LAST_NAMES = [
    "Ashcombe",
    "Barrowfield",
    "Brackenby",
    "Brindlecott",
    "Calderwick",
    "Cobbleside",
    "Crowhurst-Vale",
    "Dunmarsh",
    "Elderholt",
    "Fallowmere",
    "Fernleigh-Orr",
    "Gildersome",
    "Greywater",
    "Hallowbeck",
    "Harrowgate",
    "Hazelthorn",
    "Ibbotsley",
    "Inchmere",
    "Juniperwell",
    "Kettlewood",
    "Kingsmarsh",
    "Larkhollow",
    "Lindqvist-Moor",
    "Marlowby",
    "Mossington",
    "Nettlefold",
    "Northwick-Ash",
    "Oakhanger",
    "Orchardly",
    "Pebblethwaite",
    "Penhallow",
    "Quarrington",
    "Quillfeather",
    "Ravensholme",
    "Redbeck",
    "Rookwood-Finch",
    "Saltmarshe",
    "Sedgebrook",
    "Silverdale-Ng",
    "Stonebridge",
    "Thistlewood",
    "Thornbury-Okafor",
    "Underhill",
    "Umberleigh",
    "Valemont",
    "Wexcombe",
    "Whitlowe",
    "Willowmere",
    "Wrenfield",
    "Yarrowby",
    "Yewdale",
    "Zennor-Hale",
    "Ambleside-Roy",
    "Bramblecote",
    "Copperfold",
    "Dovecote",
    "Emberly",
    "Foxley-Adeyemi",
    "Glenmorrow",
    "Hollinsby",
]

CASE_TYPES = [
    ("general", "General", "GEN"),
    ("vch", "Victim Care Hub", "VCH"),
    ("asb", "Anti-social behaviour", "ASB"),
    ("marac", "MARAC", "MAR"),
]

# (agency, kind, parent agency or None, [(team, case type code, share of the cases)])
AGENCIES: list[tuple[str, str, str | None, list[tuple[str, str, int]]]] = [
    ("Demo Borough Council", AgencyKind.COUNCIL, None, []),
    (
        "Community Safety Team",
        AgencyKind.COUNCIL,
        "Demo Borough Council",
        [("Victim Care Hub", "vch", 70), ("ASB and Community Safety", "asb", 50), ("MARAC Coordination", "marac", 25)],
    ),
    (
        "Family Services",
        AgencyKind.COUNCIL,
        "Demo Borough Council",
        [("Brighter Futures", "general", 25), ("Steady Steps Family Support", "general", 15)],
    ),
    (
        "Demo Borough Police",
        AgencyKind.POLICE,
        None,
        [("Neighbourhood Policing", "asb", 30), ("Safeguarding Hub", "general", 20)],
    ),
    ("Demo Probation Service", AgencyKind.PROBATION, None, [("Probation Delivery Unit", "general", 15)]),
    ("Demo Homes", AgencyKind.HOUSING, None, [("Tenancy Sustainment", "asb", 20)]),
    ("Demo Health and Care Trust", AgencyKind.HEALTH, None, [("Hospital IDVA Service", "general", 10)]),
    ("Victim Help Demo", AgencyKind.VOLUNTARY, None, [("Independent Advocacy", "general", 15)]),
    ("Lantern Lane Refuge", AgencyKind.VOLUNTARY, None, [("Outreach", "general", 5)]),
    ("Harbourside Youth Project", AgencyKind.VOLUNTARY, None, [("Detached Youth Work", "general", 0)]),
]

# (local part, full name, role, agency, team or None, job title)
USERS = [
    (
        "caseworker",
        "Casey Wrenfield",
        Role.CASEWORKER,
        "Community Safety Team",
        "Victim Care Hub",
        "Victim care officer",
    ),
    (
        "vch.colleague",
        "Milo Dunmarsh",
        Role.CASEWORKER,
        "Community Safety Team",
        "Victim Care Hub",
        "Victim care officer",
    ),
    ("asb", "Priya Kettlewood", Role.CASEWORKER, "Community Safety Team", "ASB and Community Safety", "ASB officer"),
    ("family", "Theo Marlowby", Role.CASEWORKER, "Family Services", "Brighter Futures", "Family practitioner"),
    (
        "family.steps",
        "Rosa Inchmere",
        Role.CASEWORKER,
        "Family Services",
        "Steady Steps Family Support",
        "Family support worker",
    ),
    (
        "police",
        "Reece Harrowgate",
        Role.CASEWORKER,
        "Demo Borough Police",
        "Neighbourhood Policing",
        "PC, neighbourhood team",
    ),
    (
        "police.safeguarding",
        "Nadia Greywater",
        Role.CASEWORKER,
        "Demo Borough Police",
        "Safeguarding Hub",
        "DC, safeguarding",
    ),
    (
        "probation",
        "Owen Sedgebrook",
        Role.CASEWORKER,
        "Demo Probation Service",
        "Probation Delivery Unit",
        "Probation officer",
    ),
    ("housing", "Layla Oakhanger", Role.CASEWORKER, "Demo Homes", "Tenancy Sustainment", "Tenancy officer"),
    (
        "health",
        "Kofi Penhallow",
        Role.CASEWORKER,
        "Demo Health and Care Trust",
        "Hospital IDVA Service",
        "Hospital IDVA",
    ),
    (
        "victimhelp",
        "Freya Thistlewood",
        Role.CASEWORKER,
        "Victim Help Demo",
        "Independent Advocacy",
        "Independent advocate",
    ),
    ("refuge", "Amara Yewdale", Role.CASEWORKER, "Lantern Lane Refuge", "Outreach", "Outreach worker"),
    ("youth", "Jonah Copperfold", Role.CASEWORKER, "Harbourside Youth Project", "Detached Youth Work", "Youth worker"),
    (
        "manager",
        "Grace Calderwick",
        Role.TEAM_MANAGER,
        "Community Safety Team",
        "Victim Care Hub",
        "Victim Care Hub manager",
    ),
    (
        "coordinator",
        "Sami Fallowmere",
        Role.PANEL_COORDINATOR,
        "Community Safety Team",
        "MARAC Coordination",
        "MARAC coordinator",
    ),
    ("analyst", "Erin Hollinsby", Role.ANALYST, "Demo Borough Council", None, "Community safety analyst"),
    ("board", "Gabriel Ashcombe", Role.BOARD_MEMBER, "Demo Borough Council", None, "Partnership board chair"),
    ("admin", "Hannah Stonebridge", Role.PARTNERSHIP_ADMIN, "Demo Borough Council", None, "Partnership administrator"),
    ("auditor", "Yusuf Valemont", Role.AUDITOR, "Demo Borough Council", None, "Information governance lead"),
]

WARDS = ["Northbank", "Millbrook", "Quarry Hill", "St Aldwyn's", "Riverside East", "Foxholes"]
STREETS = ["Cobble Lane", "Orchard Rise", "Station Parade", "Kiln Street", "Meadow Walk", "Ferry Road", "Tannery Court"]

CASE_TITLES = {
    "vch": [
        "Burglary – victim support",
        "Assault outside a pub",
        "Online fraud victim",
        "Hate incident on a bus",
        "Car broken into twice",
        "Stalking by ex-partner",
        "Theft of a mobility scooter",
    ],
    "asb": [
        "Noise from a flat above",
        "Youths gathering by the shops",
        "Neighbour dispute over parking",
        "Street drinking in the park",
        "Graffiti and damage to a garden wall",
        "Drug litter in a stairwell",
    ],
    "marac": ["High-risk domestic abuse", "Repeat domestic abuse – MARAC referral", "Honour-based abuse concern"],
    "general": [
        "Family support after police call-out",
        "Young person at risk of exploitation",
        "Tenancy at risk",
        "Vulnerable adult targeted by cuckooing",
        "Support after release from custody",
    ],
}
NOTES = [
    "Phoned the victim; agreed a safety plan and a call back next week.",
    "Home visit made. Door and window locks to be fitted.",
    "Spoke to the neighbourhood officer; patrols increased in the evenings.",
    "Victim did not answer; left a voicemail with the team's number.",
    "Discussed at the weekly tasking meeting; actions agreed.",
    "Letter sent explaining the Victims' Code rights.",
    "Referred to counselling with consent.",
]
ACTION_TITLES = [
    "Call back the victim",
    "Arrange a home visit",
    "Request a CCTV review",
    "Send a warning letter",
    "Chase the landlord for repairs",
    "Book an interpreter",
    "Review the risk assessment",
]
REFERRAL_REASONS = [
    "Victim of a burglary asks for help with security and someone to talk to.",
    "Repeated noise and threats from a neighbour; tenant is frightened to go out.",
    "Domestic abuse disclosed at A&E; DASH score 16.",
    "Young person seen with older males and new phones; concern about exploitation.",
    "Older man scammed out of savings; wants help and advice.",
]
CLOSURE_REASONS = ["support_complete", "declined_support", "no_contact", "referred_on"]


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


@dataclass(frozen=True)
class SignIn:
    email: str
    role: str
    team: str


def sign_ins() -> list[SignIn]:
    """The demo accounts, in the order they are listed to the person trying the demo."""
    return [
        SignIn(f"{local}@{DEMO_DOMAIN}", role.label, team or f"({agency})")
        for local, _name, role, agency, team, _title in USERS
    ]


# Subject modules add their own demo records (e.g. panel meetings) from AppConfig.ready():
# `step(partnership, rng)`, run after the core demo in the same transaction.
# What a module's demo step returns is ignored.
_MODULE_DEMOS: list[Callable[[Partnership, random.Random], object]] = []


def register_demo(step: Callable[[Partnership, random.Random], object]) -> None:
    if step not in _MODULE_DEMOS:
        _MODULE_DEMOS.append(step)


def load_demo(out: Any = None) -> bool:
    """Build the demo partnership; False (and nothing written) when it is already there."""
    write = out or (lambda _msg: None)
    partnership = Partnership.objects.filter(slug=DEMO_SLUG).first()
    if partnership is not None and Case.objects.filter(partnership=partnership).exists():
        write("The demo partnership is already loaded: nothing to do.")
        return False
    # A seeded generator, not a secure one: the same demo every time.
    rng = random.Random(SEED)  # noqa: S311
    with transaction.atomic():
        demo = Demo(partnership=_partnership(partnership), rng=rng, today=timezone.localdate())
        _structure(demo)
        write(f"Made {len(demo.agencies)} agencies, {len(demo.teams)} teams and {len(demo.users)} users.")
        _people_and_places(demo)
        made = _cases(demo)
        _restricted_case(demo)
        _shares(demo, made)
        _referrals(demo)
        for step in _MODULE_DEMOS:
            step(demo.partnership, rng)
        write(
            f"Made {len(demo.people)} people, {Case.objects.filter(partnership=demo.partnership).count()} cases "
            f"and {PENDING_REFERRALS} referrals awaiting a decision."
        )
    return True


def _partnership(existing: Partnership | None) -> Partnership:
    # The accounts app owns partnership set-up: reference codes and the General case type.
    return existing or create_partnership(DEMO_SLUG, DEMO_NAME)


def _structure(demo: Demo) -> None:
    p = demo.partnership
    for code, name, prefix in CASE_TYPES:
        demo.case_types[code], _ = CaseType.objects.get_or_create(
            partnership=p, code=code, defaults={"name": name, "prefix": prefix}
        )
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


SHARE_PURPOSES = [
    ("Joint safety planning for the victim", LawfulBasis.CDA_S115),
    ("Agree actions at the problem-solving meeting", LawfulBasis.PUBLIC_TASK),
    ("Risk to life: urgent safeguarding", LawfulBasis.VITAL_INTERESTS),
    ("Victim agreed to support from the advocacy service", LawfulBasis.CONSENT),
]


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
