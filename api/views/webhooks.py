"""
Webhooks through the management API (token holders with the webhook permissions, or superusers):

    GET    /api/v1/webhooks/                                   the webhooks
    POST   /api/v1/webhooks/                                   register one (its secret is in this answer only)
    GET    /api/v1/webhooks/<id>/                              one webhook
    PATCH  /api/v1/webhooks/<id>/                              change its name, URL, secret, events or state
    DELETE /api/v1/webhooks/<id>/                              delete it and its delivery log
    GET    /api/v1/webhooks/<id>/deliveries/                   its deliveries, newest first (?status=, ?event=)
    POST   /api/v1/webhooks/<id>/deliveries/<delivery-id>/redeliver/   send one again

Reading needs any of the webhook permissions (view, add, change, delete: the admin's "Webhooks"
permissions), each write its own; a superuser's token may do everything. Writes are recorded in
the webhook's history as made through the API (see `api.audit`).
"""

import uuid

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from webhooks.delivery import redeliver as queue_redelivery
from webhooks.delivery import resume
from webhooks.models import Webhook, WebhookDelivery, WebhookEvent
from webhooks.permissions import webhook_permission_policy

from ..audit import api_write, log_api_action
from ..filters import NoParams, PaginationParams, parse_query_params
from ..pagination import PagePagination
from ..permissions import TokenRequired
from ..problems import InvalidParameters
from ..webhook_serializers import (
    CreatedWebhookSerializer,
    WebhookDeliverySerializer,
    WebhookInputSerializer,
    WebhookSerializer,
)
from ..write_serializers import validate_body
from .common import ApiViewMixin, id_from_path, problem_responses

WEBHOOK_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The webhook id.")
DELIVERY_ID = OpenApiParameter("delivery_id", str, OpenApiParameter.PATH, description="The delivery id (a UUID).")
LIST_PROBLEMS = problem_responses(400, 403)
ONE_WEBHOOK_PROBLEMS = problem_responses(400, 403, 404)


class WebhookPermission(permissions.BasePermission):
    """The webhook permissions of the token's user, as the admin grants them (Settings → Webhooks)."""

    message = "Managing webhooks needs the webhook permissions (Settings → Groups), or a superuser's token."
    # view action → the permissions of which the user needs one
    REQUIRED = {
        "list": {"view", "add", "change", "delete"},
        "retrieve": {"view", "add", "change", "delete"},
        "deliveries": {"view", "add", "change", "delete"},
        "create": {"add"},
        "partial_update": {"change"},
        "redeliver": {"change"},
        "destroy": {"delete"},
    }

    def has_permission(self, request, view):
        required = self.REQUIRED.get(view.action)
        return bool(required) and webhook_permission_policy().user_has_any_permission(request.user, required)


