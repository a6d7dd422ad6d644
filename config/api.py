"""The API root (/api/v1/): every domain app's ``api/urls.py`` router is mounted here.

Each app's module exposes ``router`` (a SimpleRouter) and may expose ``urlpatterns`` for
endpoints that are not record collections (the dashboard summary, for instance).
"""

from django.urls import include, path
from rest_framework import routers
from rest_framework.permissions import IsAuthenticated

import consumption.api.urls
import cooperation.api.urls
import dashboard.api.urls
import education.api.urls
import healthcare.api.urls
import labor.api.urls
import projects.api.urls
import reports.api.urls

# In the order the API root lists them: the core, the domains, then reports and the dashboard.
API_MODULES = (
    cooperation.api.urls,
    projects.api.urls,
    labor.api.urls,
    healthcare.api.urls,
    education.api.urls,
    consumption.api.urls,
    reports.api.urls,
    dashboard.api.urls,
)


class APIRootView(routers.APIRootView):
    """Lists the endpoints; like every endpoint but the schema, it needs a logged-in user."""

    permission_classes = [IsAuthenticated]


class Router(routers.DefaultRouter):
    APIRootView = APIRootView
    include_format_suffixes = False


router = Router()
urlpatterns = []
for module in API_MODULES:
    if hasattr(module, "router"):
        router.registry.extend(module.router.registry)
    urlpatterns += getattr(module, "urlpatterns", [])

urlpatterns += [path("", include(router.urls))]
