import factory

from saferhub.accounts.tests.factories import PartnershipFactory
from saferhub.places.models import Lsoa, Lsoa2011Link, Population, PopulationMeasure, Ward


class WardFactory(factory.django.DjangoModelFactory[Ward]):
    class Meta:
        model = Ward

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Invented Ward {n}")
    code = factory.Sequence(lambda n: f"E0599{n:04d}")


class DisabledWardFactory(WardFactory):
    active = False


class LsoaFactory(factory.django.DjangoModelFactory[Lsoa]):
    class Meta:
        model = Lsoa

    ward = factory.SubFactory(WardFactory)
    partnership = factory.SelfAttribute("ward.partnership")
    code = factory.Sequence(lambda n: f"E0199{n:04d}")
    name = factory.Sequence(lambda n: f"Inventedshire {n:03d}A")


class Lsoa2011LinkFactory(factory.django.DjangoModelFactory[Lsoa2011Link]):
    class Meta:
        model = Lsoa2011Link

    partnership = factory.SubFactory(PartnershipFactory)
    lsoa11_code = factory.Sequence(lambda n: f"E0198{n:04d}")
    lsoa21_code = factory.Sequence(lambda n: f"E0199{n:04d}")


class PopulationFactory(factory.django.DjangoModelFactory[Population]):
    class Meta:
        model = Population

    partnership = factory.SubFactory(PartnershipFactory)
    area_code = "E09000901"
    area_name = "Inventedshire"
    year = 2021
    measure = PopulationMeasure.RESIDENTS
    value = 100_000
