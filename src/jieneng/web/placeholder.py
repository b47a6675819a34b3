"""Temporary: a page not built yet (removed once every page exists)."""

from django.http import HttpRequest, HttpResponse


def placeholder(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    return HttpResponse("not built yet", status=501)
