"""Routes of the dashboard's endpoint (mounted under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from dashboard.api.self_evaluation import SelfEvaluationView
from dashboard.api.views import DashboardSummaryView
from dashboard.crosscheck_views import CrossCheckView

router = SimpleRouter()
urlpatterns = [
    path("dashboard/summary/", DashboardSummaryView.as_view(), name="dashboard-summary"),
    path("self-evaluation/", SelfEvaluationView.as_view(), name="self-evaluation"),
    path("cross-check/", CrossCheckView.as_view(), name="cross-check"),
]
