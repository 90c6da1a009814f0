import copy

from wagtail import blocks
from wagtail.images.blocks import ImageBlock

from pages.images import IMAGE_SCHEMA, image_api_representation


class SectionImageBlock(ImageBlock):
    """
    Wagtail's ImageBlock (image, alt text or 'decorative') with the API's image JSON.

    Every section that shows an image uses this block, so the API always gives renditions,
    size, alt text and focal point (`pages.images`), never a bare image id.
    `SectionImageBlock(required=False)` makes the image optional; its API value is then null when empty.
    """

    @property
    def required(self) -> bool:
        return self.child_blocks["image"].required

    def deconstruct(self):
        # ImageBlock keeps `required` out of its constructor kwargs; put it back so that
        # migrations record an optional image as optional.
        path, args, kwargs = super().deconstruct()
        if not self.required:
            kwargs = {**kwargs, "required": False}
        return path, args, kwargs

    def get_api_representation(self, value, context=None):
        return image_api_representation(value, context)

    def get_api_schema(self, default_schema):
        schema = copy.deepcopy(IMAGE_SCHEMA)
        if not self.required:
            schema["type"] = ["object", "null"]
            schema["description"] += " Null when no image was chosen."
        return schema


class ImageWithCaptionValue(blocks.StructValue):
    @property
    def has_caption(self) -> bool:
        return bool(self.get("caption") or self.get("attribution"))


class ImageWithCaptionBlock(blocks.StructBlock):
    """A single image across the text column, with an optional caption and credit."""

    image = SectionImageBlock(
        help_text="Describe what the image shows in the alt text, or tick 'decorative' if it adds nothing."
    )
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Optional text shown under the image, e.g. what it illustrates."
    )
    attribution = blocks.CharBlock(
        required=False, max_length=200, help_text="Optional credit, e.g. 'Photo: Jane Doe / Unsplash'."
    )

    class Meta:
        icon = "image"
        label = "Image"
        template = "blocks/image.html"
        value_class = ImageWithCaptionValue
        description = "An image with an optional caption and credit."
        preview_value = {"caption": "Our team planning a Flask project.", "attribution": "Photo: NextBigIt"}
