"""Error pages: JSON under /api/, friendly pages elsewhere. Same 404 for missing and not yours."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"message": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception, template_name="400.html")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"message": _("You do not have permission for this.")}, status=403)
    return defaults.permission_denied(request, exception, template_name="403.html")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"message": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception, template_name="404.html")


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            {"message": _("Something went wrong on our side. It has been logged.")}, status=500
        )
    # No request context: the database may be the thing that failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
