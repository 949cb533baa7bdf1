import factory

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.people.models import Gender, Person


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    partnership = factory.SubFactory(PartnershipFactory)
    # Synthetic names only.
    first_name = factory.Sequence(lambda n: f"Testfirst{n}")
    last_name = factory.Sequence(lambda n: f"Testlast{n}")
    gender = Gender.NOT_STATED


class AnonymousPersonFactory(PersonFactory):
    first_name = ""
    last_name = ""
