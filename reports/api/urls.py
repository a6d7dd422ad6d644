"""Routes of the reports and declarations endpoints (mounted under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter()
router.register("reports", views.ReportViewSet, basename="report")
router.register("declarations", views.DeclarationViewSet, basename="declaration")
