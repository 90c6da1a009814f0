"""
The app's models, for Django to find: the contact page (a page type with its form) and the leads it stores.

Each lives in a module of its own, so the form can import the lead model without a circle through this one.
"""

from .contact_page import ContactPage
from .lead import Lead

__all__ = ["ContactPage", "Lead"]
