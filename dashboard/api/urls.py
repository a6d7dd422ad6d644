"""Routes of the dashboard's endpoint (mounted under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from dashboard.api.views import DashboardSummaryView

router = SimpleRouter()
urlpatterns = [path("dashboard/summary/", DashboardSummaryView.as_view(), name="dashboard-summary")]
