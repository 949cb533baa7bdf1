"""Panel type pages and settings."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from saferhub import policy
from saferhub.core import exports
from saferhub.core.keyset import KeysetPaginator
from saferhub.core.versioning import StaleEdit, conflict, values_of
from saferhub.panels import actions
from saferhub.panels.forms import (
    PanelTypeForm,
)
from saferhub.panels.models import (
    Meeting,
    PanelReferral,
    PanelType,
)
from saferhub.panels.views.common import RECENT, _panel_type

REFERRAL_COLUMNS = [
    exports.field("number", "Referral number", "pk"),
    exports.field("referral_date", "Referred"),
    exports.field("person", "Person", "person__display_name"),
    exports.field("referring_agency", "Referring agency", "referring_agency__name"),
    exports.field("case", "Case", "panel_case__case__reference"),
    exports.field("status", "Status"),
]
MEETING_COLUMNS = [
    exports.field("date", "Date"),
    exports.field("status", "Status"),
    exports.field("location", "Where"),
    exports.field("chair", "Chair"),
    exports.computed("cases_listed", "Cases listed", lambda meeting: meeting.listed),
]


def _download(request: HttpRequest, panel_type: PanelType) -> HttpResponse:
    """The panel type's referrals, or (``list=meetings``) its meetings, as CSV or XLSX."""
    if request.GET.get("list") == "meetings":
        meetings = (
            Meeting.objects.filter(panel_type=panel_type)
            .annotate(listed=policy.visible_listed_count(request.user))
            .order_by("-date", "-pk")
        )
        return exports.export_response(
            request, meetings, MEETING_COLUMNS, name=f"{panel_type.code}-meetings", title="Meetings"
        )
    return exports.export_parts(
        request,
        PanelReferral.objects.select_related("person", "referring_agency", "panel_case__case"),
        policy.visible_panel_referral_parts(request.user),
        ("-referral_date", "-pk"),
        REFERRAL_COLUMNS,
        refine=lambda qs: qs.filter(panel_type=panel_type),
        name=f"{panel_type.code}-referrals",
        title="Referrals",
    )


@require_GET
def panel_type_detail(request: HttpRequest, code: str) -> HttpResponse:
    panel_type = _panel_type(request, code)
    if exports.wanted_format(request):
        return _download(request, panel_type)
    referrals = KeysetPaginator(
        PanelReferral.objects.select_related("person", "referring_agency", "panel_case__case"),
        policy.visible_panel_referral_parts(request.user),
        ("-referral_date", "-pk"),
        RECENT,
        refine=lambda qs: qs.filter(panel_type=panel_type),
    ).page(request.GET)
    meetings = (
        Meeting.objects.filter(panel_type=panel_type)
        .annotate(listed=policy.visible_listed_count(request.user))
        .order_by("-date")[:12]
    )
    return render(
        request,
        "panels/panel_type.html",
        {
            "panel_type": panel_type,
            "awaiting_review": policy.inbox_count(
                request.user, policy.InboxKind.PANEL, lambda qs: qs.filter(panel_type=panel_type)
            ),
            "referrals": referrals,
            "meetings": meetings,
            "agencies": panel_type.member_agencies.order_by("name"),
            "export_links": exports.export_links(request),
            "meeting_export_links": exports.export_links(request, list="meetings"),
        },
    )


@require_http_methods(["GET", "POST"])
def panel_type_settings(request: HttpRequest, code: str) -> HttpResponse:
    panel_type = _panel_type(request, code)
    form = PanelTypeForm(request.POST or None, instance=panel_type, initial={"version": panel_type.version})
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in form.Meta.fields if name != "member_agencies"}
        try:
            actions.update_panel_type(
                request.user,
                panel_type,
                changes=changes,
                agencies=form.cleaned_data["member_agencies"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except StaleEdit:
            # The form wrote the user's values onto the instance: read the record as it is now.
            current_type = _panel_type(request, code)
            current = {
                **values_of(current_type, form.Meta.fields),
                "member_agencies": list(current_type.member_agencies.all()),
            }
            return conflict(
                request,
                "panels/panel_type_settings.html",
                {"panel_type": current_type},
                form_class=PanelTypeForm,
                stale_form=form,
                instance=current_type,
                current=current,
                form_kwargs={"instance": current_type},
            )
        messages.success(request, f"{panel_type.name} settings saved")
        return redirect("panels:type", code=panel_type.code)
    return render(request, "panels/panel_type_settings.html", {"panel_type": panel_type, "form": form})
