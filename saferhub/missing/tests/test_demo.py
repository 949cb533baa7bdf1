"""The demo partnership's missing children: a repeat, a strategy meeting and an interview overdue, the
out-of-borough provider's interview, a CEAM meeting linked to the child's record, places, groups and links."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from saferhub.accounts.models import Partnership
from saferhub.cases.models import CaseLink
from saferhub.core.demo import DEMO_SLUG
from saferhub.missing.config import missing_team
from saferhub.missing.models import Episode, Group, IntelLink, MissingChild, PlaceOfConcern
from saferhub.panels.models import Hearing, PanelType, SharedInformation

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def test_demo_has_missing_children_and_ceam():
    with override_settings(SAFERHUB_DEMO=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=StringIO())
    demo = Partnership.objects.get(slug=DEMO_SLUG)
    assert missing_team(demo.pk).name == "Tackling Violence and Exploitation"
    now = timezone.now()
    episodes = Episode.objects.filter(partnership=demo)
    assert MissingChild.objects.filter(partnership=demo, repeat=True).count() == 1
    assert episodes.strategy_overdue(now).count() == 1
    assert episodes.rhi_overdue(now).count() == 1
    assert episodes.filter(rhi_team__name="Return Home Interviews", rhi_completed_at__isnull=False).count() == 1
    ceam = PanelType.objects.get(partnership=demo, code="ceam")
    assert ceam.assessment_template_code == "ceam_tool"
    hearing = Hearing.objects.get(meeting__panel_type=ceam)
    assert SharedInformation.objects.filter(hearing=hearing).exists()
    assert hearing.panel_case.referrals.first().assessment.template.code == "ceam_tool"
    child = MissingChild.objects.get(partnership=demo, repeat=True)
    assert CaseLink.objects.filter(from_case=child.case, to_case=hearing.panel_case.case).exists()
    assert PlaceOfConcern.objects.filter(partnership=demo).count() == 3
    assert Group.objects.filter(partnership=demo).count() == 1
    assert IntelLink.objects.filter(partnership=demo, person=child.person).count() == 2
