import datetime

import factory
from django.utils import timezone

from saferhub.accounts.tests.factories import TeamFactory
from saferhub.cases.models import (
    Action,
    Case,
    CaseShare,
    CaseStatus,
    CaseType,
    ClosureRequest,
    ClosureRequestStatus,
    LawfulBasis,
    Note,
    Participant,
    ParticipantRole,
    Referral,
    ReferralDecision,
    RestrictedAccess,
)
from saferhub.people.tests.factories import PersonFactory


class CaseTypeFactory(factory.django.DjangoModelFactory[CaseType]):
    class Meta:
        model = CaseType
        django_get_or_create = ("partnership", "code")

    partnership = factory.SubFactory("saferhub.accounts.tests.factories.PartnershipFactory")
    code = "general"
    name = "General"
    prefix = "GEN"


class CaseFactory(factory.django.DjangoModelFactory[Case]):
    """An open case owned by a team; the reference is a plain sequence (no sequence row)."""

    class Meta:
        model = Case

    owning_team = factory.SubFactory(TeamFactory)
    partnership = factory.SelfAttribute("owning_team.partnership")
    case_type = factory.SubFactory(CaseTypeFactory, partnership=factory.SelfAttribute("..partnership"))
    reference = factory.Sequence(lambda n: f"GEN-2024-{n:05d}")
    title = factory.Sequence(lambda n: f"Test case {n}")
    status = CaseStatus.OPEN


class ClosedCaseFactory(CaseFactory):
    status = CaseStatus.CLOSED
    closed_on = factory.LazyFunction(timezone.localdate)
    closure_reason = "support_complete"


class RestrictedCaseFactory(CaseFactory):
    class Meta:
        skip_postgeneration_save = True

    restricted = True

    @factory.post_generation
    def named(self, create, extracted, **kwargs):
        for user in extracted or []:
            RestrictedAccess.objects.create(case=self, user=user)


class ParticipantFactory(factory.django.DjangoModelFactory[Participant]):
    class Meta:
        model = Participant

    case = factory.SubFactory(CaseFactory)
    person = factory.SubFactory(PersonFactory, partnership=factory.SelfAttribute("..case.partnership"))
    role = ParticipantRole.DIRECT_VICTIM


class NoteFactory(factory.django.DjangoModelFactory[Note]):
    class Meta:
        model = Note

    case = factory.SubFactory(CaseFactory)
    text = factory.Sequence(lambda n: f"Synthetic note {n}")


class ActionFactory(factory.django.DjangoModelFactory[Action]):
    class Meta:
        model = Action

    case = factory.SubFactory(CaseFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory("saferhub.accounts.tests.factories.UserFactory")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class CaseShareFactory(factory.django.DjangoModelFactory[CaseShare]):
    class Meta:
        model = CaseShare

    case = factory.SubFactory(CaseFactory)
    purpose = "Joint safety planning"
    lawful_basis = LawfulBasis.PUBLIC_TASK


class ReferralFactory(factory.django.DjangoModelFactory[Referral]):
    class Meta:
        model = Referral

    to_team = factory.SubFactory(TeamFactory)
    partnership = factory.SelfAttribute("to_team.partnership")
    case_type = factory.SubFactory(CaseTypeFactory, partnership=factory.SelfAttribute("..partnership"))
    reason = "Synthetic referral: support asked for after an incident."
    decision = ReferralDecision.PENDING


class AcceptedReferralFactory(ReferralFactory):
    decision = ReferralDecision.ACCEPTED
    decided_at = factory.LazyFunction(timezone.now)
    case = factory.SubFactory(CaseFactory, owning_team=factory.SelfAttribute("..to_team"))


class ClosureRequestFactory(factory.django.DjangoModelFactory[ClosureRequest]):
    """A request to close a case, awaiting a team manager's approval."""

    class Meta:
        model = ClosureRequest

    case = factory.SubFactory(CaseFactory)
    closure_reason = "support_complete"
    note = "Synthetic note: the support plan is complete."
    requested_by = factory.SubFactory("saferhub.accounts.tests.factories.UserFactory")
    status = ClosureRequestStatus.PENDING


class ReturnedClosureRequestFactory(ClosureRequestFactory):
    status = ClosureRequestStatus.RETURNED
    decided_by = factory.SubFactory("saferhub.accounts.tests.factories.UserFactory")
    decided_at = factory.LazyFunction(timezone.now)
    return_reason = "Synthetic reason: the victim has not been told yet."
