import datetime

import pytest

from saferhub.accounts.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory
from saferhub.cases.models import CaseStatus
from saferhub.cases.tests.factories import CaseFactory, CaseTypeFactory

D = datetime.date


@pytest.fixture
def caseload(db):
    """A small invented caseload for 2023/24 (Q1 to Q3 is the period used in tests)."""
    partnership = PartnershipFactory(slug="testborough", name="Testborough Safer Communities Partnership")
    council = AgencyFactory(partnership=partnership, name="Testborough Council")
    hub = TeamFactory(agency=council, name="Victim Care Hub")
    asb = TeamFactory(agency=council, name="Community Safety Team")
    general = CaseTypeFactory(partnership=partnership, code="general", name="General", prefix="GEN")
    victims = CaseTypeFactory(partnership=partnership, code="victims", name="Victim care", prefix="VCH")

    def case(team, case_type, opened, closed=None):
        return CaseFactory(
            owning_team=team,
            case_type=case_type,
            opened_on=opened,
            closed_on=closed,
            status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
        )

    case(hub, victims, D(2023, 3, 20))  # before the period, still open
    case(hub, victims, D(2023, 2, 1), D(2023, 4, 5))  # before, closed in Q1
    case(hub, victims, D(2023, 4, 1))  # Q1
    case(hub, victims, D(2023, 5, 10), D(2023, 8, 1))  # Q1, closed Q2
    case(asb, general, D(2023, 6, 30))  # Q1
    case(hub, victims, D(2023, 7, 4))  # Q2
    case(asb, general, D(2023, 12, 31), D(2024, 1, 10))  # Q3, closed after the period: open at the end
    case(hub, general, D(2024, 1, 2))  # after the period
    # Another partnership's cases never count.
    CaseFactory(opened_on=D(2023, 5, 1))
    return partnership
