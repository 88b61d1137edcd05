"""The platform's URL conf plus views that fail on purpose, for tests/core/test_error_pages.py."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path

from admissions.config.urls import (  # noqa: F401 - the handlers are looked up on the URL conf
    handler400,
    handler403,
    handler404,
    handler500,
)
from admissions.config.urls import urlpatterns as platform_urlpatterns


def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a crafted request")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def not_found(request: HttpRequest) -> HttpResponse:
    raise Http404


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


def database_down(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("unreachable")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/404/", not_found),
    path("test-errors/500/", crash),
    path("test-errors/database-down/", database_down),
    *platform_urlpatterns,
]
