"""Cases with their participants, notes and actions; people. Read and written as on the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.accounts.models import User
from saferhub.api.serializers import (
    ActionCreateSerializer,
    ActionSerializer,
    CaseChangeSerializer,
    CaseSerializer,
    NoteSerializer,
    ParticipantSerializer,
    PersonSerializer,
)
from saferhub.api.views.common import MODIFIED_SINCE, ApiMixin, AuditedListView, conflict, http_request
from saferhub.cases import actions
from saferhub.cases.models import Action, Case, Note, Participant
from saferhub.policy import Access


@extend_schema(tags=["cases"], parameters=[MODIFIED_SINCE])
class CaseList(AuditedListView):
    """Cases you may open: owned by your team, shared with your agency or team, or named on."""

    serializer_class = CaseSerializer
    audit_subject = "cases"

    def visible(self) -> Any:
        return policy.visible_cases(self.request.user).select_related(
            "case_type", "owning_team", "owning_team__agency", "assigned_to"
        )


def case_for(request: Request, reference: str, need: Access = Access.VIEW) -> Case:
    """The case, or 404 (403 when it is seen but may not be changed); a GET is audited as a view."""
    return policy.get_case_for_user(http_request(request), reference, need)


@extend_schema(tags=["cases"])
class CaseDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = CaseSerializer

    def get(self, request: Request, reference: str) -> Response:
        return Response(CaseSerializer(case_for(request, reference)).data)

    @extend_schema(
        request=CaseChangeSerializer,
        responses={
            200: CaseSerializer,
            409: {"type": "object", "properties": {"current_version": {"type": "integer"}}},
        },
    )
    def patch(self, request: Request, reference: str) -> Response:
        """Change the title, summary or risk level. Send the `version` you read: a stale one is a 409."""
        case = case_for(request, reference, Access.EDIT)
        change = CaseChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        data = dict(change.validated_data)
        version = data.pop("version")
        try:
            case = actions.update_case(
                request.user, case, expected_version=version, changes=data, request=http_request(request)
            )
        except actions.StaleEdit as exc:
            case.refresh_from_db(fields=["version"])
            return conflict(case.version, str(exc))
        return Response(CaseSerializer(case).data)


class _OnCase(ApiMixin, generics.ListAPIView):
    pagination_class = None  # a case's notes, actions and people are read whole, like its page

    def case(self, need: Access = Access.VIEW) -> Case:
        return case_for(self.request, self.kwargs["reference"], need)


@extend_schema(tags=["cases"])
class ParticipantList(_OnCase):
    serializer_class = ParticipantSerializer

    def get_queryset(self) -> Any:
        return Participant.objects.filter(case=self.case()).select_related("person").order_by("pk")


@extend_schema(tags=["cases"])
class NoteList(_OnCase, generics.CreateAPIView):
    serializer_class = NoteSerializer

    def get_queryset(self) -> Any:
        return Note.objects.filter(case=self.case()).select_related("created_by", "agency").order_by("created_at", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.case(Access.CONTRIBUTE)
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = actions.add_note(request.user, case, serializer.validated_data["text"], request=http_request(request))
        return Response(NoteSerializer(note).data, status=201)


@extend_schema(tags=["cases"])
class ActionList(_OnCase, generics.CreateAPIView):
    serializer_class = ActionSerializer

    def get_queryset(self) -> Any:
        return Action.objects.filter(case=self.case()).select_related("owner").order_by("due_on", "pk")

    @extend_schema(request=ActionCreateSerializer, responses={201: ActionSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self.case(Access.CONTRIBUTE)
        serializer = ActionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        owner = request.user
        if data.get("owner"):
            owner = User.objects.filter(
                partnership_id=request.user.partnership_id, email__iexact=data["owner"], is_active=True
            ).first()
            if owner is None:
                raise ValidationError({"owner": ["Enter the e-mail address of an active user of your partnership"]})
        with transaction.atomic():
            action = actions.add_action(
                request.user,
                case,
                title=data["title"].strip(),
                owner=owner,
                due_on=data["due_on"],
                request=http_request(request),
            )
        return Response(ActionSerializer(action).data, status=201)


@extend_schema(tags=["people"], parameters=[MODIFIED_SINCE])
class PersonList(AuditedListView):
    """People in cases you may open, or named on referrals to your team."""

    serializer_class = PersonSerializer
    audit_subject = "people"

    def visible(self) -> Any:
        return policy.visible_people(self.request.user)


@extend_schema(tags=["people"])
class PersonDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = PersonSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(PersonSerializer(policy.get_person_for_user(http_request(request), pk)).data)


__all__ = [
    "ActionList",
    "CaseDetail",
    "CaseList",
    "NoteList",
    "ParticipantList",
    "PermissionDenied",
    "PersonDetail",
    "PersonList",
]
