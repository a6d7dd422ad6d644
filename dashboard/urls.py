"""Routes of the dashboard page (mounted at /dashboard/)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from dashboard import crosscheck_views, views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("subscription/", views.subscription, name="subscription"),
    path("reports/request/", views.request_report, name="request-report"),
    path("cross-check/", crosscheck_views.crosscheck_page, name="crosscheck"),
    path("cross-check/sample.xlsx", crosscheck_views.crosscheck_sample_download, name="crosscheck-sample"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="dashboard:login"), name="logout"),
]
