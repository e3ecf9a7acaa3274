"""Request logging, and the tenant middleware that opens the right scope for each URL."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from alliance.core import policy

log = logging.getLogger("alliance.request")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": getattr(getattr(request, "user", None), "pk", None) or "",
            },
        )
        return response


class TenantMiddleware:
    """Read the tenant from the URL, decide access once, and run the view inside its scope.

    * ``/p/<program_slug>/…``: the program's scope. A user with no role at that program
      (and who is not a hub admin of its alliance) gets 404, exactly as for a program that
      does not exist, so program slugs cannot be probed.
    * ``/a/<alliance_slug>/…``: the alliance's scope (public pages and hub pages; hub pages
      check their own permission through the policy).
    * ``/admin/``: the Django back office works unscoped (superusers only).
    * anything else: no scope; a tenant query there fails loudly.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.program = None
        request.alliance = None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespace == "admin" or request.path_info.startswith("/admin/"):
            with scopes_disabled():
                return self.get_response(request)
        if "program_slug" in match.kwargs:
            if not request.user.is_authenticated:
                # Every program page needs a sign-in; say so before looking anything up.
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(request.get_full_path())
            program = policy.program_for_request(request, match.kwargs["program_slug"])
            if program is None:
                return _not_found(request)
            request.program = program
            request.alliance = program.alliance
            with scope(alliance=program.alliance_id, program=program.pk):
                return self.get_response(request)
        if "alliance_slug" in match.kwargs:
            alliance = policy.alliance_for_request(request, match.kwargs["alliance_slug"])
            if alliance is None:
                return _not_found(request)
            request.alliance = alliance
            with scope(alliance=alliance.pk, program=None):
                return self.get_response(request)
        return self.get_response(request)


def _not_found(request: HttpRequest) -> HttpResponse:
    from django.views.defaults import page_not_found

    return page_not_found(request, Http404())
