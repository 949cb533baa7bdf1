"""The merge fields' values for one letter, computed from the case as plain text (never objects)."""

import datetime
from typing import Any

from saferhub.letters.models import LetterKind, PartnershipBranding

# The tool or power a letter of each kind records, by its `asb_tools_and_powers` code.
KIND_TOOL = {
    LetterKind.ASB_WARNING: "warning_letter",
    LetterKind.CPW: "cpn_warning",
    LetterKind.CPN: "cpn",
    LetterKind.FPN: "fpn",
}


def long_date(value: datetime.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def money(pence: int | None) -> str:
    return f"£{pence / 100:,.2f}" if pence is not None else ""


def branding_for(partnership: Any) -> PartnershipBranding:
    """The partnership's public details (unsaved and blank when its administrator has set none)."""
    branding = PartnershipBranding.objects.filter(partnership=partnership).first()
    if branding is None:
        branding = PartnershipBranding(partnership=partnership)
    return branding


def address_of(person: Any) -> str:
    from saferhub.people.models import ContactKind

    details = [d for d in person.contact_details.all() if d.kind == ContactKind.ADDRESS]
    details.sort(key=lambda d: (not d.safe_to_contact, d.pk))
    return details[0].value if details else ""


def common(*, partnership: Any, officer: Any, today: datetime.date, deadline: datetime.date | None) -> dict[str, str]:
    branding = branding_for(partnership)
    return {
        "officer.name": officer.full_name or officer.email,
        "officer.job_title": officer.job_title,
        "officer.email": officer.email,
        "partnership.name": branding.display_name,
        "partnership.phone": branding.phone,
        "partnership.email": branding.email,
        "today": long_date(today),
        "deadline": long_date(deadline),
    }


def person_values(person: Any) -> dict[str, str]:
    return {"recipient.name": person.display_name, "recipient.address": address_of(person)}


def asb_values(asb: Any, intervention: Any = None) -> dict[str, str]:
    from saferhub.asb.models import Incident

    incidents = Incident.objects.filter(case=asb.case).order_by("-behaviour_on", "-pk")[:10]
    values = {
        "case.reference": asb.case.reference,
        "case.location": asb.location,
        "case.category": asb.category.label if asb.category_id else "",
        "case.behaviour": "\n".join(f"- {long_date(i.behaviour_on)}: {i.summary}" for i in incidents),
    }
    if intervention is not None:
        values.update(
            {
                "power.name": intervention.kind.label,
                "power.served_on": long_date(intervention.served_on),
                "power.details": intervention.details,
                "power.expires_on": long_date(intervention.expires_on),
                "fpn.offence": intervention.offence.label if intervention.offence_id else "",
                "fpn.amount": money(intervention.amount_pence),
                "fpn.discount_amount": money(_discounted(intervention)),
                "fpn.discount_until": long_date(intervention.discount_until),
            }
        )
    return values


def _discounted(intervention: Any) -> int | None:
    if intervention.amount_pence is None or not intervention.discount_percent:
        return None
    return int(intervention.amount_pence * (100 - intervention.discount_percent) / 100)


def hub_values(hub: Any) -> dict[str, str]:
    return {
        "case.reference": hub.case.reference if hub.case else "",
        "hub.received_on": long_date(hub.received_on),
        "hub.crime_type": hub.crime_type.label,
        "hub.contact_by": long_date(hub.first_contact_due_on),
    }


def review_values(review: Any) -> dict[str, str]:
    from saferhub.asb.models import ReviewItemKind

    items = list(review.items.select_related("owner__agency").order_by("due_on", "pk"))

    def lines(kind: str) -> str:
        return "\n".join(
            f"- {item.text} ({_agency(item)}, by {long_date(item.due_on)})" for item in items if item.kind == kind
        )

    if review.threshold_met:
        decision = "Your application met the threshold for a Case Review."
    elif review.threshold_met is False:
        decision = "Your application did not meet the threshold for a Case Review. " + review.threshold_reason
    else:
        decision = ""
    contact = review.single_point_of_contact
    return {
        "recipient.name": review.applicant_name,
        "recipient.address": "\n".join(filter(None, [review.applicant_address, review.applicant_postcode])),
        "case.reference": review.case.reference if review.case_id else review.reference,
        "review.reference": review.reference,
        "review.applied_on": long_date(review.applied_on),
        "review.decision": decision.strip(),
        "review.held_on": long_date(review.review_held_on),
        "review.recommendations": lines(ReviewItemKind.RECOMMENDATION),
        "review.action_plan": lines(ReviewItemKind.ACTION),
        "review.outcome": review.outcome_summary,
        "review.consultation": (
            f"The victim was consulted on the action plan on {long_date(review.victim_consulted_on)}."
            if review.victim_consulted_on
            else ""
        ),
        "contact.name": (contact.full_name or contact.email) if contact else "",
        "contact.email": contact.email if contact else "",
        "contact.job_title": contact.job_title if contact else "",
    }


def _agency(item: Any) -> str:
    """Letters name agencies, not individual officers."""
    owner = item.owner
    if owner.agency is not None:
        return str(owner.agency.name)
    return str(owner.full_name or "the partnership")
