"""
`?renditions=fill-800x450,width-400`: extra image renditions a client asks for.

Any endpoint whose JSON contains images can take the parameter by adding `RenditionsParams`
to its query parameters and handing the validated list to `api_context["renditions"]`
(`ApiViewMixin` does that from the view's `renditions` attribute). Only the specs in
`settings.API_IMAGE_RENDITIONS` are accepted: each new spec makes the server resize every
image it is asked about and store the result, so an open list would let anyone fill the
disk and keep the CPU busy. The count is capped for the same reason.
"""

from rest_framework import serializers

from pages.images import allowed_renditions

MAX_RENDITIONS = 5
# Room for MAX_RENDITIONS of the longest sensible specs; longer input is refused before it is parsed.
MAX_RENDITIONS_LENGTH = 200


class RenditionsField(serializers.CharField):
    """A comma-separated list of rendition specs from the allow-list; validates to a de-duplicated list."""

    default_error_messages = {
        "not_allowed": "Not an available rendition: {specs}. Choose from: {allowed}.",
        "empty": "Name at least one rendition, e.g. {example}.",
        "too_many": "At most {max} renditions per request; {count} were asked for.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_RENDITIONS_LENGTH)
        kwargs.setdefault(
            "help_text",
            "Extra renditions of every image, comma-separated, at most "
            f"{MAX_RENDITIONS}; each is returned in the image's `renditions`, keyed by spec. "
            f"Available: {', '.join(f'`{spec}`' for spec in allowed_renditions())}.",
        )
        super().__init__(**kwargs)

    def run_validation(self, data=serializers.empty) -> list[str]:
        # CharField's own checks (blank, max_length) apply to the text as sent, before it is split.
        text = super().run_validation(data)
        specs = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
        allowed = allowed_renditions()
        if not specs:
            self.fail("empty", example=",".join(allowed[:2]))
        not_allowed = [spec for spec in specs if spec not in allowed]
        if not_allowed:
            self.fail("not_allowed", specs=", ".join(not_allowed), allowed=", ".join(allowed))
        if len(specs) > MAX_RENDITIONS:
            self.fail("too_many", max=MAX_RENDITIONS, count=len(specs))
        return specs


class RenditionsParams(serializers.Serializer):
    renditions = RenditionsField(required=False)
