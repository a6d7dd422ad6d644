"""Routes of education's endpoints (all but the last are the public contract's paths)."""

from rest_framework.routers import SimpleRouter

from education.api import views

router = SimpleRouter()
router.register("teacher-dispatches", views.TeacherDispatchViewSet, basename="teacher-dispatch")
router.register("mentorships", views.MentorshipViewSet, basename="mentorship")
router.register("teacher-trainings", views.TeacherTrainingViewSet, basename="teacher-training")
router.register("vocational-students", views.VocationalStudentViewSet, basename="vocational-student")
router.register("education-activities", views.ActivityViewSet, basename="education-activity")
