"""Routes of the consumption endpoints (``sales/bulk/`` is the sales viewset's ``bulk`` action)."""

from rest_framework.routers import SimpleRouter

from consumption.api import views

router = SimpleRouter()
router.register("products", views.ProductViewSet, basename="product")
router.register("venues", views.VenueViewSet, basename="venue")
router.register("sales", views.SaleViewSet, basename="sale")
