"""
How content types are named outside the CMS: `pages.ServicePage`, `pages.CallToAction`, `pages.SiteSettings`.

The API's `type` members and webhook payloads both use these names, so one spelling lives here, with the
page types.
"""


def page_type_label(model) -> str:
    """The public name of a page type (or snippet or settings model), e.g. `pages.ServicePage`."""
    return f"{model._meta.app_label}.{model.__name__}"
