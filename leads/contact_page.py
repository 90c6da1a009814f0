from urllib.parse import urlencode

from django.conf import settings
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from core.ratelimit import client_ip, hit
from pages.models import ServicePage
from pages.models.routing import ExpiryAwareRoutingMixin
from pages.models.seo import SeoMixin
from pages.visibility import only_visible

from .forms import LeadForm
from .notifications import notify_team


class ContactPage(ExpiryAwareRoutingMixin, RoutablePageMixin, SeoMixin, Page):
    """
    The contact form (`/contact/`, `/contact/?service=flask`) and its thank-you page (`/contact/thanks/`).

    Works without JavaScript. A submission is stored as a `Lead` before the team is e-mailed;
    a honeypot field and a per-IP limit keep bots out without any third-party service.
    """

    intro = models.TextField(max_length=1000, blank=True, help_text="A sentence or two above the form.")
    thank_you_heading = models.CharField(max_length=120, default="Thank you, we'll be in touch")
    thank_you_text = models.TextField(
        max_length=1000, default="We read every message and reply within one working day."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("thank_you_heading"),
        FieldPanel("thank_you_text"),
    ]
    promote_panels = SeoMixin.promote_panels
    api_fields = ["intro"]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        # Created by the pages app before leads had an app of its own; the table kept its name.
        db_table = "pages_contactpage"
        verbose_name = "contact page"

    def enquiry_url(self, site, service_slug: str) -> str:
        """Where a call to action about the service `service_slug` sends visitors (pages' importer asks)."""
        return f"{self.relative_url(site)}?{urlencode({'service': service_slug})}"

    def service_for(self, request) -> ServicePage | None:
        slug = request.GET.get("service", "")[:255]
        if not slug:
            return None
        return only_visible(ServicePage.objects.filter(slug=slug)).first()

    def heading_for(self, service: ServicePage | None) -> str:
        if service is not None and service.technology_name:
            return f"Hire {service.technology_name} developers"
        return self.title

    @path("")
    def form_view(self, request):
        service = self.service_for(request)
        status = 200
        if request.method == "POST":
            form = LeadForm(request.POST)
            limit = hit("lead-form", client_ip(request), settings.LEAD_FORM_RATE_LIMIT, settings.LEAD_FORM_RATE_PERIOD)
            if limit is not None and not limit.allowed:
                form.add_error(None, "You have sent several messages in a short time. Please try again in an hour.")
                status = 429
            elif form.is_valid():
                if not form.is_spam:
                    lead = form.save(commit=False)
                    lead.service = service
                    lead.save()
                    notify_team(lead, self.get_site())
                return redirect(self.url + self.reverse_subpage("thanks"))
            else:
                status = 400
        else:
            form = LeadForm()
        context = self.get_context(request)
        context.update({"form": form, "service": service, "heading": self.heading_for(service)})
        return TemplateResponse(request, "leads/contact_page.html", context, status=status)

    @path("thanks/", name="thanks")
    def thanks_view(self, request):
        return TemplateResponse(request, "leads/contact_thanks.html", self.get_context(request))
