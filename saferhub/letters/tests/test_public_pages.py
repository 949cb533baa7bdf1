"""The public Case Review pages carry the partnership's own name, logo, contact details and privacy notice (set by
its administrator), no staff beta banner and a named way to get help; staff see the addresses to publish."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.letters.models import PartnershipBranding
from saferhub.letters.tests.world import letters_world

pytestmark = pytest.mark.django_db
# The smallest valid PNG (1×1 pixel).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def world():
    return letters_world()


def _details(**extra):
    return {
        "public_name": "Invented Borough Community Safety",
        "address": "Town Hall\nInvented Street",
        "phone": "020 7946 0123",
        "email": "safer@invented.example",
        "help_details": "Call our ASB line, Monday to Friday 9am to 5pm, if you need help with this form.",
        "privacy_notice_url": "https://invented.example/privacy",
        "privacy_notice": "The partnership holds your application for six years.",
        "version": "1",
        **extra,
    }


def test_the_administrator_sets_the_public_details_and_the_public_pages_show_them(world):
    admin = Client()
    admin.force_login(world.admin)
    logo = SimpleUploadedFile("logo.png", PNG, content_type="image/png")
    response = admin.post(reverse("letters:public-details"), {**_details(), "logo": logo})
    assert response.status_code == 302
    branding = PartnershipBranding.objects.get(partnership=world.partnership)
    assert branding.logo and branding.phone == "020 7946 0123"
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="letters.partnershipbranding").exists()

    public = Client()
    for name in ("asb:public-apply", "asb:public-status"):
        page = public.get(reverse(name, args=[world.partnership.slug])).content.decode()
        assert "Invented Borough Community Safety" in page
        assert "govuk-phase-banner" not in page and "Beta" not in page
        assert "Get help" in page and "020 7946 0123" in page and "Monday to Friday 9am to 5pm" in page
        assert "https://invented.example/privacy" in page
        assert reverse("letters:public-logo", args=[world.partnership.slug]) in page
    apply = public.get(reverse("asb:public-apply", args=[world.partnership.slug])).content.decode()
    assert "The partnership holds your application for six years." in apply
    logo_response = public.get(reverse("letters:public-logo", args=[world.partnership.slug]))
    assert logo_response["Content-Type"] == "image/png" and b"".join(logo_response.streaming_content) == PNG


def test_a_logo_that_is_not_an_image_is_refused_naming_the_field(world):
    admin = Client()
    admin.force_login(world.admin)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = admin.post(reverse("letters:public-details"), {**_details(), "logo": fake})
    assert response.status_code == 200
    assert response.context["form"].errors["logo"] == ["The logo must be a PNG or JPEG image"]
    assert not PartnershipBranding.objects.filter(partnership=world.partnership).exists()


def test_without_details_the_public_pages_still_name_the_partnership_and_a_way_to_get_help(world):
    page = Client().get(reverse("asb:public-apply", args=[world.partnership.slug])).content.decode()
    assert world.partnership.name in page and "Get help" in page and "govuk-phase-banner" not in page


def test_staff_see_the_public_addresses_on_the_case_review_pages(world):
    officer = Client()
    officer.force_login(world.owner)
    page = officer.get(reverse("asb:reviews")).content.decode()
    assert f"http://testserver/asb/apply/{world.partnership.slug}/" in page
    assert f"http://testserver/asb/status/{world.partnership.slug}/" in page
    # Staff pages keep the beta banner.
    assert "govuk-phase-banner" in page
