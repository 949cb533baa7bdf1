import factory

from saferhub.accounts.models import Agency, AgencyKind, Partnership, Role, RoleAssignment, Team, User


class PartnershipFactory(factory.django.DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"borough-{n}")
    name = factory.Sequence(lambda n: f"Borough {n} Safer Communities Partnership")


class AgencyFactory(factory.django.DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.COUNCIL


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    name = factory.Sequence(lambda n: f"Team {n}")


def roles_hook(default: list[str]) -> factory.PostGeneration:
    """Assign roles after creation; `UserFactory(roles=[...])` overrides the default."""

    def assign(user, create, extracted, **kwargs):
        if not create:
            return
        for role in extracted if extracted is not None else default:
            RoleAssignment.objects.create(user=user, partnership=user.partnership, role=role)
        user.__dict__.pop("_roles_cache", None)

    return factory.PostGeneration(assign)


class UserFactory(factory.django.DjangoModelFactory[User]):
    """A user in a team; `roles` lists their roles in the team's partnership (caseworker by default)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    team = factory.SubFactory(TeamFactory)
    agency = factory.SelfAttribute("team.agency")
    partnership = factory.SelfAttribute("team.partnership")
    password = factory.django.Password("correct horse battery staple")
    roles = roles_hook([Role.CASEWORKER])


class CaseworkerFactory(UserFactory):
    roles = roles_hook([Role.CASEWORKER])


class AnalystFactory(UserFactory):
    roles = roles_hook([Role.ANALYST])


class AdminFactory(UserFactory):
    roles = roles_hook([Role.PARTNERSHIP_ADMIN])


class AuditorFactory(UserFactory):
    roles = roles_hook([Role.AUDITOR])
