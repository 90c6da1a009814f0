"""
Headless preview: a draft revision for the external front end.

    GET /api/v1/preview/?token=…    the revision the token grants, in the page detail's shape

The token (see `api.preview`) comes from the admin's "Preview in front end" link and names
exactly one page and one of its revisions; no parameter can point it anywhere else. A token
for a revision that has since been superseded still shows that revision: a preview link shows
what the editor saw when they clicked, and a newer draft needs a new click. The page itself
must still exist. `first_published_at` and `last_published_at` are the page's, as in the live
detail; everything else comes from the revision.

Drafts are not public: every response, errors included, is `Cache-Control: private, no-store`
and `X-Robots-Tag: noindex`, so neither shared caches nor search engines keep them.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from wagtail.models import Revision

from pages.images import DEFAULT_RENDITION
from pages.streams import prefetch_section_lookups

from ..filters import RichTextParams, parse_query_params
from ..preview import ExpiredPreviewToken, InvalidPreviewToken, read_preview_token
from ..serializers import detail_serializer_for, page_detail_union
from .common import ApiViewMixin, problem_responses

# Far longer than any token `make_preview_token` makes; bounds the work spent on garbage.
MAX_TOKEN_LENGTH = 512


class PreviewParams(RichTextParams):
    token = serializers.CharField(
        max_length=MAX_TOKEN_LENGTH,
        help_text="The preview token from the admin's *Preview in front end* link.",
    )


class PreviewTokenExpired(exceptions.APIException):
    """401: the token was genuine but is too old; the editor has to click the preview link again."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = "The preview token has expired. Open the preview from the admin again."
    default_code = "preview_token_expired"
    # RFC 9110 requires a challenge on every 401; DRF's exception handler turns this into the header.
    auth_header = 'PreviewToken realm="preview", error="expired_token"'


class PreviewTokenInvalid(exceptions.PermissionDenied):
    default_detail = "The preview token is not valid."
    default_code = "preview_token_invalid"


class PreviewView(ApiViewMixin, generics.GenericAPIView):
    # ApiViewMixin makes every response of a private view `Cache-Control: private, no-store`.
    private_response = True

    @extend_schema(
        parameters=[PreviewParams],
        responses={200: page_detail_union(), **problem_responses(400, 401, 403, 404)},
        summary="Preview a draft revision of a page",
        description=(
            "The page revision a preview token grants, in exactly the shape of `GET /api/v1/pages/{id}/`. "
            "400: no or malformed `token`, or an unknown parameter. 401: the token has expired. "
            "403: the token is not genuine. 404: the page or the revision no longer exists. "
            "No cache may store a response (`Cache-Control: private, no-store`), errors included."
        ),
    )
    def get(self, request):
        params = parse_query_params(request, PreviewParams)
        self.rich_text_format = params["rich_text_format"]
        try:
            page_id, revision_id = read_preview_token(params["token"])
        except ExpiredPreviewToken as error:
            raise PreviewTokenExpired() from error
        except InvalidPreviewToken as error:
            raise PreviewTokenInvalid() from error
        # Deleting a page deletes its revisions, so a missing revision also covers a deleted page.
        revision = Revision.objects.page_revisions().filter(pk=revision_id, object_id=str(page_id)).first()
        page = revision.content_object if revision is not None else None
        if page is None:
            raise Http404("The page or the revision of this preview no longer exists.")
        draft = revision.as_object()
        # Publication dates describe the page, not a revision: a revision holds the values of when it
        # was saved, rounded to milliseconds by its JSON. Show the page's own, as the live detail does.
        draft.first_published_at = page.first_published_at
        draft.last_published_at = page.last_published_at
        serializer_class = detail_serializer_for(type(draft))
        prefetch_section_lookups([draft], renditions=[DEFAULT_RENDITION, *self.renditions])
        return Response(serializer_class(draft, context=self.get_serializer_context()).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response
