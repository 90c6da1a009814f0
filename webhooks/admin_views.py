"""
Webhooks in the Wagtail admin (Settings → Webhooks), for superusers and users with the webhook permissions.

- The webhooks: add, edit (URL, secret, events, active), delete; the listing shows each one's last delivery.
- The delivery log (`deliveries/`): every delivery with its status, attempts, response code and last
  error, filtered by webhook, status and event; one delivery in full, payload included (`deliveries/<id>/`).
- Redeliver (`deliveries/<id>/redeliver/`): a confirmation page, then a POST that sends it again.

The delivery log needs any of the webhook permissions; redelivering needs the "change" one.
"""

import json

from django import forms
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.views.generic import TemplateView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log

from .delivery import redeliver, resume
from .models import Webhook, WebhookDelivery, WebhookEvent
from .permissions import webhook_permission_policy

# The viewset's name: its URL namespace and prefix (/admin/webhooks/).
NAME = "webhooks"
REDELIVER_ACTION = "webhooks.redeliver"


class WebhookForm(WagtailAdminModelForm):
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text=Webhook._meta.get_field("url").help_text
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=Webhook._meta.get_field("events").help_text,
    )

    class Meta:
        model = Webhook
        fields = ["name", "url", "secret", "events", "is_active"]
        widgets = {"secret": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})}


def events_text(webhook: Webhook) -> str:
    labels = dict(WebhookEvent.choices)
    return ", ".join(str(labels.get(event, event)) for event in webhook.events)


def last_delivery_text(webhook: Webhook) -> str:
    """The status of the webhook's newest delivery (annotated by `WebhookIndexView`), for people."""
    status = webhook.last_delivery_status
    return WebhookDelivery.Status(status).label if status else "None yet"


class WebhookIndexView(generic.IndexView):
    @cached_property
    def header_buttons(self):
        log_button = HeaderButton("Delivery log", url=reverse(f"{NAME}:deliveries"), icon_name="list-ul")
        return [*super().header_buttons, log_button]

    def get_base_queryset(self):
        latest = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-id")
        return (
            super()
            .get_base_queryset()
            .annotate(
                last_delivery_status=Subquery(latest.values("status")[:1]),
                last_delivery_at=Subquery(latest.values("created_at")[:1]),
            )
        )

    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                "Deliveries",
                url=f"{reverse(f'{NAME}:deliveries')}?webhook={instance.pk}",
                icon_name="list-ul",
                priority=15,
            ),
        ]


class WebhookCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class WebhookEditView(generic.EditView):
    def save_instance(self):
        webhook = super().save_instance()
        resume(webhook)
        return webhook


class DeliveryViewMixin:
    """Delivery views answer to the webhook permissions (deliveries have none of their own) and sit under Webhooks."""

    @cached_property
    def permission_policy(self):
        return webhook_permission_policy()

    def get_breadcrumbs_items(self):
        items = super().get_breadcrumbs_items()
        return [*items[:1], {"url": reverse(f"{NAME}:index"), "label": "Webhooks"}, *items[1:]]

    def redeliver_url(self, delivery: WebhookDelivery) -> str | None:
        """Where "Redeliver" leads, if the user may redeliver and the delivery is not being sent right now."""
        if self.user_has_permission("change") and delivery.status != WebhookDelivery.Status.DELIVERING:
            return reverse(f"{NAME}:redeliver", args=[delivery.pk])
        return None


class DeliveryIndexView(DeliveryViewMixin, generic.IndexView):
    model = WebhookDelivery
    page_title = "Webhook deliveries"
    header_icon = "list-ul"
    index_url_name = f"{NAME}:deliveries"
    index_results_url_name = f"{NAME}:deliveries_results"
    inspect_url_name = f"{NAME}:delivery"
    list_filter = ["webhook", "status", "event"]
    default_ordering = "-id"

    @cached_property
    def columns(self):
        return [
            self._get_title_column("subject", width="22%"),
            Column("event", label="Event", accessor="get_event_display"),
            StatusTagColumn(
                "status",
                accessor="get_status_display",
                primary=lambda delivery: delivery.status == WebhookDelivery.Status.SUCCEEDED,
            ),
            Column("webhook", label="Webhook"),
            Column("attempts", label="Attempts"),
            Column("last_response_code", label="Response"),
            Column("last_error", label="Last error"),
            DateColumn("created_at", label="Created", sort_key="id"),
            DateColumn("delivered_at", label="Delivered"),
        ]

    def get_base_queryset(self):
        return WebhookDelivery.objects.select_related("webhook")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := self.redeliver_url(instance):
            buttons.append(MenuItem("Redeliver", url=url, icon_name="resubmit", priority=40))
        return buttons


