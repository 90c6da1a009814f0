"""Factories for pages and their sections (factory-boy / wagtail-factories)."""

import factory
import wagtail_factories
from wagtail.rich_text import RichText

from pages import blocks
from pages.models import HomePage, ServiceIndexPage, ServicePage


class IntroBlockFactory(wagtail_factories.StructBlockFactory):
    lead = "We build lean, scalable web applications."

    class Meta:
        model = blocks.IntroBlock


class TextSectionBlockFactory(wagtail_factories.StructBlockFactory):
    heading = factory.Sequence(lambda n: f"Section {n}")
    body = factory.LazyFunction(lambda: RichText("<p>Some <b>bold</b> words.</p>"))

    class Meta:
        model = blocks.TextSectionBlock


class FeatureItemBlockFactory(wagtail_factories.StructBlockFactory):
    title = factory.Sequence(lambda n: f"Point {n}")
    text = "Why it matters."

    class Meta:
        model = blocks.FeatureItemBlock


class FeatureListBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Advantages"
    intro = "Listed below:"
    kind = blocks.FeatureKind.ADVANTAGES
    items = wagtail_factories.ListBlockFactory(FeatureItemBlockFactory)

    class Meta:
        model = blocks.FeatureListBlock


class CallToActionBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Hire us"
    text = "We would love to help."
    button_label = "Talk to us"
    button_url = "/contact/"
    button_page = None

    class Meta:
        model = blocks.CallToActionBlock


class ServiceSectionsFactory(wagtail_factories.StreamBlockFactory):
    intro = factory.SubFactory(IntroBlockFactory)
    text = factory.SubFactory(TextSectionBlockFactory)
    feature_list = factory.SubFactory(FeatureListBlockFactory)
    call_to_action = factory.SubFactory(CallToActionBlockFactory)

    class Meta:
        model = blocks.ServiceSectionsBlock


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    slug = "home"
    intro = "We are an agency."

    class Meta:
        model = HomePage


class ServiceIndexPageFactory(wagtail_factories.PageFactory):
    title = "Services"
    slug = "services"

    class Meta:
        model = ServiceIndexPage


class ServicePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Service {n}")
    slug = factory.Sequence(lambda n: f"service-{n}")
    summary = "A service we offer."
    sections = wagtail_factories.StreamFieldFactory(ServiceSectionsFactory)

    class Meta:
        model = ServicePage
