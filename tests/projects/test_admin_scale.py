"""Projects and allocations at scale: code by prefix, name by contains, served by indexes."""

import pytest
from django.db import connection

from tests.projects.factories import FundAllocationFactory, ProjectFactory


@pytest.fixture
def projects(regions):
    road = ProjectFactory(region=regions["zhaojue"], code="ZJ-2023-01", name="村道硬化工程")
    barn = ProjectFactory(region=regions["zhaojue"], code="BT-2023-01", name="肉牛养殖圈舍")
    FundAllocationFactory(project=road, document="宁财〔2023〕12号")
    return {"road": road, "barn": barn}


@pytest.mark.django_db
@pytest.mark.parametrize("q, found", [("zj-", ["ZJ-2023-01"]), ("2023-01", []), ("养殖", ["BT-2023-01"])])
def test_projects_by_code_prefix_and_name(client, make_user, projects, q, found):
    client.force_login(make_user("staff"))
    response = client.get("/admin/projects/project/", {"q": q})
    assert [project.code for project in response.context["cl"].result_list] == found


@pytest.mark.django_db
@pytest.mark.parametrize("q, found", [("ZJ", 1), ("硬化", 1), ("宁财", 1), ("12号", 0), ("BT", 0)])
def test_allocations_by_project_code_name_and_document(client, make_user, projects, q, found):
    client.force_login(make_user("staff"))
    response = client.get("/admin/projects/fundallocation/", {"q": q})
    assert response.context["cl"].result_count == found


@pytest.mark.django_db
def test_indexes_exist(trigram):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'projects_%'")
        indexes = dict(cursor.fetchall())
    assert "gin_trgm_ops" in indexes["projects_name_trgm"] and "gin_trgm_ops" in indexes["projects_code_trgm"]
    assert "projects_project_order" in indexes and "projects_alloc_order" in indexes
