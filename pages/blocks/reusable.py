from wagtail.snippets.blocks import SnippetChooserBlock

from .links import button_api_representation


class ReusableCallToActionBlock(SnippetChooserBlock):
    """
    A shared call to action (a snippet): edit the snippet once and every page that uses it changes.

    Renders with the call-to-action section's template (the snippet has the attributes it reads),
    and its API value has the same shape as a `call_to_action` section's plus `snippet_id`, so
    front ends need one component for both.
    """

    def __init__(self, **kwargs):
        super().__init__("pages.CallToAction", **kwargs)

    class Meta:
        icon = "pick"
        label = "Shared call to action"
        template = "blocks/call_to_action.html"
        description = "A call to action shared by several pages, managed under Snippets."

    def render(self, value, context=None):
        # A deleted snippet leaves nothing to show, rather than an empty box.
        return super().render(value, context) if value is not None else ""

    def get_api_representation(self, value, context=None):
        if value is None:
            return None
        return {
            "heading": value.heading,
            "text": value.text,
            "anchor": value.anchor,
            "button": button_api_representation(value.button_label, value.link_page, value.link_url, context),
            "snippet_id": value.pk,
        }

    def get_api_schema(self, default_schema):
        from .call_to_action import CallToActionBlock

        schema = CallToActionBlock().get_api_schema(default_schema)
        schema["properties"]["snippet_id"] = {"type": "integer", "description": "Id of the shared call to action."}
        schema["required"] = [*schema["required"], "snippet_id"]
        schema["type"] = ["object", "null"]
        return schema
