from wagtail import blocks

from .image import SectionImageBlock


class TestimonialValue(blocks.StructValue):
    @property
    def role_and_company(self) -> str:
        """'CTO, Acme Ltd', or just the role when no company is given."""
        return ", ".join(part for part in (self.get("role"), self.get("company")) if part)


class TestimonialBlock(blocks.StructBlock):
    """A client's words, with who said them."""

    quote = blocks.TextBlock(max_length=600, help_text="The client's words, without quotation marks.")
    name = blocks.CharBlock(max_length=100, help_text="Who said it, e.g. 'Jane Doe'.")
    role = blocks.CharBlock(max_length=100, help_text="Their job title, e.g. 'CTO'.")
    company = blocks.CharBlock(required=False, max_length=100, help_text="Optional: their company.")
    photo = SectionImageBlock(
        required=False,
        help_text="Optional portrait. A photo next to the name can be marked 'decorative'.",
    )

    class Meta:
        icon = "openquote"
        label = "Testimonial"
        template = "blocks/testimonial.html"
        value_class = TestimonialValue
        description = "A quote from a client with their name, role and an optional photo."
        preview_value = {
            "quote": "They rebuilt our booking system in Flask in eight weeks, and it has not gone down since.",
            "name": "Jane Doe",
            "role": "CTO",
            "company": "Acme Travel",
            "photo": None,
        }
