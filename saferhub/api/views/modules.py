"""Panel referrals, ASB cases with their reports, tools and powers, and board meetings: read only."""

from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.api.serializers import (
    AsbCaseSerializer,
    AsbReportSerializer,
    InterventionSerializer,
    MeetingSerializer,
    PanelReferralSerializer,
)
from saferhub.api.views.cases import case_for
from saferhub.api.views.common import MODIFIED_SINCE, ApiMixin, AuditedListView
from saferhub.asb.models import AsbCase, Intervention, Report
from saferhub.cases.models import Case
from saferhub.core.keyset import union_queryset
from saferhub.panels.models import PanelReferral


@extend_schema(tags=["panels"], parameters=[MODIFIED_SINCE])
class PanelReferralList(AuditedListView):
    """Panel referrals a coordinator sees: not yet on a panel case, or on panel cases they may see."""

    serializer_class = PanelReferralSerializer
    audit_subject = "panel referrals"

    def visible(self) -> Any:
        return policy.visible_panel_referrals(self.request.user).select_related("panel_type", "referring_agency")


@extend_schema(tags=["panels"])
class PanelReferralDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = PanelReferralSerializer

    def get(self, request: Request, pk: int) -> Response:
        user: Any = request.user
        referral = (
            PanelReferral.objects.select_related("panel_type", "referring_agency", "panel_case__case")
            .filter(pk=pk, partnership_id=user.partnership_id)
            .first()
        )
        if referral is None or policy.panel_referral_access(user, referral) is None:
            raise Http404("No such referral")
        self.audit_view(referral)
        return Response(PanelReferralSerializer(referral).data)


@extend_schema(tags=["anti-social behaviour"], parameters=[MODIFIED_SINCE])
class AsbCaseList(AuditedListView):
    serializer_class = AsbCaseSerializer
    audit_subject = "ASB cases"

    def visible(self) -> Any:
        cases = union_queryset(Case.objects.live(), policy.visible_asb_case_parts(self.request.user))
        return AsbCase.objects.filter(case__in=cases).select_related(
            "category",
            "ward",
            "case",
            "case__case_type",
            "case__owning_team",
            "case__owning_team__agency",
            "case__assigned_to",
        )


def _asb_case(request: Request, reference: str) -> AsbCase:
    case = case_for(request, reference)
    asb = AsbCase.objects.select_related("category", "ward").filter(case=case).first()
    if asb is None:
        raise Http404("No such ASB case")
    asb.case = case
    return asb


@extend_schema(tags=["anti-social behaviour"])
class AsbCaseDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = AsbCaseSerializer

    def get(self, request: Request, reference: str) -> Response:
        return Response(AsbCaseSerializer(_asb_case(request, reference)).data)


@extend_schema(tags=["anti-social behaviour"])
class AsbReportList(ApiMixin, generics.ListAPIView):
    """The reports of anti-social behaviour on one ASB case."""

    serializer_class = AsbReportSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        asb = _asb_case(self.request, self.kwargs["reference"])
        return Report.objects.filter(case_id=asb.case_id).select_related("case", "incident")


@extend_schema(tags=["anti-social behaviour"], parameters=[MODIFIED_SINCE])
class InterventionList(AuditedListView):
    """Tools and powers on the ASB cases you may open (the register)."""

    serializer_class = InterventionSerializer
    audit_subject = "tools and powers"

    def visible(self) -> Any:
        return union_queryset(
            Intervention.objects.all(), policy.visible_intervention_parts(self.request.user)
        ).select_related("case", "kind")


@extend_schema(tags=["anti-social behaviour"])
class InterventionDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = InterventionSerializer

    def get(self, request: Request, pk: int) -> Response:
        intervention = (
            union_queryset(Intervention.objects.all(), policy.visible_intervention_parts(request.user))
            .select_related("case", "kind")
            .filter(pk=pk)
            .first()
        )
        if intervention is None:
            raise Http404("No such tool or power")
        self.audit_view(intervention)
        return Response(InterventionSerializer(intervention).data)


@extend_schema(tags=["meetings"], parameters=[MODIFIED_SINCE])
class MeetingList(AuditedListView):
    """Board meetings of the boards you sit on or run."""

    serializer_class = MeetingSerializer
    audit_subject = "meetings"

    def visible(self) -> Any:
        return policy.visible_meetings(self.request.user).select_related("board")


@extend_schema(tags=["meetings"])
class MeetingDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = MeetingSerializer

    def get(self, request: Request, pk: int) -> Response:
        meeting = policy.get_meeting_for_user(request.user, pk)
        self.audit_view(meeting)
        return Response(MeetingSerializer(meeting).data)
