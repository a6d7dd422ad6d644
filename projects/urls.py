"""Non-API pages of the projects app."""

from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [path("attachments/<path:name>", views.attachment_download, name="attachment")]
