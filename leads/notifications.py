"""
What happens to a lead after the form validates: store it, then tell the team.

The lead is committed to the database first. The notification e-mail comes after, and its
failure is logged and recorded on the lead (`notification_error`), never shown to the visitor
and never losing the lead.
"""

import logging

from django.core.mail import send_mail
from django.utils import timezone

from pages.models import SiteSettings

from .lead import Lead

logger = logging.getLogger(__name__)


def notify_team(lead: Lead, site) -> None:
    recipient = SiteSettings.for_site(site).contact_email if site is not None else ""
    if not recipient:
        logger.warning("Lead %s stored, but no contact e-mail is set in the site settings.", lead.pk)
        Lead.objects.filter(pk=lead.pk).update(notification_error="No contact e-mail in the site settings.")
        return
    service = f" about {lead.service.title}" if lead.service_id else ""
    body = (
        f"{lead.name} <{lead.email}> ({lead.company or 'no company given'}) wrote{service}.\n"
        f"Budget: {lead.get_budget_display()}\n\n{lead.message}\n"
    )
    try:
        send_mail(f"New enquiry from {lead.name}", body, None, [recipient], fail_silently=False)
    except Exception as error:  # any mail failure is logged; the lead is already safe
        logger.exception("Lead %s stored, but the notification e-mail failed.", lead.pk)
        Lead.objects.filter(pk=lead.pk).update(notification_error=str(error)[:500])
        return
    Lead.objects.filter(pk=lead.pk).update(notified_at=timezone.now())
