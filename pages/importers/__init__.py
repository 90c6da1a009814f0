"""
Turn plain-text or Markdown articles into service-page sections (`article`), and into draft
service pages (`service_page`, used by `manage.py import_article`, the admin's upload form and
`load_initial_data`).
"""

from .article import ArticleImport, MissingHeading, parse_article
from .errors import ArticleImportError

__all__ = ["ArticleImport", "ArticleImportError", "MissingHeading", "parse_article"]
