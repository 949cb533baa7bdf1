"""Letter templates, issuing letters from cases and Case Review applications, and the letters filed on them."""

import datetime
import io

import docx
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx.shared import Mm

from saferhub.asb import actions as asb_actions
from saferhub.asb.models import Channel
from saferhub.audit.models import AuditAction, AuditEvent
from saferhub.letters import actions
from saferhub.letters.merge import MergeError
from saferhub.letters.models import IssuedLetter, LetterKind, LetterTemplate, LetterTemplateRevision
from saferhub.letters.tests.world import letters_world
from saferhub.reporting.document_layout import A4

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    return letters_world()


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def test_setup_seeds_every_letter_once_and_keeps_a_partnership_s_edits(world):
    templates = LetterTemplate.objects.filter(partnership=world.partnership)
    assert sorted(templates.values_list("kind", flat=True)) == sorted(LetterKind.values)
    cpw = templates.get(kind=LetterKind.CPW)
    actions.save_template(
        world.admin, cpw, expected_version=cpw.version, subject="Our own heading", body=cpw.body, marking=cpw.marking
    )
    actions.setup_letters(world.partnership)
    actions.setup_letters(world.partnership)
    assert templates.count() == len(LetterKind)
    assert templates.get(kind=LetterKind.CPW).subject == "Our own heading"
    assert LetterTemplateRevision.objects.filter(template=cpw).count() == 2


def test_a_bad_merge_field_is_refused_naming_it_and_nothing_is_saved(world):
    client = signed_in(world.admin)
    template = LetterTemplate.objects.get(partnership=world.partnership, kind=LetterKind.CPW)
    url = reverse("letters:template-edit", args=["cpw"])
    response = client.post(
        url,
        {"subject": "Warning", "body": "Dear {{ recipient.nme }},", "marking": "OFFICIAL", "version": template.version},
    )
    assert response.status_code == 200
    assert "{{ recipient.nme }}, which is not a merge field" in response.content.decode()
    template.refresh_from_db()
    assert template.subject != "Warning" and template.revisions.count() == 1
    with pytest.raises(MergeError):
        actions.save_template(
            world.admin,
            template,
            expected_version=template.version,
            subject="{% load x %}",
            body="",
            marking="OFFICIAL",
        )


