"""What an applicant sees when they check their Case Review application: stages and dates only.

Nothing about the case, the reports, the people or the reasons: the page is reached with a
reference and an e-mail address or postcode, which others may know.
"""

import datetime
from dataclasses import dataclass

from saferhub.asb import deadlines
from saferhub.asb.models import CaseReview, CaseReviewStatus

# The applicant's words for each stage.
STAGE_LABELS = {
    CaseReviewStatus.RECEIVED: "We have received your application",
    CaseReviewStatus.ACKNOWLEDGED: "We are checking whether your application meets the threshold for a review",
    CaseReviewStatus.THRESHOLD_MET: "Your application meets the threshold: a review meeting will be held",
    CaseReviewStatus.THRESHOLD_NOT_MET: "Your application does not meet the threshold: we will write to you",
    CaseReviewStatus.REVIEW_HELD: "The review meeting has been held: we will write to you with the outcome",
    CaseReviewStatus.OUTCOME_SENT: "We have sent you the outcome",
    CaseReviewStatus.APPEALED: "We have received your appeal and are considering it",
    CaseReviewStatus.CLOSED: "Your application is closed",
}

_STEP_LABELS = {
    "acknowledge": "We acknowledge your application",
    "decide": "We decide whether it meets the threshold for a review",
    "meeting": "The review meeting",
    "outcome": "We send you the outcome",
    "appeal": "We decide your appeal",
}


@dataclass(frozen=True)
class Stage:
    label: str
    done_on: datetime.date | None
    expected_by: datetime.date | None


def current(review: CaseReview) -> str:
    return STAGE_LABELS[CaseReviewStatus(review.status)]


def stages(review: CaseReview) -> list[Stage]:
    """Received, then each step that applies with the date it was done or, if not yet, the date it is due."""
    result = [Stage("We received your application", review.applied_on, None)]
    for step in deadlines.steps(review):
        result.append(Stage(_STEP_LABELS[step.key], step.done_on, None if step.done_on else step.due_on))
    if review.appeal_received_on:
        result.insert(-1, Stage("We received your appeal", review.appeal_received_on, None))
    return result
