"""Webhook subscriptions of a partner system: events about its own agency that its user may see."""

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from saferhub import policy
from saferhub.api import webhooks
from saferhub.api.serializers import WebhookCreatedSerializer, WebhookSerializer
from saferhub.api.views.common import ApiMixin, http_request


@extend_schema(tags=["webhooks"])
class WebhookList(ApiMixin, generics.ListAPIView):
    """Your subscriptions (an administrator: the partnership's). POST subscribes; the secret is shown once."""

    serializer_class = WebhookSerializer

    def get_queryset(self) -> Any:
        return policy.visible_webhooks(self.request.user).filter(active=True).select_related("agency")

    @extend_schema(request=WebhookSerializer, responses={201: WebhookCreatedSerializer})
    def post(self, request: Request) -> Response:
        if not policy.can_subscribe_webhooks(request.user):
            raise PermissionDenied("Only casework users of an agency can subscribe to events.")
        given = WebhookSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            sub, secret = webhooks.subscribe(
                request.user,
                url=given.validated_data["url"],
                events=given.validated_data["events"],
                request=http_request(request),
            )
        except webhooks.WebhookError as exc:
            raise ValidationError({"url": [str(exc)]}) from exc
        sub.secret = secret
        return Response(WebhookCreatedSerializer(sub).data, status=201)


@extend_schema(tags=["webhooks"])
class WebhookDetail(ApiMixin, generics.GenericAPIView):
    serializer_class = WebhookSerializer

    def get(self, request: Request, pk: int) -> Response:
        return Response(WebhookSerializer(policy.get_webhook_for_user(request.user, pk)).data)

    def delete(self, request: Request, pk: int) -> Response:
        """Stop the subscription: no more events are sent."""
        webhooks.unsubscribe(request.user, policy.get_webhook_for_user(request.user, pk), request=http_request(request))
        return Response(status=204)
