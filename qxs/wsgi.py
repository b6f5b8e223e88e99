"""WSGI entry point, used by gunicorn (``gunicorn qxs.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qxs.settings.prod")

application = get_wsgi_application()
