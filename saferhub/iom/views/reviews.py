"""Cohort review meetings from the cohort record: list a stay on a review meeting (saferhub.iom.reviews)."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from saferhub import policy
from saferhub.iom import forms as iom_forms
from saferhub.iom import reviews
from saferhub.iom.actions import IomError
from saferhub.iom.views.common import form_page, stay_url, today
from saferhub.panels.actions import PanelError
from saferhub.policy import Access


@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the stay on the agenda of a scheduled cohort review meeting (the soonest is offered first)."""
    stay = policy.get_stay_for_user(request, pk, Access.EDIT)
    user: Any = request.user
    if not policy.can_put_on_review(user, stay):
        raise PermissionDenied("The IOM team's panel coordinators put cohort records on review meetings.")
    meetings = list(reviews.upcoming_meetings(stay.partnership_id, today()))
    form = iom_forms.ReviewMeetingForm(request.POST or None, meetings=meetings)

    def save(data: dict[str, Any]) -> Any:
        try:
            return reviews.put_on_review(user, stay, data["meeting"], request=request)
        except PanelError as exc:
            raise IomError(str(exc), "meeting") from None

    intro = (
        "The case is added at the end of the meeting's agenda. Its RAG status and next contact due show on the "
        "meeting page; what the meeting decides and the actions it agrees show on this record."
        if meetings
        else "No cohort review meeting is scheduled. A panel coordinator schedules one on the Panels page."
    )
    return form_page(
        request,
        form,
        save,
        title="Add to a cohort review meeting",
        submit="Add to the agenda",
        done="The cohort record is on the review meeting's agenda.",
        back_url=stay_url(stay),
        caption=f"{stay.person.display_name}, {stay.case.reference}",
        intro=intro,
    )
