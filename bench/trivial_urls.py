"""The app's URLs plus ``/bench/trivial``: the cheapest Django view, served through the same
middleware and server, as a reference for the real pages. Only the bench settings use it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def trivial(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial", trivial),
    path("", include("alliance.urls")),
]
