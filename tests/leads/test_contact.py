"""The lead form: stored first, e-mailed second, spam and floods kept out, clear errors, no JavaScript needed."""

import logging
import re
from smtplib import SMTPException

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from leads.models import Lead

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Ada Lovelace",
    "email": "ada@example.com",
    "company": "Analytical Engines Ltd",
    "budget": "25k-50k",
    "message": "We need a Flask API for our engine.",
    "consent": "on",
    "website": "",
}


def submit(client, data: dict, path: str = "/contact/?service=flask", **extra):
    return client.post(path, data, **extra)


def test_the_call_to_action_leads_to_the_hire_flask_developers_form(client, flask_page):
    flask_html = client.get("/services/flask/").content.decode()
    assert 'href="/contact/?service=flask"' in flask_html

    form = client.get("/contact/?service=flask")
    html = form.content.decode()
    assert form.status_code == 200
    assert "<h1>Hire Flask developers</h1>" in html
    for field in ("name", "email", "company", "budget", "message", "consent"):
        assert re.search(rf'<label for="id_{field}"', html), field
    assert set(re.findall(r"<script\b[^>]*>", html)) == {'<script type="application/ld+json">'}


def test_a_valid_submission_is_stored_then_e_mailed_and_thanked(client, flask_page):
    response = submit(client, VALID)

    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    lead = Lead.objects.get()
    assert (lead.name, lead.email, lead.budget, lead.service) == (
        "Ada Lovelace",
        "ada@example.com",
        "25k-50k",
        flask_page,
    )
    assert lead.consent and lead.notified_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["hello@nextbigit.com"]
    assert "We need a Flask API" in mail.outbox[0].body
    assert "Thank you" in client.get("/contact/thanks/").content.decode()


def test_invalid_input_gets_clear_errors_and_stores_nothing(client, seeded_site):
    response = submit(client, {**VALID, "email": "not-an-email", "name": "", "consent": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Please tell us your name." in html
    assert "Enter a valid e-mail address" in html
    assert "Please tick the box" in html
    assert 'aria-invalid="true"' in html and 'aria-describedby="email-error"' in html
    assert 'value="Analytical Engines Ltd"' in html  # what the visitor typed is kept
    assert Lead.objects.count() == 0 and mail.outbox == []


def test_the_honeypot_silently_drops_bots(client, seeded_site):
    response = submit(client, {**VALID, "website": "http://spam.example"})

    assert response.status_code == 302
    assert Lead.objects.count() == 0 and mail.outbox == []


def test_a_flood_from_one_ip_is_refused_but_others_get_through(client, seeded_site, settings):
    settings.LEAD_FORM_RATE_LIMIT = 2
    for _ in range(2):
        assert submit(client, VALID, REMOTE_ADDR="203.0.113.7").status_code == 302

    refused = submit(client, VALID, REMOTE_ADDR="203.0.113.7")

    assert refused.status_code == 429
    assert "Please try again in an hour" in refused.content.decode()
    assert Lead.objects.count() == 2
    assert submit(client, VALID, REMOTE_ADDR="198.51.100.1").status_code == 302


def test_an_e_mail_failure_keeps_the_lead_and_never_shows_an_error(client, seeded_site, monkeypatch, caplog):
    def broken_send_mail(*args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr("leads.notifications.send_mail", broken_send_mail)
    with caplog.at_level(logging.ERROR, logger="leads.notifications"):
        response = submit(client, VALID)

    assert response.status_code == 302 and response["Location"] == "/contact/thanks/"
    lead = Lead.objects.get()
    assert lead.notified_at is None and "mail server down" in lead.notification_error
    assert "notification e-mail failed" in caplog.text


def test_leads_are_listed_searched_and_exported_in_the_admin(client, seeded_site):
    submit(client, VALID)
    submit(client, {**VALID, "name": "Grace Hopper", "email": "grace@example.com", "message": "COBOL to Flask"})
    client.force_login(get_user_model().objects.create_superuser("boss", "b@example.com", "a-long-test-password"))

    listing = client.get("/admin/leads/").content.decode()
    assert "Ada Lovelace" in listing and "Grace Hopper" in listing

    searched = client.get("/admin/leads/", {"q": "grace"}).content.decode()
    assert "Grace Hopper" in searched and "Ada Lovelace" not in searched

    export = client.get("/admin/leads/", {"export": "csv"})
    assert export.status_code == 200
    csv_text = b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    assert csv_text.splitlines()[0].startswith("Created at,Name,E-mail")
    assert "grace@example.com" in csv_text and "COBOL to Flask" in csv_text