def test_template_preview_uses_example_details_and_saves_nothing(world):
    client = signed_in(world.admin)
    template = LetterTemplate.objects.get(partnership=world.partnership, kind=LetterKind.CPW)
    response = client.post(
        reverse("letters:template-edit", args=["cpw"]),
        {"subject": "Warning to {{ recipient.name }}", "body": "Dear {{ recipient.name }},", "marking": "OFFICIAL",
         "version": template.version, "preview": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["preview"]["subject"] == "Warning to Sam Example"
    template.refresh_from_db()
    assert template.version == 1


def test_an_administrator_edits_the_cpw_and_an_officer_issues_it_from_the_case(world):
    admin = signed_in(world.admin)
    template = LetterTemplate.objects.get(partnership=world.partnership, kind=LetterKind.CPW)
    body = "Dear {{ recipient.name }},\n\n## What you must do\n\n{{ power.details }}\n\nBy {{ deadline }}. Invented wording."
    response = admin.post(
        reverse("letters:template-edit", args=["cpw"]),
        {"subject": "Written warning {{ case.reference }}", "body": body, "marking": "OFFICIAL-SENSITIVE",
         "version": template.version, "note": "Shorter wording"},
    )  # fmt: skip
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="letters.lettertemplate").exists()

    officer = signed_in(world.owner)
    url = reverse("letters:case-new", args=[world.case.reference])
    choice = {"kind": "cpw", "recipient": world.subject.pk, "power": world.warning.pk, "deadline": "18/12/2026"}
    preview = officer.post(url, {**choice, "preview": ""})
    assert preview.status_code == 200, preview.context["form"].errors
    assert preview.context["preview"]["subject"] == f"Written warning {world.case.reference}"
    assert not IssuedLetter.objects.exists()
    issued = officer.post(url, {**choice, "issue": ""})
    assert issued.status_code == 302
    letter = IssuedLetter.objects.get()
    assert letter.case == world.case and letter.template_revision.number == 2
    content = letter.file.read()
    letter.file.close()
    text = text_of(content)
    assert "Dear Sid Testsubject," in text and "Invented wording" in text and "By 18 December 2026." in text
    assert "Stop playing amplified music between 11pm and 7am" in text and "9 Invented Row" in text
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    # A4 (Word stores twentieths of a point, so within a millimetre)
    assert abs(section.page_width - A4[0]) < Mm(1) and abs(section.page_height - A4[1]) < Mm(1)
    assert "OFFICIAL-SENSITIVE" in section.header.paragraphs[0].text
    assert world.partnership.name in section.header.paragraphs[0].text
    exports = AuditEvent.objects.filter(action=AuditAction.EXPORT, case_id=world.case.pk)
    assert exports.count() == 1 and exports.get().detail["kind"] == "cpw"
    # Filed on the case, and the download is the exact file, audited as an export.
    page = officer.get(reverse("letters:case", args=[world.case.reference]))
    assert "Community Protection Warning" in page.content.decode()
    download = officer.get(reverse("letters:download", args=[letter.pk]))
    assert b"".join(download.streaming_content) == content
    assert exports.count() == 2


def test_issuing_needs_the_deadline_the_letter_gives_and_a_power_of_the_right_kind(world):
    officer = signed_in(world.owner)
    url = reverse("letters:case-new", args=[world.case.reference])
    response = officer.post(url, {"kind": "cpw", "recipient": world.subject.pk, "issue": ""})
    errors = response.context["form"].errors
    assert errors["deadline"] == ["Enter the deadline: the Community Protection Warning gives one"]
    assert errors["power"] == ["Select the tool or power the Community Protection Warning concerns"]
    response = officer.post(
        url, {"kind": "cpn", "recipient": world.subject.pk, "power": world.warning.pk, "deadline": "18/12/2026"}
    )
    assert response.context["form"].errors["power"] == [
        "Select a tool or power of the kind the Community Protection Notice concerns"
    ]
    assert not IssuedLetter.objects.exists()


def test_a_template_broken_outside_the_form_is_reported_not_issued(world):
    LetterTemplate.objects.filter(partnership=world.partnership, kind=LetterKind.ENGAGEMENT).update(body="{{ x.y }}")
    LetterTemplateRevision.objects.filter(template__kind=LetterKind.ENGAGEMENT).update(body="{{ x.y }}")
    officer = signed_in(world.owner)
    response = officer.post(
        reverse("letters:case-new", args=[world.case.reference]),
        {"kind": "engagement", "recipient": world.victim.pk, "deadline": "18/12/2026", "issue": ""},
    )
    assert response.status_code == 200
    assert "{{ x.y }}" in response.content.decode()
    assert not IssuedLetter.objects.exists()


def _sent_review(world):
    review = asb_actions.submit_case_review(
        world.owner,
        partnership=world.partnership,
        applicant_name="Vera Testvictim",
        applicant_address="1 Invented Row",
        applicant_postcode="TE1 1ST",
        channel=Channel.PHONE,
        applied_on=D(2026, 11, 2),
        problem="Noise",
    )
    review.single_point_of_contact = world.manager
    review.save()
    asb_actions.acknowledge_case_review(world.owner, review, D(2026, 11, 3))
    asb_actions.decide_threshold(world.owner, review, met=False, reason="Two reports only.", on=D(2026, 11, 10))
    asb_actions.send_outcome(world.owner, review, on=D(2026, 11, 11), summary="The threshold is not met.")
    return review


def test_the_case_review_outcome_letter_speaks_to_the_applicant_and_gives_contact_and_deadline(world):
    review = _sent_review(world)
    officer = signed_in(world.owner)
    assert officer.get(reverse("asb:review-letter", args=[review.reference])).status_code == 404
    url = reverse("letters:review-new", args=[review.reference])
    assert officer.post(url, {"deadline": "", "issue": ""}).context["form"].errors["deadline"]
    response = officer.post(url, {"deadline": "18/12/2026", "issue": ""})
    assert response.status_code == 302
    letter = IssuedLetter.objects.get(case_review=review)
    text = text_of(letter.file.read())
    letter.file.close()
    assert "Dear Vera Testvictim," in text and "Your application did not meet the threshold" in text
    assert "Your single point of contact is Mo Manager" in text and "by 18 December 2026" in text
    assert "Recommendations" not in text  # sections left empty are dropped
    download = officer.get(reverse("asb:review-letter", args=[review.reference]))
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="asb.casereview").count() == 2


def test_the_hub_acknowledgement_is_issued_from_a_hub_case():
    from saferhub.letters.actions import setup_letters
    from saferhub.victims.tests.world import accepted_referral, build_world

    world = build_world()
    setup_letters(world.partnership)
    hub = accepted_referral(world)
    case = hub.referral.case
    officer = signed_in(world.users["owner"])
    url = reverse("letters:case-new", args=[case.reference])
    assert [value for value, _ in officer.get(url).context["form"].fields["kind"].choices] == ["hub_acknowledgement"]
    person = case.participants.first().person
    response = officer.post(url, {"kind": "hub_acknowledgement", "recipient": person.pk, "issue": ""})
    assert response.status_code == 302, response.context["form"].errors
    text = text_of(IssuedLetter.objects.get(case=case).file.read())
    assert "Dear Ivy Testwell," in text and f"{hub.received_on.day} {hub.received_on:%B %Y}" in text


def test_letters_page_query_count(world, django_assert_max_num_queries):
    officer = signed_in(world.owner)
    for _ in range(3):
        actions.issue_letter(
            world.owner,
            partnership=world.partnership,
            kind=LetterKind.ENGAGEMENT,
            values={"recipient.name": "A Testresident", "case.reference": world.case.reference},
            case=world.case,
        )
    with django_assert_max_num_queries(20):
        response = officer.get(reverse("letters:case", args=[world.case.reference]))
    assert response.status_code == 200 and response.content.decode().count("A Testresident") >= 3
    assert IssuedLetter.objects.filter(issued_on=timezone.localdate()).count() == 3
