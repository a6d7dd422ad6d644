"""Admin pages written for people: history in labels and names, money grouped by thousands."""

import pytest

from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_status_change_reads_in_labels(client, make_user, regions):
    project = ProjectFactory(status="approved", region=regions["zhaojue"])
    project.status = "in_progress"
    project.save()
    client.force_login(make_user("admin"))
    page = client.get(f"/admin/projects/project/{project.pk}/history/").content.decode()
    assert "已批复" in page and "实施中" in page
    assert "approved" not in page.replace('"approved"', "") and "in_progress" not in page
    assert "变更内容" in page and "CHANGES" not in page.upper().replace("变更内容", "")
    assert ">None<" not in page.replace(" ", "").replace("\n", "")


def test_money_columns_are_grouped_in_admin_lists(client, make_user, regions):
    from decimal import Decimal

    from tests.projects.factories import FundAllocationFactory

    FundAllocationFactory(amount=Decimal("1234567.50"))
    client.force_login(make_user("official"))
    page = client.get("/admin/projects/fundallocation/").content.decode()
    assert "1,234,567.50" in page


def test_a_reference_set_where_there_was_none_reads_as_a_dash_then_its_name(client, make_user, regions):
    from tests.factories import OrganizationFactory

    parent = OrganizationFactory(name="昭觉县教育局", region=regions["zhaojue"])
    org = OrganizationFactory(name="昭觉县民族中学", region=regions["zhaojue"], parent=None)
    org.parent = parent
    org.save()
    client.force_login(make_user("admin"))
    response = client.get(f"/admin/cooperation/organization/{org.pk}/history/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "昭觉县教育局" in page and "—" in page
