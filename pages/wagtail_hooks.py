from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button

from cms import cache_tags

from . import admin_views
from .frontend_preview import URL_NAME, preview_in_front_end, preview_url
from .models import Lead


@hooks.register("before_serve_page")
def record_page_dependency(page, request, serve_args, serve_kwargs):
    """A rendered page depends on itself and its ancestors (breadcrumbs, URLs): tag it for the response cache."""
    cache_tags.add_page(page)


@hooks.register("insert_editor_js")
def length_hints_js():
    """Live character counts for the SEO title and meta description."""
    return format_html('<script src="{}" defer></script>', static("pages/admin/length-hints.js"))


@hooks.register("register_admin_urls")
def preview_in_front_end_urls():
    # Wagtail wraps admin URLs in its admin-access check: anonymous users are sent to the login page.
    return [path("preview-in-front-end/<int:page_id>/", preview_in_front_end, name=URL_NAME)]


@hooks.register("register_page_header_buttons")
def preview_in_front_end_button(page, user, view_name, next_url=None):
    """'Preview in front end' in the page header's actions menu (edit view and page explorer), for its editors."""
    if page.latest_revision_id and page.permissions_for_user(user).can_edit():
        yield Button(
            "Preview in front end",
            preview_url(page),
            icon_name="link-external",
            attrs={"target": "_blank", "rel": "noopener"},
            priority=12,
        )


@hooks.register("register_admin_urls")
def import_article_urls():
    return [
        path(
            "import-article/<int:parent_page_id>/",
            admin_views.ImportArticleView.as_view(),
            name=admin_views.URL_NAME,
        )
    ]


class ImportArticleButton(PageMenuItem):
    """'Import article' on a services index, for users who may add service pages there."""

    label = "Import article"
    icon_name = "upload"
    url_name = admin_views.URL_NAME

    def is_shown(self, user):
        return admin_views.can_import_under(self.page, user)


@hooks.register("register_page_header_buttons")
def import_article_header_button(page, user, view_name, next_url=None):
    yield ImportArticleButton(page=page, priority=16)


@hooks.register("register_page_listing_more_buttons")
def import_article_listing_button(page, user, next_url=None):
    yield ImportArticleButton(page=page, priority=9)


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
