"""
Preview tokens: signed, expiring permission to read one saved revision of one page.

An editor's click in the admin creates a token for the page's latest revision; the front end
passes it to `GET /api/v1/preview/`. The token carries only the page id and the revision id,
signed with SECRET_KEY under a salt of its own (so no other signed value of the project can be
replayed as a preview token) and timestamped, so it is refused once
`settings.PREVIEW_TOKEN_MAX_AGE` seconds have passed. The lifetime is checked when the token is
read, so shortening the setting also shortens tokens already handed out.

Nothing is stored: a token cannot be revoked before it expires, except by rotating SECRET_KEY.
"""

from django.conf import settings
from django.core import signing
from wagtail.models import Page, Revision

SALT = "api.preview.token"


class PreviewTokenError(Exception):
    """A preview token that cannot be used."""


class ExpiredPreviewToken(PreviewTokenError):
    """The token was genuine but is older than `PREVIEW_TOKEN_MAX_AGE`."""


class InvalidPreviewToken(PreviewTokenError):
    """The token was not made by `make_preview_token`: garbage, truncated or tampered with."""


def make_preview_token(page: Page, revision: Revision) -> str:
    """A URL-safe token granting a preview of `revision` of `page`."""
    if str(revision.object_id) != str(page.pk):
        raise ValueError(f"Revision {revision.pk} is not a revision of page {page.pk}.")
    return signing.dumps([page.pk, revision.pk], salt=SALT, compress=True)


def read_preview_token(token: str) -> tuple[int, int]:
    """The `(page_id, revision_id)` a token grants; raises `ExpiredPreviewToken` or `InvalidPreviewToken`."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ExpiredPreviewToken("The preview token has expired.") from error
    except (signing.BadSignature, ValueError) as error:
        # ValueError (bad base64, JSON) is only reachable for a value signed with our key and salt by other means.
        raise InvalidPreviewToken("The preview token is not valid.") from error
    if not (
        isinstance(payload, list) and len(payload) == 2 and all(type(value) is int and value > 0 for value in payload)
    ):
        raise InvalidPreviewToken("The preview token is not valid.")
    page_id, revision_id = payload
    return page_id, revision_id
