"""Missing children demo data: children with episodes (one a repeat, one still missing past its strategy
meeting, one back with the interview overdue, one interviewed by the out-of-borough provider), and a
contextual safeguarding map. Everything is invented. Idempotent: nothing is added when the partnership
already has episodes or no team called "Tackling Violence and Exploitation".
"""

import datetime
import random
from typing import Any

from django.utils import timezone

from saferhub.accounts.models import Agency, Team, User
from saferhub.missing import actions
from saferhub.missing.config import setup_missing
from saferhub.missing.models import (
    Episode,
    LinkSource,
    MemberRole,
    PlaceKind,
    Risk,
    Theme,
    Visibility,
)
from saferhub.people.models import Person, YesNoUnknown
from saferhub.places.models import Ward

TEAM = "Tackling Violence and Exploitation"
PROVIDER = "Lighthouse Return Interviews"
CHILDREN = [("Kai", "Brennock", 15), ("Maya", "Orrell", 14), ("Leo", "Ashdown", 16), ("Zara", "Quillon", 15)]


def build_demo(partnership: Any, rng: random.Random) -> None:
    team = Team.objects.filter(partnership=partnership, name=TEAM).first()
    if team is None or Episode.objects.filter(partnership=partnership).exists():
        return
    setup_missing(partnership)
    coordinator = User.objects.filter(team=team).first()
    actions.set_missing_team(coordinator, partnership, team)
    now = timezone.now().replace(second=0, microsecond=0)
    today = timezone.localdate()
    children = []
    for first, last, age in CHILDREN:
        person = Person.objects.create(
            partnership=partnership,
            first_name=first,
            last_name=last,
            date_of_birth=today - datetime.timedelta(days=int(age * 365.25) + rng.randint(10, 300)),
            created_by=coordinator,
        )
        children.append(actions.child_record(coordinator, person))
    kai, maya, leo, zara = children

    def hours_ago(hours: float) -> datetime.datetime:
        return now - datetime.timedelta(hours=hours)

    # Kai: three episodes in under 90 days, so a repeat; the last with an interview in time.
    for days in (70, 35):
        episode = actions.record_episode(
            coordinator,
            kai,
            missing_from=hours_ago(days * 24),
            returned_at=hours_ago(days * 24 - 20),
            risk=Risk.MEDIUM,
            police_reference=f"CAD {rng.randint(1000, 9999)}/{days}",
            where_found="Found at a friend's flat",
            placed_out_of_area=YesNoUnknown.NO,
        )
        actions.update_episode(
            coordinator,
            episode,
            expected_version=episode.version,
            changes={"rhi_offered_at": hours_ago(days * 24 - 40), "rhi_completed_at": hours_ago(days * 24 - 60)},
        )
    actions.record_episode(
        coordinator,
        kai,
        missing_from=hours_ago(30),
        returned_at=hours_ago(10),
        risk=Risk.HIGH,
        where_found="Bus station",
    )
    # Maya: missing for four days, the strategy meeting now overdue.
    actions.record_episode(
        coordinator, maya, missing_from=hours_ago(96), risk=Risk.HIGH, police_reference="CAD 4471/96"
    )
    # Leo: back four days ago, no interview offered yet.
    actions.record_episode(
        coordinator, leo, missing_from=hours_ago(120), returned_at=hours_ago(100), risk=Risk.LOW, where_found="Home"
    )
    # Zara: placed out of the borough, interviewed by the commissioned provider.
    episode = actions.record_episode(
        coordinator,
        zara,
        missing_from=hours_ago(200),
        returned_at=hours_ago(150),
        risk=Risk.MEDIUM,
        placed_out_of_area=YesNoUnknown.YES,
        where_found="Train station in another county",
    )
    provider = Agency.objects.filter(partnership=partnership, name=PROVIDER).first()
    provider_team = Team.objects.filter(agency=provider).first() if provider else None
    if provider is not None:
        actions.assign_rhi(
            coordinator, episode, expected_version=episode.version, provider=provider, team=provider_team
        )
        actions.update_episode(
            User.objects.filter(team=provider_team).first() or coordinator,
            episode,
            expected_version=episode.version,
            changes={
                "rhi_offered_at": hours_ago(140),
                "rhi_completed_at": hours_ago(120),
                "push_factors": "Arguments at the placement about phone use.",
                "pull_factors": "Older friends offering lifts and money.",
                "concerns_raised": "Possible county lines involvement.",
            },
        )
    _map(partnership, coordinator, kai, zara, today, rng)
    _ceam(partnership, coordinator, team, kai, today)


CEAM_MEMBERS = ["Family Services", "Demo Borough Police", "Community Safety Team", "Harbourside Youth Project"]


