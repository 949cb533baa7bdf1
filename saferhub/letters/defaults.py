"""The wording each partnership starts with (our own text, written for Saferhub), one per kind of letter.

Paragraphs are separated by a blank line; a line starting "- " is a bullet; a line starting "## " a heading.
"""

from saferhub.letters.models import LetterKind, Marking

_SIGN_OFF = """Yours sincerely,

{{ officer.name }}
{{ officer.job_title }}
{{ partnership.name }}
{{ officer.email }}"""

DEFAULTS: dict[str, tuple[str, str, str]] = {
    LetterKind.ENGAGEMENT: (
        "Anti-social behaviour in your area",
        Marking.OFFICIAL,
        """Dear {{ recipient.name }},

We have received reports of anti-social behaviour near {{ case.location }}. We are writing to residents nearby to understand how it affects you, and to ask for your help in putting a stop to it.

If you have seen or heard anything, or it has affected you or your household, please contact {{ officer.name }} by {{ deadline }}, quoting reference {{ case.reference }}. We can take a statement at a time and place that suits you. What you tell us is handled in confidence.

If you are in immediate danger, call 999.

"""
        + _SIGN_OFF,
    ),
    LetterKind.ASB_WARNING: (
        "Warning about anti-social behaviour",
        Marking.OFFICIAL_SENSITIVE,
        """Dear {{ recipient.name }},

We have received reports that you have been involved in anti-social behaviour at or near {{ case.location }}. The behaviour reported includes:

{{ case.behaviour }}

This behaviour causes harassment, alarm or distress to others and must stop. This letter is a warning. If the behaviour continues, the partnership may take further action, which could include a Community Protection Notice, a civil injunction or action concerning your tenancy.

If you disagree with what has been reported, or there is anything you would like us to know, please contact {{ officer.name }} by {{ deadline }}, quoting reference {{ case.reference }}.

"""
        + _SIGN_OFF,
    ),
    LetterKind.CPW: (
        "Community Protection Notice: written warning",
        Marking.OFFICIAL_SENSITIVE,
        """Dear {{ recipient.name }},

## Anti-social Behaviour, Crime and Policing Act 2014, section 43

We are satisfied that your conduct at or near {{ case.location }} is having a detrimental effect, of a persistent or continuing nature, on the quality of life of those in the locality, and that it is unreasonable.

## What you must do

{{ power.details }}

You must comply by {{ deadline }}. If you do not, a Community Protection Notice may be served on you. Failing to comply with a Community Protection Notice is a criminal offence, which may lead to a fixed penalty notice or prosecution and a fine.

## The behaviour reported

{{ case.behaviour }}

If you would like to discuss this warning, contact {{ officer.name }}, quoting reference {{ case.reference }}.

"""
        + _SIGN_OFF,
    ),
    LetterKind.CPN: (
        "Community Protection Notice",
        Marking.OFFICIAL_SENSITIVE,
        """To {{ recipient.name }},

## Anti-social Behaviour, Crime and Policing Act 2014, section 43

You were given a written warning about your conduct at or near {{ case.location }}. Your conduct has continued to have a detrimental effect on the quality of life of those in the locality. This notice is served on {{ power.served_on }}.

## Requirements

{{ power.details }}

You must meet these requirements by {{ deadline }}. This notice remains in force until {{ power.expires_on }}.

## If you do not comply

Failing to comply with this notice without reasonable excuse is a criminal offence. You may be offered a fixed penalty notice or prosecuted; on conviction the court may fine you and order forfeiture of items used in the conduct. The partnership may also carry out work needed to meet the requirements and recover its costs from you.

## Your right of appeal

You may appeal to the magistrates' court within 21 days of the date this notice was served.

Reference: {{ case.reference }}

"""
        + _SIGN_OFF,
    ),
    LetterKind.FPN: (
        "Fixed penalty notice",
        Marking.OFFICIAL_SENSITIVE,
        """To {{ recipient.name }},

An authorised officer has reason to believe that you committed the following offence on {{ power.served_on }}: {{ fpn.offence }}.

This notice offers you the opportunity to discharge any liability to conviction for that offence by paying a fixed penalty of {{ fpn.amount }}. If you pay by {{ fpn.discount_until }}, the penalty is reduced to {{ fpn.discount_amount }}.

You must pay by {{ deadline }}. No proceedings will be taken for the offence before then. If you do not pay, you may be prosecuted for the offence.

Quote reference {{ case.reference }} when you pay or contact us. If you believe this notice was issued in error, write to {{ officer.name }} before {{ deadline }}.

"""
        + _SIGN_OFF,
    ),
    LetterKind.HUB_ACKNOWLEDGEMENT: (
        "The Victim Care Hub has received your referral",
        Marking.OFFICIAL_SENSITIVE,
        """Dear {{ recipient.name }},

Thank you for agreeing to be referred to the Victim Care Hub. We received your referral on {{ hub.received_on }}. A member of the hub will contact you by {{ hub.contact_by }} to talk about what support you would like.

The support we offer is free and confidential. It does not depend on whether you reported the crime to the police, or on whether anyone is charged. Under the Code of Practice for Victims of Crime you have rights to information and to support services; we will explain them when we speak.

If you would like us to contact you in a different way, or you need an interpreter, call us on {{ partnership.phone }} quoting reference {{ case.reference }}.

If you are in immediate danger, call 999.

"""
        + _SIGN_OFF,
    ),
    LetterKind.CASE_REVIEW_OUTCOME: (
        "Your ASB Case Review: the outcome",
        Marking.OFFICIAL_SENSITIVE,
        """Dear {{ recipient.name }},

Thank you for your application for an ASB Case Review, which we received on {{ review.applied_on }} (our reference {{ review.reference }}).

{{ review.decision }}

## What we found

{{ review.outcome }}

## Recommendations

{{ review.recommendations }}

## Action plan

{{ review.action_plan }}

{{ review.consultation }}

## Your single point of contact

Your single point of contact is {{ contact.name }}, {{ contact.job_title }}. You can write to them at {{ contact.email }}. They will keep you informed of progress with the action plan.

## If you are not satisfied

If you are not satisfied with how your application was dealt with, you can ask for the review to be looked at again. Write to your single point of contact by {{ deadline }}, saying why, and quoting {{ review.reference }}.

"""
        + _SIGN_OFF,
    ),
}
