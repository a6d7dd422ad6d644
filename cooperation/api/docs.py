"""The API's documentation pages: the OpenAPI document (generated in English) and its viewers."""

from django.utils import translation
from drf_spectacular.views import SpectacularAPIView


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in English whatever the request's language: titles, enum and
    component names are identifiers for generated clients (labels for people stay translated
    in the pages)."""

    def dispatch(self, request, *args, **kwargs):
        with translation.override("en"):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
        return response
