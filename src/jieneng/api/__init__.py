"""The JSON API (django-ninja) under ``/api/v1/``: see :mod:`jieneng.api.endpoints`."""
