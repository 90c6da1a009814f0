"""Example responses shown in the interactive API docs (/api/v1/docs/)."""

from drf_spectacular.utils import OpenApiExample

SERVICE_PAGE = OpenApiExample(
    "A service page",
    response_only=True,
    status_codes=["200"],
    value={
        "id": 5,
        "type": "pages.ServicePage",
        "title": "Flask development services",
        "slug": "flask",
        "url_path": "/services/flask/",
        "html_url": "https://www.nextbigit.com/services/flask/",
        "detail_url": "https://www.nextbigit.com/api/v1/pages/5/",
        "first_published_at": "2026-11-24T02:25:58Z",
        "last_published_at": "2026-11-24T02:25:58Z",
        "seo": {"title": "Flask development services – hire Flask developers | NextBigIt", "description": "…"},
        "summary": "Hire NextBigIt's Flask developers to build lean, scalable web applications.",
        "listing_image": None,
        "sections": [
            {
                "type": "text",
                "id": "6a0aafe4-e0cf-4399-8828-49d2dc65276e",
                "value": {
                    "heading": "What is Flask?",
                    "anchor": "what-is-flask",
                    "body": "<p>Flask is a web framework that allows you to build a web application…</p>",
                },
            },
            {
                "type": "feature_list",
                "id": "832f1db0-fe25-4644-8a6e-3688c068a24f",
                "value": {
                    "heading": "Advantages of Flask",
                    "intro": "Listed below are some of the benefits of using Flask development services:",
                    "kind": "advantages",
                    "anchor": "advantages-of-flask",
                    "items": [{"title": "Easy to negotiate", "text": "To find your way around easily…", "icon": ""}],
                },
            },
        ],
    },
)

BAD_PARAMETER = OpenApiExample(
    "An unknown parameter",
    response_only=True,
    status_codes=["400"],
    media_type="application/problem+json",
    value={
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": "Invalid query parameters.",
        "errors": [{"parameter": "limt", "detail": "Unknown query parameter."}],
    },
)

NOT_FOUND = OpenApiExample(
    "Not live or not public",
    response_only=True,
    status_codes=["404"],
    media_type="application/problem+json",
    value={"type": "about:blank", "title": "Not Found", "status": 404, "detail": "No live page has this path."},
)
