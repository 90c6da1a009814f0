from wagtail.snippets.blocks import SnippetChooserBlock

from .call_to_action import CallToActionBlock

# The section whose JSON, schema and template a shared call to action reuses.
CALL_TO_ACTION = CallToActionBlock()


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
        return {**shared_call_to_action_json(value, context), "snippet_id": value.pk}

    def get_api_schema(self, default_schema):
        schema = CALL_TO_ACTION.get_api_schema(default_schema)
        schema["properties"]["snippet_id"] = {"type": "integer", "description": "Id of the shared call to action."}
        schema["required"] = [*schema["required"], "snippet_id"]
        schema["type"] = ["object", "null"]
        return schema


def shared_call_to_action_json(snippet, context=None) -> dict:
    """A shared call to action (the snippet) in the JSON of a `call_to_action` section: the block's own."""
    return CALL_TO_ACTION.get_api_representation(CALL_TO_ACTION.value_of_snippet(snippet), context)
