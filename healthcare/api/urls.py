"""Routes of healthcare's endpoints (the first three are the public contract's paths)."""

from rest_framework.routers import SimpleRouter

from healthcare.api import views

router = SimpleRouter()
router.register("medical-dispatches", views.MedicalDispatchViewSet, basename="medical-dispatch")
router.register("medical-service-stats", views.MedicalServiceStatViewSet, basename="medical-service-stat")
router.register("medical-disciplines", views.DisciplineViewSet, basename="medical-discipline")
router.register("medical-techniques", views.NewTechniqueViewSet, basename="medical-technique")
router.register("medical-outreach-events", views.OutreachEventViewSet, basename="medical-outreach-event")
