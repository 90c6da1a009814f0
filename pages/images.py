"""
Images as API consumers receive them: renditions, never database ids or original files.

`image_api_representation(image, context)` gives the URL, size and alt text of a safe
rendition (originals can be huge and carry camera metadata), the focal point editors set,
and any extra renditions the client asked for from the allow-list in
`settings.API_IMAGE_RENDITIONS` (the API validates `?renditions=` before it gets here).
"""

from urllib.parse import urljoin

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from wagtail.images import get_image_model
from wagtail.models import CollectionViewRestriction

# Served instead of the original: bounded in size, metadata stripped by re-encoding.
DEFAULT_RENDITION = "max-1600x1600"


def allowed_renditions() -> list[str]:
    return list(settings.API_IMAGE_RENDITIONS)


def public_images():
    """
    Images anonymous visitors may see: none in a collection that has a view restriction or sits below one.

    Every restriction type counts, even a password the visitor may have entered on the site: API
    responses are the same for everyone and shared caches keep them. A collection's tree path
    starts with the path of each of its ancestors, so one `EXISTS` finds restrictions anywhere above.
    """
    restrictions_above = CollectionViewRestriction.objects.exclude(
        restriction_type=CollectionViewRestriction.NONE
    ).filter(StartsWith(OuterRef("collection__path"), F("collection__path")))
    return get_image_model().objects.exclude(Exists(restrictions_above))


def _absolute(url: str, context: dict | None) -> str:
    from pages.blocks.base import api_base_url

    return urljoin(api_base_url(context), url)


def alt_text(image) -> str:
    """The alt text for this use of `image`: empty when decorative, else the contextual or default text."""
    if getattr(image, "decorative", False):
        return ""
    return getattr(image, "contextual_alt_text", None) or image.default_alt_text


def focal_point(image) -> dict | None:
    if image.focal_point_x is None:
        return None
    return {
        "x": image.focal_point_x,
        "y": image.focal_point_y,
        "width": image.focal_point_width,
        "height": image.focal_point_height,
    }


def image_api_representation(image, context: dict | None = None) -> dict | None:
    """The JSON of one image, with the default rendition and those requested in `context["renditions"]`."""
    if image is None:
        return None
    requested = list((context or {}).get("renditions") or [])
    renditions = image.get_renditions(DEFAULT_RENDITION, *requested)
    default = renditions[DEFAULT_RENDITION]
    return {
        "id": image.pk,
        "title": image.title,
        "url": _absolute(default.url, context),
        "width": default.width,
        "height": default.height,
        "alt": alt_text(image),
        "decorative": bool(getattr(image, "decorative", False)),
        "focal_point": focal_point(image),
        "renditions": {
            spec: {
                "url": _absolute(renditions[spec].url, context),
                "width": renditions[spec].width,
                "height": renditions[spec].height,
            }
            for spec in requested
        },
    }


RENDITION_SCHEMA = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
    },
    "required": ["url", "width", "height"],
}

IMAGE_SCHEMA = {
    "type": "object",
    "description": "An image as a rendition (never the original file), with alt text and focal point.",
    "properties": {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": "string", "format": "uri", "description": f"A `{DEFAULT_RENDITION}` rendition."},
        "width": {"type": "integer"},
        "height": {"type": "integer"},
        "alt": {"type": "string", "description": "Alt text; empty when the image is decorative."},
        "decorative": {"type": "boolean"},
        "focal_point": {
            "type": ["object", "null"],
            "properties": {
                "x": {"type": "integer"},
                "y": {"type": "integer"},
                "width": {"type": "integer"},
                "height": {"type": "integer"},
            },
            "required": ["x", "y", "width", "height"],
        },
        "renditions": {
            "type": "object",
            "description": "Renditions requested with `?renditions=`, keyed by filter spec.",
            "additionalProperties": RENDITION_SCHEMA,
        },
    },
    "required": ["id", "title", "url", "width", "height", "alt", "decorative", "focal_point", "renditions"],
}
