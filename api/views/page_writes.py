"""Management API writes to pages and their sections (token holders only)."""


class PageWriteMixin:
    """Create and update pages, replace all sections, or add, update, move and delete one section."""
