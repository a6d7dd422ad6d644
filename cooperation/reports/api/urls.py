"""Routes of the reports endpoint (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from cooperation.reports.api import views

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
