"""
Bearer-token authentication for the management API, with Wagtail's own API tokens.

Tokens are Wagtail's `APIToken`: created and revoked in the admin (Settings → Users → API tokens,
or `manage.py create_api_token`), stored only as an HMAC-SHA-256 digest, shown once. A request
with `Authorization: Bearer <token>` acts as the token's user, with that user's page permissions.
A request without the header is anonymous and sees only the public API; a header with an unknown,
revoked or malformed token, or one whose user is inactive, is a 401 — never silently anonymous.
"""

from django.conf import settings
from django.utils import timezone
from rest_framework import authentication, exceptions
from wagtail.models import APIToken

SCHEME = "Bearer"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != SCHEME.lower():
            return None
        token = token.strip()
        # The offline format check also refuses an empty token and one with spaces ("Bearer two words").
        if not APIToken.validate_token_format(token):
            raise exceptions.AuthenticationFailed("The bearer token is malformed.")
        api_token = (
            APIToken.objects.select_related("user")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            raise exceptions.AuthenticationFailed(
                "The bearer token is unknown, revoked or belongs to an inactive user."
            )
        self._touch_last_used(api_token)
        return api_token.user, api_token

    def authenticate_header(self, request):
        return f'{SCHEME} realm="api"'

    @staticmethod
    def _touch_last_used(api_token: APIToken) -> None:
        """Record use at most once a minute (Wagtail's WAGTAILAPI_TOKEN_LAST_USED_INTERVAL), not on every request."""
        interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", 60)
        if interval is None:
            return
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() >= interval:
            APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
            api_token.last_used_at = now
