from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from alliance.api.root import api

admin.site.site_header = "Alliance back office"
admin.site.site_title = "Alliance"

urlpatterns = [
    path("", include("alliance.core.urls")),
    path("accounts/", include("alliance.accounts.urls")),
    path("", include("alliance.members.urls")),
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
