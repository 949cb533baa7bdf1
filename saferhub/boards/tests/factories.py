import datetime

import factory
from django.utils import timezone

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.boards.models import AgendaItem, Board, BoardAction, BoardMember, Meeting, MeetingStatus, MemberRole


class BoardFactory(factory.django.DjangoModelFactory[Board]):
    class Meta:
        model = Board

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Invented Partnership Board {n}")


class BoardMemberFactory(factory.django.DjangoModelFactory[BoardMember]):
    class Meta:
        model = BoardMember

    board = factory.SubFactory(BoardFactory)
    partnership = factory.SelfAttribute("board.partnership")
    name = factory.Sequence(lambda n: f"Invented Member {n}")
    organisation = "Invented University"
    role = MemberRole.MEMBER
    started_on = datetime.date(2020, 1, 1)


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    partnership = factory.SelfAttribute("board.partnership")
    starts_at = factory.Sequence(
        lambda n: timezone.make_aware(datetime.datetime(2026, 1, 1, 10, 0) + datetime.timedelta(days=30 * n))
    )
    place = "Invented Town Hall"
    status = MeetingStatus.HELD


class AgendaItemFactory(factory.django.DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    partnership = factory.SelfAttribute("meeting.partnership")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Invented item {n}")


class BoardActionFactory(factory.django.DjangoModelFactory[BoardAction]):
    class Meta:
        model = BoardAction

    meeting = factory.SubFactory(MeetingFactory)
    board = factory.SelfAttribute("meeting.board")
    partnership = factory.SelfAttribute("meeting.partnership")
    text = factory.Sequence(lambda n: f"Invented action {n}")
    owner = "Invented Lead"
