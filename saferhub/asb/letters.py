"""The ASB Case Review outcome letter (DOCX)."""

from typing import Any

import docx

from saferhub.asb.models import CaseReview, ReviewItem, ReviewItemKind


def _who(item: ReviewItem) -> str:
    """The agency responsible: letters name agencies, not individual officers."""
    owner = item.owner
    if owner.agency is not None:
        return owner.agency.name
    return owner.full_name or "the partnership"


def _items(document: Any, heading: str, items: list[ReviewItem]) -> None:
    if items:
        document.add_heading(heading, level=2)
        for item in items:
            document.add_paragraph(f"{item.text} ({_who(item)}, by {item.due_on:%-d %B %Y})", style="List Bullet")


def outcome_letter(review: CaseReview) -> Any:
    document = docx.Document()
    partnership = review.partnership
    document.add_paragraph(partnership.name)
    document.add_paragraph(f"{review.outcome_sent_on:%-d %B %Y}")
    addressee = [review.applicant_name, review.applicant_address, review.applicant_postcode]
    for line in filter(None, addressee):
        document.add_paragraph(line)
    document.add_paragraph(f"Our reference: {review.reference}")
    document.add_heading("Your ASB Case Review: the outcome", level=1)
    document.add_paragraph(f"Dear {review.applicant_name or 'applicant'},")
    document.add_paragraph(
        f"Thank you for your application for an ASB Case Review, which we received on {review.applied_on:%-d %B %Y}."
    )
    if review.threshold_met:
        document.add_paragraph(
            "Your application met the threshold for a review. The partner agencies met"
            + (f" on {review.review_held_on:%-d %B %Y}" if review.review_held_on else "")
            + " to review the response to the anti-social behaviour you reported."
        )
        items = list(review.items.select_related("owner__agency").order_by("due_on", "pk"))
        _items(document, "Recommendations", [i for i in items if i.kind == ReviewItemKind.RECOMMENDATION])
        _items(document, "Action plan", [i for i in items if i.kind == ReviewItemKind.ACTION])
        if review.victim_consulted_on:
            document.add_paragraph(
                f"The victim was consulted on the action plan on {review.victim_consulted_on:%-d %B %Y}."
            )
    else:
        document.add_paragraph(
            "Your application did not meet the threshold for a review. " + (review.threshold_reason or "")
        )
    if review.outcome_summary:
        document.add_heading("Outcome", level=2)
        document.add_paragraph(review.outcome_summary)
    contact = review.single_point_of_contact
    document.add_paragraph(
        "If you are not satisfied with how your application was dealt with, you may appeal by writing to us "
        "quoting your reference."
    )
    if contact is not None:
        document.add_paragraph(f"Your single point of contact is {contact.full_name or contact.email}.")
    document.add_paragraph("Yours sincerely,")
    document.add_paragraph(partnership.name)
    core = document.core_properties
    core.title = f"ASB Case Review outcome {review.reference}"
    return document
