"""Referrals (any team) and Victim Care Hub referrals: made by another system, their decision read back.

Both are made through the pages' own forms and actions, so a referral from a partner's
system is checked exactly as one typed in, audited the same, and lands in the same queue.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.api.serializers import HubReferralSerializer, ReferralSerializer
from saferhub.api.views.common import MODIFIED_SINCE, ApiMixin, AuditedListView, http_request
from saferhub.cases import actions as case_actions
from saferhub.cases.referral_forms import ReferralForm
from saferhub.core.models import ReferenceCode, ReferenceList
from saferhub.people import actions as people_actions
from saferhub.victims import actions as hub_actions
from saferhub.victims import forms as hub_forms
from saferhub.victims.access import get_hub_for_user


def _form_errors(form: Any) -> ValidationError:
    """The form's messages, by field (non-field ones under `non_field_errors`), as the page shows them."""
    errors = {
        ("non_field_errors" if name == "__all__" else name): list(messages) for name, messages in form.errors.items()
    }
    return ValidationError(errors)


def _with_case_ids(user: Any, referrals: list[Any]) -> set[int]:
    """The cases of these referrals that the reader may see (the reference is shown only for those)."""
    ids = {referral.case_id for referral in referrals if referral.case_id}
    if not ids:
        return set()
    return set(policy.visible_cases(user).filter(pk__in=ids).values_list("pk", flat=True))


def _data(request: Request) -> dict[str, Any]:
    data = request.data
    if not hasattr(data, "items"):
        raise ValidationError({"non_field_errors": ["Send the referral as a JSON object"]})
    return {name: ("" if value is None else value) for name, value in data.items()}


class ReferralCreateSerializer(serializers.Serializer):
    """The fields of the referral form (team, type, who refers, reason, consent; the person optional)."""

    to_team = serializers.IntegerField(help_text="The team referred to (its id)")
    case_type = serializers.IntegerField(help_text="The type of case (its id)")
    source = serializers.ChoiceField(choices=["agency", "self", "public"], default="agency")
    from_agency = serializers.IntegerField(required=False, help_text="The referring agency; yours if left out")
    referrer_name = serializers.CharField(required=False, allow_blank=True)
    referrer_contact = serializers.CharField(required=False, allow_blank=True)
    reason = serializers.CharField()
    consent_given = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    person = serializers.IntegerField(required=False, help_text="A person you may already see")
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


