"""Routes of labor cooperation's endpoints."""

from rest_framework.routers import SimpleRouter

from labor.api import views

router = SimpleRouter()
router.register("workers", views.WorkerViewSet, basename="worker")
router.register("placements", views.PlacementViewSet, basename="placement")
router.register("workshops", views.WorkshopViewSet, basename="workshop")
router.register("recruitment-events", views.RecruitmentEventViewSet, basename="recruitment-event")
router.register("skills-trainings", views.SkillsTrainingViewSet, basename="skills-training")