class DeliveryInProgress(APIException):
    """409: the delivery is being sent right now."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This delivery is being sent right now; try again in a moment."
    default_code = "delivery_in_progress"


class DeliveryListParams(PaginationParams):
    status = serializers.ChoiceField(
        choices=WebhookDelivery.Status.choices, required=False, help_text="Only deliveries in this state."
    )
    event = serializers.ChoiceField(choices=WebhookEvent.choices, required=False, help_text="Only this event.")


def webhook_id_from_path(value: str) -> int:
    return id_from_path(value, what="A webhook id")


def delivery_id_from_path(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidParameters({"delivery_id": "A delivery id is a UUID, as in a delivery's `id`."}) from None


class WebhookViewSet(ApiViewMixin, viewsets.GenericViewSet):
    permission_classes = [TokenRequired, WebhookPermission]
    pagination_class = PagePagination
    serializer_class = WebhookSerializer
    lookup_value_regex = "[^/]+"
    private_response = True

    def get_queryset(self):
        return Webhook.objects.all()

    def get_webhook(self, pk: str) -> Webhook:
        return get_object_or_404(self.get_queryset(), pk=webhook_id_from_path(pk))

    @extend_schema(
        parameters=[PaginationParams],
        responses={200: WebhookSerializer(many=True), **LIST_PROBLEMS},
        summary="List webhooks",
    )
    def list(self, request):
        parse_query_params(request, PaginationParams)
        webhooks = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(webhooks, many=True).data)

    @extend_schema(
        request=WebhookInputSerializer,
        responses={201: CreatedWebhookSerializer, **LIST_PROBLEMS},
        summary="Register a webhook",
        description=(
            "The answer carries the webhook's `secret` (generated unless you sent one), `whsec_` and base64 as "
            "Standard Webhooks libraries take it: it is not shown again. Deliveries carry the `webhook-id`, "
            "`webhook-timestamp` and `webhook-signature` headers of the Standard Webhooks specification."
        ),
    )
    def create(self, request):
        parse_query_params(request, NoParams)
        data = validate_body(WebhookInputSerializer(data=request.data))
        with transaction.atomic(), api_write(request):
            webhook = Webhook.objects.create(**data, created_by=request.user)
            log_api_action(webhook, "api.webhook.create", data={"url": webhook.url, "events": webhook.events})
        return Response(
            CreatedWebhookSerializer(webhook, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": request.build_absolute_uri(f"{request.path}{webhook.pk}/")},
        )

    @extend_schema(
        parameters=[WEBHOOK_ID], responses={200: WebhookSerializer, **ONE_WEBHOOK_PROBLEMS}, summary="One webhook"
    )
    def retrieve(self, request, pk=None):
        parse_query_params(request, NoParams)
        return Response(self.get_serializer(self.get_webhook(pk)).data)

    @extend_schema(
        parameters=[WEBHOOK_ID],
        request=WebhookInputSerializer(partial=True),
        responses={200: WebhookSerializer, **ONE_WEBHOOK_PROBLEMS},
        summary="Change a webhook",
        description="Send only the members to change. A new `secret` takes effect with the next delivery attempt.",
    )
    def partial_update(self, request, pk=None):
        parse_query_params(request, NoParams)
        with transaction.atomic(), api_write(request):
            webhook = get_object_or_404(self.get_queryset().select_for_update(), pk=webhook_id_from_path(pk))
            data = validate_body(WebhookInputSerializer(webhook, data=request.data, partial=True))
            for name, value in data.items():
                setattr(webhook, name, value)
            webhook.save()
            # Which members changed, never the secret itself.
            log_api_action(webhook, "api.webhook.edit", data={"fields": sorted(data)})
            resume(webhook)
        return Response(self.get_serializer(webhook).data)

    @extend_schema(
        parameters=[WEBHOOK_ID],
        responses={204: None, **ONE_WEBHOOK_PROBLEMS},
        summary="Delete a webhook",
        description="Its queued deliveries are not sent, and its delivery log goes with it.",
    )
    def destroy(self, request, pk=None):
        parse_query_params(request, NoParams)
        with transaction.atomic(), api_write(request):
            webhook = self.get_webhook(pk)
            log_api_action(webhook, "api.webhook.delete", data={"name": webhook.name, "url": webhook.url})
            webhook.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[WEBHOOK_ID, DeliveryListParams],
        responses={200: WebhookDeliverySerializer(many=True), **ONE_WEBHOOK_PROBLEMS},
        summary="A webhook's deliveries",
        description="Newest first: status, attempts, the receiver's last response code and the last error.",
    )
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        params = parse_query_params(request, DeliveryListParams)
        webhook = self.get_webhook(pk)
        deliveries = webhook.deliveries.order_by("-id")
        if params.get("status"):
            deliveries = deliveries.filter(status=params["status"])
        if params.get("event"):
            deliveries = deliveries.filter(event=params["event"])
        page_of_results = self.paginate_queryset(deliveries)
        return self.get_paginated_response(WebhookDeliverySerializer(page_of_results, many=True).data)

    @extend_schema(
        parameters=[WEBHOOK_ID, DELIVERY_ID],
        request=None,
        responses={202: WebhookDeliverySerializer, **problem_responses(400, 403, 404, 409)},
        summary="Redeliver",
        description=(
            "Queue the delivery to be sent again now, with a fresh set of retries; it keeps its delivery id. "
            "409 while it is being sent."
        ),
    )
    @action(detail=True, methods=["post"], url_path=r"deliveries/(?P<delivery_id>[^/]+)/redeliver")
    def redeliver(self, request, pk=None, delivery_id=None):
        parse_query_params(request, NoParams)
        webhook = self.get_webhook(pk)
        delivery = get_object_or_404(webhook.deliveries, uuid=delivery_id_from_path(delivery_id))
        with transaction.atomic(), api_write(request):
            if not queue_redelivery(delivery):
                raise DeliveryInProgress()
            log_api_action(
                webhook, "api.webhook.redeliver", data={"delivery_id": str(delivery.uuid), "event": delivery.event}
            )
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
