import importlib

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from alliance.api.root import api

admin.site.site_header = "Alliance back office"
admin.site.site_title = "Alliance"


def _module_urls() -> list:
    """Every domain app with a ``urls.py`` (other than core and accounts) is mounted at the
    root: its own patterns carry their ``/p/<program_slug>/…`` or ``/a/<alliance_slug>/…``
    prefixes, so the tenant middleware scopes them. Modules never edit this file."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("alliance.") or app.label in {"core", "accounts"}:
            continue
        try:
            importlib.import_module(f"{app.name}.urls")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app.name}.urls":
                raise
            continue
        found.append(path("", include(f"{app.name}.urls")))
    return found


urlpatterns = [
    path("", include("alliance.core.urls")),
    path("accounts/", include("alliance.accounts.urls")),
    *_module_urls(),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

handler400 = "alliance.core.errors.bad_request"
handler403 = "alliance.core.errors.permission_denied"
handler404 = "alliance.core.errors.page_not_found"
handler500 = "alliance.core.errors.server_error"
