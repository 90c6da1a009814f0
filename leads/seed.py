"""The contact page of the initial content (`load_initial_data`): created once, never overwritten."""

import json
from pathlib import Path

from pages.models import HomePage
from pages.seed import SeedReport, publish_new_child

from .models import ContactPage

CONTACT_PAGE = Path(__file__).resolve().parent / "content" / "contact-page.json"


def ensure_contact_page(home: HomePage, report: SeedReport) -> ContactPage:
    contact = ContactPage.objects.child_of(home).first()
    if contact is not None:
        report.kept.append(contact.title)
        return contact
    config = json.loads(CONTACT_PAGE.read_text(encoding="utf-8"))
    contact = publish_new_child(home, ContactPage(**config))
    report.created.append(contact.title)
    return contact
