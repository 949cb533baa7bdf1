from typing import Any

import factory

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.people.models import Gender, Person


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    partnership = factory.SubFactory(PartnershipFactory)
    # Synthetic names only.
    # Any: subclasses give fixed names instead of a sequence.
    first_name: Any = factory.Sequence(lambda n: f"Testfirst{n}")
    last_name: Any = factory.Sequence(lambda n: f"Testlast{n}")
    gender = Gender.NOT_STATED


class AnonymousPersonFactory(PersonFactory):
    first_name = ""
    last_name = ""
