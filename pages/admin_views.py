"""
"Import article" in the Wagtail admin: upload an article, get a draft service page, continue in its editor.

Reached from the services index (its header's actions and its row's "More" menu in the page
explorer), for users who may add pages there. The draft is made by the same importer as
`manage.py import_article` (`pages.importers.service_page`).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from .import_forms import ArticleUploadForm
from .importers import ArticleImportError
from .importers.service_page import import_service_page, is_markdown_file
from .models import ServicePage

URL_NAME = "pages_import_article"


def can_import_under(page: Page, user) -> bool:
    """Whether `user` may import an article as a new service page under `page`."""
    return ServicePage.can_create_at(page) and page.permissions_for_user(user).can_add_subpage()


class ImportArticleView(WagtailAdminTemplateMixin, FormView):
    template_name = "pages/admin/import_article.html"
    form_class = ArticleUploadForm
    page_title = "Import article"
    header_icon = "upload"

    def dispatch(self, request, parent_page_id: int, *args, **kwargs):
        self.parent_page = get_object_or_404(Page, pk=parent_page_id).specific
        if not ServicePage.can_create_at(self.parent_page):
            raise Http404("Service pages cannot be created under this page.")
        if not can_import_under(self.parent_page, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.parent_page.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_explore", args=[self.parent_page.pk]),
                "label": self.parent_page.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            action_url=self.request.path,
            media=context["form"].media,
            parent_page=self.parent_page,
            submit_button_label="Import as draft",
            submit_button_active_label="Importing…",
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            result = import_service_page(
                upload.read(),
                title=form.cleaned_data["title"] or None,
                slug=form.cleaned_data["slug"] or None,
                summary=form.cleaned_data["summary"] or None,
                parent=self.parent_page,
                user=self.request.user,
                is_markdown=is_markdown_file(upload.name),
            )
        except ArticleImportError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
            return self.form_invalid(form)
        page = result.page
        messages.success(
            self.request,
            f"Draft '{page.get_admin_display_title()}' created from {upload.name}, with {len(page.sections)} "
            "sections. It is not published: check it, then submit it for moderation.",
            buttons=[messages.button(reverse("wagtailadmin_pages:view_draft", args=[page.pk]), "View draft")],
        )
        for gap in result.missing_headings:
            messages.warning(self.request, f"{gap.describe()} (it reads 'Heading needed').")
        for warning in result.warnings:
            messages.warning(self.request, warning)
        return redirect("wagtailadmin_pages:edit", page.pk)

    def form_invalid(self, form):
        messages.validation_error(self.request, "The article could not be imported. See the errors below.", form)
        return super().form_invalid(form)
