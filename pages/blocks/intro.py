from wagtail import blocks


class IntroBlock(blocks.StructBlock):
    """The lead paragraph that opens a page, set larger than body text."""

    lead = blocks.TextBlock(
        max_length=1200, help_text="One or two sentences that tell the reader what the page offers."
    )

    class Meta:
        icon = "openquote"
        label = "Intro"
        template = "blocks/intro.html"
        description = "The lead paragraph at the top of the page."
        preview_value = {"lead": "Flask development services help you build lean, scalable web applications."}
