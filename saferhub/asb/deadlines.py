"""Case Review deadlines in working days (settings with effective dates, read on the application date)."""

import datetime
from dataclasses import dataclass

from saferhub.asb.limits import Limits
from saferhub.asb.models import CaseReview, SettingKey
from saferhub.core.workingdays import add_working_days


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    due_on: datetime.date | None
    done_on: datetime.date | None

    def overdue(self, today: datetime.date) -> bool:
        return self.due_on is not None and self.done_on is None and self.due_on < today

    def late(self) -> bool:
        return self.due_on is not None and self.done_on is not None and self.done_on > self.due_on


def steps(review: CaseReview, limits: Limits | None = None) -> list[Step]:
    """The steps that apply to this application, each with its due date and when it was done."""
    limits = limits or Limits(review.partnership_id, review.applied_on)
    applied = review.applied_on
    decided_on = review.threshold_decided_on or add_working_days(applied, limits[SettingKey.CR_DECISION_DAYS])
    result = [
        Step(
            "acknowledge",
            "Acknowledge the application",
            add_working_days(applied, limits[SettingKey.CR_ACK_DAYS]),
            review.acknowledged_on,
        ),
        Step(
            "decide",
            "Decide whether the threshold is met",
            add_working_days(applied, limits[SettingKey.CR_DECISION_DAYS]),
            review.threshold_decided_on,
        ),
    ]
    if review.threshold_met is not False:
        meeting_due = add_working_days(decided_on, limits[SettingKey.CR_MEETING_DAYS])
        result.append(Step("meeting", "Hold the review meeting", meeting_due, review.review_held_on))
        outcome_from = review.review_held_on or meeting_due
    else:
        outcome_from = decided_on
    result.append(
        Step(
            "outcome",
            "Send the outcome letter",
            add_working_days(outcome_from, limits[SettingKey.CR_OUTCOME_DAYS]),
            review.outcome_sent_on,
        )
    )
    if review.appeal_received_on:
        result.append(
            Step(
                "appeal",
                "Decide the appeal",
                add_working_days(review.appeal_received_on, limits[SettingKey.CR_APPEAL_DAYS]),
                review.appeal_decided_on,
            )
        )
    return result


def next_step(review: CaseReview, limits: Limits | None = None) -> Step | None:
    return next((step for step in steps(review, limits) if step.done_on is None), None)
