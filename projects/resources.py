"""Spreadsheet import and export of projects and fund allocations.

Projects are keyed by their code, regions by division code (or name), implementers by credit
code (or name); allocations by id (blank: a new one) with their project given by code. Saving
goes through the services, so an import obeys the status machine and the no-overspend rule
like the admin does.
"""

from cooperation.resources_base import ProgrammeResource
from projects import services
from projects.models import FundAllocation, Project


class ProjectResource(ProgrammeResource):
    class Meta(ProgrammeResource.Meta):
        model = Project
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "category",
            "year",
            "status",
            "region",
            "implementer",
            "budget",
            "started_on",
            "completed_on",
            "description",
            "beneficiary_households",
            "beneficiaries",
            "beneficiaries_poverty_alleviated",
            "benefits_dividends",
            "benefits_jobs",
            "benefits_purchases",
            "benefits_other",
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("region", "implementer")

    def do_instance_save(self, instance, is_create):
        services.project_save(project=instance)


class FundAllocationResource(ProgrammeResource):
    class Meta(ProgrammeResource.Meta):
        model = FundAllocation
        import_id_fields = ["id"]
        fields = ["id", "project", "year", "source", "amount", "allocated_on", "document", "note"]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("project")

    def do_instance_save(self, instance, is_create):
        services.fund_allocation_save(fund_allocation=instance)
