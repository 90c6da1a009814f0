"""Factories for pages and their sections (factory-boy / wagtail-factories)."""

import factory
import wagtail_factories
from wagtail.rich_text import RichText

from pages import blocks
from pages.models import HomePage, ServiceIndexPage, ServicePage
from webhooks.models import WebhookEvent
from webhooks.signing import generate_secret


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
    icon = ""

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


class SectionImageBlockFactory(wagtail_factories.ImageBlockFactory):
    """An image with alt text (not decorative unless asked, so tests are deterministic)."""

    decorative = False
    alt_text = "Two developers at a whiteboard"

    class Meta:
        model = blocks.SectionImageBlock


class LinkButtonBlockFactory(wagtail_factories.StructBlockFactory):
    label = "Talk to us"
    page = None
    url = "/contact/"

    class Meta:
        model = blocks.LinkButtonBlock


class HeroBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Flask apps that scale"
    lead = "Senior developers, lean code."
    image = None
    primary_button = factory.SubFactory(LinkButtonBlockFactory)
    secondary_button = factory.SubFactory(LinkButtonBlockFactory, label="", url="")

    class Meta:
        model = blocks.HeroBlock

    class Params:
        with_image = factory.Trait(image=factory.SubFactory(SectionImageBlockFactory))


class FAQItemBlockFactory(wagtail_factories.StructBlockFactory):
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = factory.LazyFunction(lambda: RichText("<p>An <b>answer</b>.</p>"))

    class Meta:
        model = blocks.FAQItemBlock


class FAQBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "Questions"
    items = wagtail_factories.ListBlockFactory(FAQItemBlockFactory)

    class Meta:
        model = blocks.FAQBlock


class TestimonialBlockFactory(wagtail_factories.StructBlockFactory):
    quote = "They shipped on time."
    name = "Jane Doe"
    role = "CTO"
    company = "Acme"
    photo = None

    class Meta:
        model = blocks.TestimonialBlock

    class Params:
        with_photo = factory.Trait(photo=factory.SubFactory(SectionImageBlockFactory, decorative=True))


class KeyFigureBlockFactory(wagtail_factories.StructBlockFactory):
    value = factory.Sequence(lambda n: f"{n + 1}0+")
    label = "Projects delivered"

    class Meta:
        model = blocks.KeyFigureBlock


class KeyFiguresBlockFactory(wagtail_factories.StructBlockFactory):
    heading = "In numbers"
    items = wagtail_factories.ListBlockFactory(KeyFigureBlockFactory)

    class Meta:
        model = blocks.KeyFiguresBlock


class CodeBlockFactory(wagtail_factories.StructBlockFactory):
    language = "python"
    caption = "A minimal app"
    code = "app = Flask(__name__)\n"

    class Meta:
        model = blocks.CodeBlock


class ImageWithCaptionBlockFactory(wagtail_factories.StructBlockFactory):
    image = factory.SubFactory(SectionImageBlockFactory)
    caption = "Planning a release."
    attribution = ""

    class Meta:
        model = blocks.ImageWithCaptionBlock


class ServiceSectionsFactory(wagtail_factories.StreamBlockFactory):
    hero = factory.SubFactory(HeroBlockFactory)
    intro = factory.SubFactory(IntroBlockFactory)
    text = factory.SubFactory(TextSectionBlockFactory)
    image = factory.SubFactory(ImageWithCaptionBlockFactory)
    code = factory.SubFactory(CodeBlockFactory)
    feature_list = factory.SubFactory(FeatureListBlockFactory)
    key_figures = factory.SubFactory(KeyFiguresBlockFactory)
    testimonial = factory.SubFactory(TestimonialBlockFactory)
    faq = factory.SubFactory(FAQBlockFactory)
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


# One section of each type ServiceSectionsFactory builds, in the section library's order, each showing what it can
# (images, both buttons, list items): the values for `service_page_with_every_section`.
EVERY_SECTION = {
    "hero": {"with_image": True, "secondary_button__label": "See our work", "secondary_button__url": "/work/"},
    "intro": {"lead": "Lead."},
    "text": {"heading": "Text"},
    "image": {"caption": "An image"},
    "code": {"code": "print('hi')"},  # as the admin stores it: TextBlock strips the ends
    "feature_list": {"items__0__icon": "shield"},
    "key_figures": {"items__0__label": "Projects"},
    "testimonial": {"with_photo": True},
    "faq": {"items__0__question": "Why?"},
    "call_to_action": {"heading": "Hire us"},
}


def service_page_with_every_section(parent, *, sections=None, shared_call_to_action=None, **kwargs) -> ServicePage:
    """
    A saved service page under `parent` with one section of every type, in the order of `EVERY_SECTION`.

    `sections` replaces the values of some types: `{"code": {"code": "x = 1"}}`, or a list of values for several
    sections of that type in a row. `shared_call_to_action` (a CallToAction) is appended as the last section.
    Other keyword arguments go to `ServicePageFactory`.
    """
    values_by_type = {**EVERY_SECTION, **(sections or {})}
    declarations = {}
    index = 0
    for block_type, values in values_by_type.items():
        for section_values in values if isinstance(values, list) else [values]:
            declarations[f"sections__{index}"] = block_type
            declarations.update(
                {f"sections__{index}__{block_type}__{name}": value for name, value in section_values.items()}
            )
            index += 1
    page = ServicePageFactory(parent=parent, **declarations, **kwargs)
    if shared_call_to_action is not None:
        page.sections.append(("shared_call_to_action", shared_call_to_action))
        page.save()
    return page


class UserFactory(factory.django.DjangoModelFactory):
    """A user; pass `groups=["Editors"]` to put them in groups by name (the moderation groups exist after migrate)."""

    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("a-long-test-password")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            from django.contrib.auth.models import Group

            self.groups.add(*Group.objects.filter(name__in=names))


class APITokenFactory(factory.django.DjangoModelFactory):
    """A Wagtail API token; the plaintext to send is left on the instance as `plaintext`."""

    class Meta:
        model = "wagtailcore.APIToken"

    user = factory.SubFactory(UserFactory)
    name = "Test token"

    @classmethod
    def _create(cls, model_class, *args, user, name, **kwargs):
        token, plaintext = model_class.create_token(user=user, name=name)
        token.plaintext = plaintext
        return token


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app (django-otp TOTP) for a user; its random key is made by the model."""

    class Meta:
        model = "otp_totp.TOTPDevice"

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class WebhookFactory(factory.django.DjangoModelFactory):
    """An active webhook subscribed to every event; pass `url=receiver.url` to point it at a test receiver."""

    class Meta:
        model = "webhooks.Webhook"

    name = factory.Sequence(lambda n: f"Receiver {n}")
    url = "https://hooks.example.com/cms/"
    secret = factory.LazyFunction(generate_secret)
    events = factory.LazyFunction(lambda: [event.value for event in WebhookEvent])
