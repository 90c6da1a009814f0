"""
Leads: the contact page and its form, the enquiries it stores, the e-mail that tells the team, and their admin.

Above `pages` (a contact page is a page type, and a lead names the service page it came from);
`pages` knows nothing of this app: the contact page is found by what it can do (`enquiry_url`),
and this app adds itself to the seeded site and the content export through Wagtail hooks
(`wagtail_hooks.py`).
"""
