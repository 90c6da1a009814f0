"""Page types of the site: HomePage (site root) → ServiceIndexPage (/services/) → ServicePage."""

from .home import HomePage
from .services import ServiceIndexPage, ServicePage

__all__ = ["HomePage", "ServiceIndexPage", "ServicePage"]