@extend_schema(tags=["referrals"], parameters=[MODIFIED_SINCE])
class ReferralList(AuditedListView, generics.CreateAPIView):
    """Referrals sent to your team, and those your team made. POST makes one, as the referral form does."""

    serializer_class = ReferralSerializer
    audit_subject = "referrals"

    def visible(self) -> Any:
        return policy.visible_referrals(self.request.user).select_related(
            "to_team", "from_team", "from_agency", "case_type", "case"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        page = getattr(self, "_page", None)
        if page is not None:
            context["visible_case_ids"] = _with_case_ids(self.request.user, page)
        return context

    def paginate_queryset(self, queryset: Any) -> Any:
        self._page = super().paginate_queryset(queryset)
        return self._page

    @extend_schema(request=ReferralCreateSerializer, responses={201: ReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        if not policy.can_create_case(user):
            raise PermissionDenied("Only casework users in a team can make referrals.")
        data = _data(request)
        data.setdefault("source", "agency")
        data.setdefault("consent_given", "unknown")
        data.setdefault("from_agency", user.agency_id or "")
        form = ReferralForm(data, user=user)
        if not form.is_valid():
            raise _form_errors(form)
        with transaction.atomic():
            person = form.cleaned_data["person"]
            if person is None and form.has_details():
                person = people_actions.create_person(
                    user, partnership=user.partnership, request=http_request(request), **form.person_details()
                )
            referral = case_actions.create_referral(
                user, person=person, request=http_request(request), **form.referral_fields()
            )
        return Response(ReferralSerializer(referral, context={"visible_case_ids": set()}).data, status=201)


@extend_schema(tags=["referrals"])
class ReferralDetail(ApiMixin, generics.GenericAPIView):
    """A referral your team sent or received, with its decision (and the case's reference if you may see it)."""

    serializer_class = ReferralSerializer

    def get(self, request: Request, pk: int) -> Response:
        referral = policy.get_referral_for_user(http_request(request), pk)
        context = {"visible_case_ids": _with_case_ids(request.user, [referral])}
        return Response(ReferralSerializer(referral, context=context).data)


class HubReferralCreateSerializer(serializers.Serializer):
    """The fields of the Victim Care Hub referral form."""

    from_agency = serializers.IntegerField(required=False, help_text="The referring agency; yours if left out")
    referrer_name = serializers.CharField()
    referrer_contact = serializers.CharField(help_text="A phone number or e-mail address")
    consent_given = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    referral_kind = serializers.ChoiceField(choices=["victim", "crime_prevention"], default="victim")
    victim_type = serializers.ChoiceField(choices=["direct", "indirect"], required=False)
    crime_type = serializers.CharField(help_text="A code of the victim_hub_crime_types list, e.g. 'burglary'")
    incident_date = serializers.DateField(required=False, allow_null=True)
    incident_in_area = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    lives_in_area = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    reported_to_police = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    police_reference = serializers.CharField(required=False, allow_blank=True)
    assisting_investigation = serializers.ChoiceField(choices=["yes", "no", "unknown"], default="unknown")
    reason = serializers.CharField()
    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


_HUB_DEFAULTS = {
    "consent_given": "unknown",
    "referral_kind": "victim",
    "incident_in_area": "unknown",
    "lives_in_area": "unknown",
    "reported_to_police": "unknown",
    "assisting_investigation": "unknown",
    "disability": "unknown",
}


@extend_schema(tags=["victim care hub"], parameters=[MODIFIED_SINCE])
class HubReferralList(AuditedListView, generics.CreateAPIView):
    """Hub referrals you may see (pending: the hub team and the sender; accepted: as their case).
    POST refers someone to the Victim Care Hub, as the hub's referral form does."""

    serializer_class = HubReferralSerializer
    audit_subject = "hub referrals"

    def visible(self) -> Any:
        return policy.visible_hub_referrals(self.request.user).select_related(
            "crime_type", "referral__to_team", "referral__from_team", "referral__from_agency", "referral__case_type"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "visible_case_ids": set()}

    @extend_schema(request=HubReferralCreateSerializer, responses={201: HubReferralSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user: Any = request.user
        if not policy.can_create_case(user):
            raise PermissionDenied("Only casework users in a team can refer to the hub.")
        data = {**_HUB_DEFAULTS, **_data(request)}
        data.setdefault("from_agency", user.agency_id or "")
        # The crime type is sent as its code (stable between systems); the form takes the record.
        code = ReferenceCode.objects.filter(
            partnership_id=user.partnership_id,
            code_list=ReferenceList.VICTIM_HUB_CRIME_TYPE,
            code=str(data.get("crime_type", "")),
        ).first()
        if code is not None:
            data["crime_type"] = code.pk
        elif data.get("crime_type") not in ("", None):
            raise ValidationError({"crime_type": ["Choose a crime type from the victim_hub_crime_types list"]})
        form = hub_forms.HubReferralForm(data, user=user)
        if not form.is_valid():
            raise _form_errors(form)
        try:
            with transaction.atomic():
                person = None
                if form.has_details():
                    person = people_actions.create_person(
                        user, partnership=user.partnership, request=http_request(request), **form.person_details()
                    )
                hub = hub_actions.create_hub_referral(
                    user,
                    partnership=user.partnership,
                    referral_fields=form.referral_fields(),
                    hub_fields=form.hub_fields(),
                    person=person,
                    request=http_request(request),
                )
        except hub_actions.HubError as exc:
            raise ValidationError({"non_field_errors": [str(exc)]}) from exc
        return Response(HubReferralSerializer(hub, context={"visible_case_ids": set()}).data, status=201)


@extend_schema(tags=["victim care hub"])
class HubReferralDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = HubReferralSerializer

    def get(self, request: Request, pk: int) -> Response:
        hub = get_hub_for_user(http_request(request), pk)
        context = {"visible_case_ids": _with_case_ids(request.user, [hub.referral])}
        return Response(HubReferralSerializer(hub, context=context).data)
