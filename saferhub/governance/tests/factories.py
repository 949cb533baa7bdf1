import datetime

import factory

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.governance.models import (
    ActionPlan,
    Activity,
    ActivityKind,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    derived_rag,
)


class ActionPlanFactory(factory.django.DjangoModelFactory[ActionPlan]):
    class Meta:
        model = ActionPlan

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Invented Strategy {n} action plan")


class CommitmentFactory(factory.django.DjangoModelFactory[Commitment]):
    """A commitment with one dated status (`status`, on `updated_on`)."""

    class Meta:
        model = Commitment
        skip_postgeneration_save = True

    plan = factory.SubFactory(ActionPlanFactory)
    partnership = factory.SelfAttribute("plan.partnership")
    external_ref = factory.Sequence(lambda n: f"AP-{n:04d}")
    priority = "Protecting victims"
    text = factory.Sequence(lambda n: f"Invented commitment {n}")

    @factory.post_generation
    def status(self, create, extracted, **kwargs):
        if create:
            status = extracted or CommitmentStatus.ON_TRACK
            CommitmentUpdate.objects.create(
                commitment=self,
                updated_on=kwargs.get("on", datetime.date(2024, 4, 1)),
                status=status,
                rag=derived_rag(status),
            )


class ActivityFactory(factory.django.DjangoModelFactory[Activity]):
    class Meta:
        model = Activity

    partnership = factory.SubFactory(PartnershipFactory)
    external_ref = factory.Sequence(lambda n: f"ACT-{n:04d}")
    held_on = datetime.date(2024, 5, 1)
    kind = ActivityKind.TRAINING
    programme = "restorative_justice"
    title = factory.Sequence(lambda n: f"Invented session {n}")
    participants = 12