def _ceam(partnership: Any, coordinator: Any, team: Any, kai: Any, today: datetime.date) -> None:
    """The CEAM panel type (as the set-up file would make it), Kai referred with the CEAM tool, heard at last
    month's meeting, and the CEAM plan linked to his missing record."""
    from saferhub.assessments.models import AssessmentTemplate
    from saferhub.cases.models import LawfulBasis
    from saferhub.missing import ceam
    from saferhub.panels import actions as panel_actions
    from saferhub.panels.models import HearingOutcome, PanelType
    from saferhub.setup.actions import create_panel_type

    admin = User.objects.filter(partnership=partnership, email__startswith="admin@").first()
    police = Agency.objects.filter(partnership=partnership, name="Demo Borough Police").first()
    if admin is None or police is None or PanelType.objects.filter(partnership=partnership, code="ceam").exists():
        return
    panel_type = create_panel_type(
        admin,
        partnership,
        code="ceam",
        values={
            "name": "Child Exploitation and Missing meeting",
            "cadence": "monthly",
            "coordinating_team_id": team.pk,
            "assessment_template_code": ceam.CEAM_TEMPLATE,
            "referral_criteria": "Children at risk of exploitation or going missing, screened with the CEAM tool.",
        },
        member_agencies=Agency.objects.filter(partnership=partnership, name__in=CEAM_MEMBERS),
    )
    template = (
        AssessmentTemplate.objects.filter(partnership=partnership, code=ceam.CEAM_TEMPLATE).order_by("-version").first()
    )
    answers = {q.code: "no" for q in template.questions.all()} if template else {}
    answers.update(missing_episodes="yes", repeat_missing="yes", older_associates="yes", locations_of_concern="yes")
    panel_actions.create_referral(
        coordinator,
        panel_type,
        person=kai.person,
        referral_date=today - datetime.timedelta(days=40),
        referring_agency=team.agency,
        reason="Three missing episodes in three months; seen with older young people at the skate park.",
        checklist=(template, answers) if template else None,
    )
    meeting = panel_actions.schedule_meeting(
        coordinator, panel_type, date=today - datetime.timedelta(days=30), location="Civic Centre, Room 2",
        chair="Head of Early Help",
    )  # fmt: skip
    for hearing in panel_actions.build_agenda(coordinator, meeting):
        panel_actions.share_information(
            coordinator,
            hearing,
            agency=police,
            lawful_basis=LawfulBasis.CDA_S115,
            information="Stopped twice with older youths near Northbank bus station.",
        )
        panel_actions.agree_action(
            coordinator,
            hearing,
            title="Offer a youth worker through detached outreach",
            owner=coordinator,
            owner_agency=team.agency,
            due_on=today + datetime.timedelta(days=7),
        )
        panel_actions.record_outcome(
            coordinator,
            hearing,
            outcome=HearingOutcome.REVIEW,
            risks="Criminal exploitation through a local peer group.",
            decisions="Disruption at the skate park; CEAM tool again at review.",
        )
    panel_actions.mark_held(coordinator, meeting)
    ceam.link_ceam_plans(coordinator, kai)


def _map(partnership: Any, user: Any, kai: Any, zara: Any, today: datetime.date, rng: random.Random) -> None:
    wards = list(Ward.objects.filter(partnership=partnership, active=True)[:3])
    ward = wards[0] if wards else None
    park = actions.create_place(
        user,
        partnership,
        name="Millbrook Rec skate park",
        kind=PlaceKind.PARK,
        ward=ward,
        identified_on=today,
        visibility=Visibility.CEAM,
    )
    station = actions.create_place(
        user,
        partnership,
        name="Northbank bus station",
        kind=PlaceKind.TRANSPORT_HUB,
        ward=wards[-1] if wards else None,
        identified_on=today,
        visibility=Visibility.CEAM,
    )
    chicken = actions.create_place(
        user,
        partnership,
        name="Chicken shop on Kiln Street",
        kind=PlaceKind.TAKEAWAY,
        ward=ward,
        identified_on=today,
    )
    group = actions.create_group(user, partnership, name="Kiln Street peer group", identified_on=today)
    actions.add_link(
        user,
        partnership,
        person=kai.person,
        group=group,
        role=MemberRole.AT_RISK,
        source=LinkSource.CEAM,
        recorded_on=today,
    )
    if ward is not None:
        # Detached outreach at the skate park passed on a concern about Kai (his link to the park).
        actions.record_outreach_session(
            user,
            held_on=today,
            ward=ward,
            place=park,
            participants=14,
            concerns_passed_on="Younger teenagers approached by older youths offering cash for errands; "
            "passed to the police exploitation desk and raised at the CEAM meeting.",
            person=kai.person,
            visibility=Visibility.CEAM,
        )
        actions.record_outreach_session(
            user, held_on=today - datetime.timedelta(days=14), ward=wards[-1], participants=11
        )
    else:
        actions.add_link(
            user,
            partnership,
            person=kai.person,
            place=park,
            source=LinkSource.OUTREACH,
            recorded_on=today,
            visibility=Visibility.CEAM,
        )
    actions.add_link(user, partnership, person=zara.person, place=station, source=LinkSource.RHI, recorded_on=today)
    actions.add_link(user, partnership, group=group, place=chicken, source=LinkSource.POLICE, recorded_on=today)
    actions.add_link(
        user, partnership, group=group, theme=Theme.COUNTY_LINES, source=LinkSource.POLICE, recorded_on=today
    )
