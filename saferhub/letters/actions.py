"""Changing letter templates and public details, and issuing letters. Each runs in one transaction with its audit row."""

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.versioning import StaleEdit, claim_version
from saferhub.letters import document, merge
from saferhub.letters.defaults import DEFAULTS
from saferhub.letters.models import (
    IssuedLetter,
    LetterKind,
    LetterTemplate,
    LetterTemplateRevision,
    PartnershipBranding,
)
from saferhub.letters.values import branding_for
from saferhub.reporting import document_layout

__all__ = ["StaleEdit", "issue_letter", "save_public_details", "save_template", "setup_letters"]


def setup_letters(partnership: Any) -> None:
    """Every kind of letter gets the default wording, once: a partnership's own edits are never replaced."""
    now = timezone.now()
    for kind, (subject, marking, body) in DEFAULTS.items():
        template, created = LetterTemplate.objects.get_or_create(
            partnership=partnership, kind=kind, defaults={"subject": subject, "body": body, "marking": marking}
        )
        if created:
            LetterTemplateRevision.objects.create(
                template=template,
                number=1,
                subject=subject,
                body=body,
                marking=marking,
                saved_at=now,
                note="The default wording",
            )


def current_revision(template: LetterTemplate) -> LetterTemplateRevision:
    revision = template.revisions.order_by("-number").first()
    if revision is None:  # a template made by hand: its wording becomes revision 1
        revision = LetterTemplateRevision.objects.create(
            template=template,
            number=1,
            subject=template.subject,
            body=template.body,
            marking=template.marking,
            saved_at=timezone.now(),
        )
    return revision


def save_template(
    user: Any,
    template: LetterTemplate,
    *,
    expected_version: int,
    subject: str,
    body: str,
    marking: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> LetterTemplateRevision:
    """A new revision of the wording; refused (StaleEdit) if someone saved after the form was opened."""
    for text, what in ((subject, "The heading"), (body, "The letter")):
        problems = merge.check(text, template.kind, what=what)
        if problems:
            raise merge.MergeError(problems[0])
    with transaction.atomic():
        claim_version(template, expected_version, modified_by=user)
        number = (template.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        template.subject, template.body, template.marking = subject, body, marking
        template.save(update_fields=["subject", "body", "marking"])
        revision = LetterTemplateRevision.objects.create(
            template=template,
            number=number,
            subject=subject,
            body=body,
            marking=marking,
            saved_at=timezone.now(),
            saved_by=user,
            note=note,
        )
        log.record(
            user,
            AuditAction.UPDATE,
            template,
            request=request,
            reason=note,
            detail={"letter_template": template.kind, "revision": number},
        )
    return revision


def save_public_details(
    user: Any, partnership: Any, *, expected_version: int, request: HttpRequest | None = None, **values: Any
) -> PartnershipBranding:
    with transaction.atomic():
        branding, _ = PartnershipBranding.objects.get_or_create(partnership=partnership)
        claim_version(branding, expected_version, modified_by=user)
        logo = values.pop("logo", None)
        remove_logo = values.pop("remove_logo", False)
        for name, value in values.items():
            setattr(branding, name, value)
        if remove_logo:
            branding.logo = ""
        if logo:
            branding.logo.save(logo.name, logo, save=False)
        branding.save()
        changed = sorted(values) + (["logo"] if logo or remove_logo else [])
        log.record(user, AuditAction.UPDATE, branding, request=request, detail={"public_details": changed})
    return branding


@dataclass
class Draft:
    """A letter filled in but not yet issued (the preview shows it)."""

    kind: str
    revision: LetterTemplateRevision
    subject: str
    body: str
    values: dict[str, str]


def draft(partnership: Any, kind: str, values: dict[str, str]) -> Draft:
    template = LetterTemplate.objects.get(partnership=partnership, kind=kind)
    revision = current_revision(template)
    return Draft(
        kind=kind,
        revision=revision,
        subject=merge.render(revision.subject, kind, values),
        body=merge.render(revision.body, kind, values),
        values=values,
    )


def issue_letter(
    user: Any,
    *,
    partnership: Any,
    kind: str,
    values: dict[str, str],
    case: Any = None,
    case_review: Any = None,
    deadline: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> IssuedLetter:
    """Generate the letter from the current wording, file it on the case (or application) and audit it as an export."""
    today = timezone.localdate()
    letter_draft = draft(partnership, kind, values)
    docx = document.build(
        branding=branding_for(partnership),
        marking=letter_draft.revision.marking,
        subject=letter_draft.subject,
        body=letter_draft.body,
        recipient_name=values.get("recipient.name", ""),
        recipient_address=values.get("recipient.address", ""),
        reference=values.get("case.reference", ""),
        issued_on=today,
    )
    when = timezone.now()
    content = document_layout.save(
        docx, title=f"{LetterKind(kind).label} {values.get('case.reference', '')}", when=when
    )
    reference = (case.reference if case is not None else case_review.reference).lower()
    filename = f"{kind.replace('_', '-')}-{reference}-{today:%Y%m%d}.docx"
    with transaction.atomic():
        letter = IssuedLetter(
            partnership=partnership,
            case=case,
            case_review=case_review,
            kind=kind,
            template_revision=letter_draft.revision,
            recipient_name=values.get("recipient.name", "")[:200],
            deadline=deadline,
            filename=filename,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            issued_by=user,
            issued_on=today,
        )
        letter.file.save(filename, ContentFile(content), save=False)
        letter.save()
        log.record(
            user,
            AuditAction.EXPORT,
            case or case_review,
            request=request,
            detail={"document": "letter", "letter": letter.pk, "kind": kind, "revision": letter_draft.revision.number},
        )
    return letter
