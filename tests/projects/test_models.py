"""Model rules of projects: the status machine, west regions, amounts and periods."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from projects import services
from projects.models import Project
from tests.factories import OrganizationFactory
from tests.projects.factories import EquityInvestmentFactory, InvestmentFactory, ProjectFactory

LIFE_CYCLE = ["planned", "approved", "in_progress", "completed", "accepted"]
STATUSES = [*LIFE_CYCLE, "cancelled"]
ALLOWED = {
    ("planned", "approved"),
    ("approved", "in_progress"),
    ("in_progress", "completed"),
    ("completed", "accepted"),
    ("planned", "cancelled"),
    ("approved", "cancelled"),
    ("in_progress", "cancelled"),
    ("completed", "cancelled"),
}


@pytest.mark.django_db
class TestStatusMachine:
    def test_every_move(self, regions):
        # One test over the 36 pairs (not 36 tests): each case is a fresh project.
        for old in STATUSES:
            for new in STATUSES:
                project = ProjectFactory(region=regions["zhaojue"], status=old)
                if old == new or (old, new) in ALLOWED:
                    services.project_update(project=project, status=new)
                    assert Project.objects.get(pk=project.pk).status == new, (old, new)
                else:
                    with pytest.raises(ValidationError) as exc:
                        services.project_update(project=project, status=new)
                    assert "status" in exc.value.message_dict, (old, new)
                    assert Project.objects.get(pk=project.pk).status == old, (old, new)

    def test_a_new_project_may_start_in_any_status(self, regions):
        project = services.project_create(
            code="2021-001",
            name="雁阵工程",
            category="industry",
            year=2021,
            status="accepted",
            region=regions["zhaojue"],
            budget=Decimal("3000000"),
        )
        assert project.status == "accepted"

    def test_the_message_names_the_allowed_moves(self, regions):
        project = ProjectFactory(region=regions["zhaojue"], status="planned")
        project.status = "completed"
        with pytest.raises(ValidationError) as exc:
            project.full_clean()
        message = exc.value.message_dict["status"][0]
        assert "Planned" in message or "计划" in message


@pytest.mark.django_db
class TestRowRules:
    def test_region_must_be_west_at_any_level(self, regions):
        for key in ("sichuan", "zhaojue", "town", "village"):
            ProjectFactory.build(region=regions[key]).full_clean(exclude=["code"])
        with pytest.raises(ValidationError) as exc:
            ProjectFactory.build(region=regions["yuyao"]).full_clean()
        assert "region" in exc.value.message_dict

    def test_dates_in_order_and_counts(self, regions):
        project = ProjectFactory.build(
            region=regions["zhaojue"],
            started_on=datetime.date(2023, 5, 1),
            completed_on=datetime.date(2023, 4, 1),
            beneficiaries=10,
            beneficiaries_poverty_alleviated=11,
        )
        with pytest.raises(ValidationError) as exc:
            project.full_clean()
        assert {"completed_on", "beneficiaries_poverty_alleviated"} <= set(exc.value.message_dict)

    def test_budget_positive_and_code_unique(self, regions):
        ProjectFactory(region=regions["zhaojue"], code="X-1")
        project = ProjectFactory.build(region=regions["zhaojue"], code="X-1", budget=Decimal("0"))
        with pytest.raises(ValidationError) as exc:
            project.full_clean()
        assert {"code", "budget"} <= set(exc.value.message_dict)

    def test_investment_sides(self, regions):
        west = OrganizationFactory(region=regions["zhaojue"])
        east = OrganizationFactory(region=regions["yuyao"])
        InvestmentFactory.build(enterprise=west, east_parent=east).full_clean()
        with pytest.raises(ValidationError) as exc:
            InvestmentFactory.build(
                enterprise=east, east_parent=west, jobs_created=1, jobs_poverty_alleviated=2
            ).full_clean()
        assert {"enterprise", "east_parent", "jobs_poverty_alleviated"} <= set(exc.value.message_dict)

    def test_equity_goes_into_a_western_cooperative_or_enterprise(self, regions):
        school = OrganizationFactory(region=regions["zhaojue"], kind="school")
        equity = EquityInvestmentFactory.build(project=ProjectFactory(region=regions["zhaojue"]), investee=school)
        with pytest.raises(ValidationError) as exc:
            equity.full_clean()
        assert "investee" in exc.value.message_dict


@pytest.mark.django_db
class TestAttachments:
    def test_extension_and_size_are_checked(self, regions, settings, tmp_path):
        from types import SimpleNamespace

        from django.core.files.uploadedfile import SimpleUploadedFile

        from projects.models import ATTACHMENT_MAX_BYTES, ProgressAttachment, validate_attachment_size
        from tests.projects.factories import ProgressReportFactory

        settings.MEDIA_ROOT = tmp_path
        report = ProgressReportFactory(project=ProjectFactory(region=regions["zhaojue"]))
        bad = ProgressAttachment(report=report, file=SimpleUploadedFile("run.exe", b"MZ"))
        with pytest.raises(ValidationError) as exc:
            bad.full_clean()
        assert "file" in exc.value.message_dict
        good = ProgressAttachment(report=report, title="验收单", file=SimpleUploadedFile("acceptance.pdf", b"%PDF-1.4"))
        good.full_clean()
        good.save()
        assert good.file.name.startswith("projects/progress/")
        assert (tmp_path / good.file.name).exists()
        with pytest.raises(ValidationError):
            validate_attachment_size(SimpleNamespace(size=ATTACHMENT_MAX_BYTES + 1))
