"""The REST API under /api/v1/: one NinjaAPI, token auth, JSON errors with field details."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer

from alliance import __version__


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        from alliance.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
            request.api_token = token  # DELETE /auth/token revokes the one in use
        return user


api = NinjaAPI(
    title="Alliance API",
    version=__version__,
    description="REST API of Alliance. Authenticate with POST /api/v1/auth/token, then send "
    "`Authorization: Bearer <token>`. Program resources live under /programs/{slug}/.",
    auth=BearerToken(),
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    # Served from our own /static/ (ninja ships Swagger UI); no validator badge, which the
    # browser would otherwise fetch from validator.swagger.io.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": True}),
    openapi_url="/openapi.json",
)


@api.exception_handler(ValidationError)
def _django_validation(request, exc: ValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    first = next(iter(fields.values()))[0] if fields else _("Invalid input.")
    return api.create_response(request, {"message": first, "fields": fields}, status=422)


@api.exception_handler(NinjaValidationError)
def _schema_validation(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [
            str(p) for p in error.get("loc", []) if p not in ("body", "payload", "query", "path")
        ]
        fields.setdefault(".".join(loc) or "__all__", []).append(error.get("msg", _("Invalid.")))
    first_field, first_msgs = next(iter(fields.items()), ("__all__", [_("Invalid input.")]))
    message = first_msgs[0] if first_field == "__all__" else f"{first_field}: {first_msgs[0]}"
    return api.create_response(request, {"message": message, "fields": fields}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"message": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(
        request, {"message": _("You do not have permission for this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return api.create_response(
        request,
        {"message": _("Send a valid token: Authorization: Bearer <token>.")},
        status=401,
    )


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    # ninja raises these itself, e.g. 400 for a body that is not JSON.
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = _("The request body is not valid JSON.")
    return api.create_response(request, {"message": message}, status=exc.status_code)


def _register_module_apis() -> None:
    """Import ``alliance.<app>.api`` for every installed domain app: importing registers its
    routes on ``api``. Modules never edit this file to add endpoints."""
    import importlib

    from django.apps import apps

    importlib.import_module("alliance.api.auth")
    for app in apps.get_app_configs():
        if not app.name.startswith("alliance.") or app.name == "alliance.api":
            continue
        try:
            importlib.import_module(f"{app.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.api":
                raise


_register_module_apis()
