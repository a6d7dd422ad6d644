"""Routes of the dashboard page (mounted at /dashboard/)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("subscription/", views.subscription, name="subscription"),
    path("reports/request/", views.request_report, name="request-report"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(next_page="dashboard:login"), name="logout"),
]
