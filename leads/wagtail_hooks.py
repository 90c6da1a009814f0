"""The leads admin, and what this app adds to the seeded site and to content exports (hooks `pages` calls)."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Lead
from .seed import ensure_contact_page


class LeadViewSet(ModelViewSet):
    """Enquiries from the contact form: list, search, filter, export to CSV/XLSX, correct or delete (on request)."""

    model = Lead
    icon = "mail"
    menu_label = "Leads"
    menu_order = 250
    add_to_admin_menu = True
    inspect_view_enabled = True
    list_display = ["name", "email", "company", "budget", "service", "created_at", "notified_at"]
    list_filter = ["budget", "created_at"]
    search_fields = ["name", "email", "company", "message"]
    search_backend_name = None  # plain database search over the fields above
    list_export = [
        "created_at",
        "name",
        "email",
        "company",
        "budget",
        "message",
        "consent",
        "service",
        "notification_error",
    ]
    export_filename = "leads"
    form_fields = ["name", "email", "company", "budget", "message", "consent", "service"]


@hooks.register("register_admin_viewset")
def register_lead_viewset():
    return LeadViewSet("leads")


@hooks.register("seed_site_pages")
def seed_contact_page(home, report):
    """`load_initial_data` creates the contact page beside the services index, before the service pages link to it."""
    ensure_contact_page(home, report)


@hooks.register("register_transfer_records")
def transfer_leads():
    """Leads go into content exports (and come back on import) as the `leads` section."""
    return {"leads": Lead}


@hooks.register("register_moved_models")
def models_taken_over_from_pages():
    """Exports made before this app existed name its models under `pages`."""
    return {"pages.contactpage": "leads.contactpage", "pages.lead": "leads.lead"}
