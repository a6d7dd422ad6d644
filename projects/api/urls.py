"""Routes of projects, funds and investments (contract paths: projects, fund-allocations,
disbursements, investments; the others are this app's own)."""

from rest_framework.routers import SimpleRouter

from projects.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("fund-allocations", views.FundAllocationViewSet, basename="fund-allocation")
router.register("disbursements", views.DisbursementViewSet, basename="disbursement")
router.register("investments", views.InvestmentViewSet, basename="investment")
router.register("equity-investments", views.EquityInvestmentViewSet, basename="equity-investment")
router.register("equity-dividends", views.EquityDividendViewSet, basename="equity-dividend")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("outcome-measures", views.OutcomeMeasureViewSet, basename="outcome-measure")
