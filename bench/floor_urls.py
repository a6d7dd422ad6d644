"""bench/scale.py's floor: what any answer of the portal costs before it does any work.

- ``floor/django/``: a constant JSON answer through gunicorn, Django's handler and the
  production middleware;
- ``floor/api/``: the same through DRF with the API's own authentication classes (the token
  check, the one query of :mod:`cooperation.api.authentication`) and renderer: an empty page
  (``count``, ``next``, ``previous``, ``results``), no query of its own.

The raw app's ``/ping`` and ``/token/`` are the same two without Django (``scale.raw_app``).
"""

from django.http import HttpResponse
from django.urls import path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from scale import EMPTY_PAGE  # the raw app's answer (bench/ is on the path, as for gunicorn)

from config.urls import urlpatterns as portal_urlpatterns


def constant(request):
    return HttpResponse(EMPTY_PAGE, content_type="application/json")


class EmptyPage(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({"count": 0, "next": None, "previous": None, "results": []})


urlpatterns = [
    path("floor/django/", constant),
    path("floor/api/", EmptyPage.as_view()),
    *portal_urlpatterns,
]
