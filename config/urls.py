"""URL root: admin, dashboard, the REST API and its documentation, health check.

The error handlers answer JSON under /api/ and Django's pages elsewhere (``cooperation.views``).
"""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularSwaggerView

import config.api
import dashboard.urls
import projects.urls
from config.views import healthz
from cooperation import views as error_pages
from cooperation.api.docs import SchemaView

admin.site.site_header = admin.site.site_title = _("East-West Cooperation Portal")
admin.site.index_title = _("Programme records")

urlpatterns = [
    path("", RedirectView.as_view(url="/dashboard/", permanent=False)),
    path("dashboard/", include(dashboard.urls)),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("projects/", include(projects.urls)),
    path("api/v1/", include(config.api)),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]

handler400 = error_pages.bad_request
handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
