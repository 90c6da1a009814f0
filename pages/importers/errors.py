"""
Why an article could not become a page. Each message is written for the person who sees it.

The management command prints the message; the admin's upload form shows it on the field named
by `field` (or above the form when it is None). Nothing is created when one of these is raised.
"""


class ArticleImportError(Exception):
    """An article that cannot be imported; `field` is the upload form's field at fault, if any."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        if field is not None:
            self.field = field


class UnreadableArticle(ArticleImportError):
    """Not a text file we can read: binary, an unknown encoding, or too large."""

    field = "file"


class EmptyArticle(UnreadableArticle):
    """The file holds no text."""


class InvalidPageDetails(ArticleImportError):
    """The title, slug or summary given for the page cannot be used."""


class SlugInUse(InvalidPageDetails):
    """Another page under the same parent already has this slug."""

    field = "slug"


class NoServicesIndex(ArticleImportError):
    """There is no services index to put the page under, or the chosen parent is not one."""


class ImportNotPermitted(ArticleImportError):
    """The user may not add service pages under the parent."""


class InvalidSections(ArticleImportError):
    """The article's sections break a block's rules (e.g. a paragraph longer than a field takes)."""

    field = "file"
