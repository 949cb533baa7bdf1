"""Letters: who edits the partnership's letter templates and public details, who issues and reads letters.

A partnership administrator edits the templates and the public details (name, logo, contact
details, privacy notice). A letter is issued from a case by its owning team (EDIT access), and from a
Case Review application by the team that works it. An issued letter is read by anyone who may see the
case (or the application) it is filed on; everyone else gets 404.
"""

from typing import Any

from django.db import models
from django.http import Http404, HttpRequest

from saferhub.audit import log
from saferhub.audit.models import AuditAction
from saferhub.core.access import Access
from saferhub.policy.asb import visible_case_reviews, works_case_reviews
from saferhub.policy.cases import case_access, visible_case_grounds
from saferhub.policy.roles import can_administer, works_cases


def can_edit_letter_templates(user: Any) -> bool:
    return can_administer(user)


def can_edit_public_details(user: Any) -> bool:
    return can_administer(user)


def can_issue_letter(user: Any, case: Any) -> bool:
    """Letters go out from the owning team: the case's EDIT access."""
    return works_cases(user) and case_access(user, case) == Access.EDIT


def can_issue_review_letter(user: Any, review: Any) -> bool:
    return works_case_reviews(user) and visible_case_reviews(user).filter(pk=review.pk).exists()


def visible_letters(user: Any) -> models.QuerySet:
    """Issued letters on cases the user may see, and on Case Review applications their team works."""
    from saferhub.letters.models import IssuedLetter

    if not works_cases(user):
        return IssuedLetter.objects.none()
    on_cases = models.Q()
    for ground in visible_case_grounds(user, "case__"):
        on_cases |= ground
    on_reviews = models.Q(case__isnull=True, case_review__in=visible_case_reviews(user))
    return IssuedLetter.objects.filter(partnership_id=user.partnership_id).filter(
        (models.Q(case__isnull=False) & on_cases) | on_reviews
    )


def get_letter_for_user(request: HttpRequest, pk: int) -> Any:
    """An issued letter the user may read, or 404 (its existence is not revealed)."""
    letter = (
        visible_letters(request.user)
        .select_related("case", "case_review", "template_revision", "issued_by")
        .filter(pk=pk)
        .first()
    )
    if letter is None:
        raise Http404("No such letter")
    return letter


def audit_letter_download(request: HttpRequest, letter: Any) -> None:
    """A letter holds a person's name and address: downloading it is an export."""
    log.record(
        request.user,
        AuditAction.EXPORT,
        letter.case or letter.case_review,
        request=request,
        detail={"document": "letter", "letter": letter.pk, "kind": letter.kind},
    )
