from django.templatetags.static import static
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from core import cache_tags

from . import admin_views


@hooks.register("before_serve_page")
def record_page_dependency(page, request, serve_args, serve_kwargs):
    """A rendered page depends on itself and its ancestors (breadcrumbs, URLs): tag it for the response cache."""
    cache_tags.add_page(page)


@hooks.register("insert_editor_js")
def length_hints_js():
    """Live character counts for the SEO title and meta description."""
    return format_html('<script src="{}" defer></script>', static("pages/admin/length-hints.js"))


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
