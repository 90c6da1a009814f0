"""
WSGI entry point: `gunicorn cms.wsgi`.

Defaults to the production settings, so a server started without DJANGO_SETTINGS_MODULE is never a
development one (they refuse to start without SECRET_KEY and ALLOWED_HOSTS, and with DEBUG on).
`manage.py` defaults to development settings instead.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()
