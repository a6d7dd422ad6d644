"""Routes of the programme core's endpoints."""

from rest_framework.routers import SimpleRouter

from cooperation.api import views

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("pairings", views.PairingViewSet, basename="pairing")
router.register("targets", views.TargetViewSet, basename="target")
router.register("secondments", views.SecondmentViewSet, basename="secondment")
router.register("submissions", views.SubmissionViewSet, basename="submission")
