"""WSGI entry point for production servers (``jieneng.web.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jieneng.web.settings")
application = get_wsgi_application()