class DeliveryInspectView(DeliveryViewMixin, generic.InspectView):
    model = WebhookDelivery
    header_icon = "list-ul"
    index_url_name = f"{NAME}:deliveries"
    fields = [
        "uuid",
        "webhook",
        "event",
        "status",
        "attempts",
        "last_response_code",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "delivered_at",
        "payload",
    ]

    def get_payload_display_value(self):
        return format_html("<pre>{}</pre>", json.dumps(self.object.payload, indent=2, ensure_ascii=False))

    def get_next_attempt_at_display_value(self):
        if self.object.status != WebhookDelivery.Status.PENDING:
            return "—"
        return self.object.next_attempt_at

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value

    @cached_property
    def header_buttons(self):
        url = self.redeliver_url(self.object)
        return [HeaderButton("Redeliver", url=url, icon_name="resubmit")] if url else []


class RedeliverView(
    DeliveryViewMixin, PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView
):
    """GET: "Send this delivery again?"; POST: queue it, with a fresh set of retries, and log who did."""

    model = WebhookDelivery
    permission_required = "change"
    template_name = "webhooks/confirm_redeliver.html"
    page_title = "Redeliver"
    header_icon = "resubmit"

    def get_base_object_queryset(self):
        return WebhookDelivery.objects.select_related("webhook")

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse(f"{NAME}:deliveries"), "label": "Webhook deliveries"},
            {"url": reverse(f"{NAME}:delivery", args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def post(self, request, *args, **kwargs):
        delivery = self.object
        if redeliver(delivery):
            log(
                delivery.webhook,
                REDELIVER_ACTION,
                user=request.user,
                data={"delivery_id": str(delivery.uuid), "event": delivery.event},
            )
            messages.success(request, f"Delivery {delivery.uuid} is queued to be sent again.")
        else:
            messages.error(request, f"Delivery {delivery.uuid} is being sent right now; try again in a moment.")
        return redirect(f"{NAME}:delivery", delivery.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            object=self.object,
            cancel_url=reverse(f"{NAME}:delivery", args=[self.object.pk]),
            redeliver_url=reverse(f"{NAME}:redeliver", args=[self.object.pk]),
        )
        return context


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = "Webhooks"
    menu_order = 605
    add_to_settings_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    # Read-only for people with the "view" permission (which Wagtail offers only with this view); never the secret.
    inspect_view_enabled = True
    inspect_view_fields_exclude = ["secret"]
    index_view_class = WebhookIndexView
    add_view_class = WebhookCreateView
    edit_view_class = WebhookEditView
    list_display = [
        "name",
        "url",
        Column("events", label="Events", accessor=events_text),
        BooleanColumn("is_active", label="Active"),
        StatusTagColumn(
            "last_delivery_status",
            label="Last delivery",
            accessor=last_delivery_text,
            primary=lambda webhook: webhook.last_delivery_status == WebhookDelivery.Status.SUCCEEDED,
        ),
        DateColumn("last_delivery_at", label="Last event"),
    ]
    search_fields = ["name", "url"]
    search_backend_name = None

    def get_form_class(self, for_update=False):
        return WebhookForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("deliveries/", DeliveryIndexView.as_view(), name="deliveries"),
            path("deliveries/results/", DeliveryIndexView.as_view(results_only=True), name="deliveries_results"),
            path("deliveries/<int:pk>/", DeliveryInspectView.as_view(), name="delivery"),
            path("deliveries/<int:pk>/redeliver/", RedeliverView.as_view(), name="redeliver"),
        ]
