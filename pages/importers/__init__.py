"""Turn plain-text or Markdown articles into service-page sections."""

from .article import ArticleImport, MissingHeading, parse_article

__all__ = ["ArticleImport", "MissingHeading", "parse_article"]
