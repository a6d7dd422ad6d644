"""Declarative checks of an app's admin pages, the admin's counterpart of ``tests/api_matrix.py``.

Subclass ``AdminPages`` in an app's ``test_admin.py`` (as ``Test...``), set ``app`` (the app
label) and ``pages`` (``[(model name, factory), ...]``), and for every model it checks, as staff,
that the list, add, change, history and export pages render, that the list links to the record,
and that the list costs no more queries for 12 records than ``max_list_queries``, as for 2.
"""

import pytest


@pytest.mark.django_db
class AdminPages:
    app: str = ""
    pages: list = []
    max_list_queries = 13  # 12 for the busiest list (sales), + 1 for the user's scope

    def pytest_generate_tests(self, metafunc):
        if {"model", "factory"} <= set(metafunc.fixturenames):
            metafunc.parametrize("model, factory", self.pages, ids=[model for model, _factory in self.pages])

    @pytest.fixture
    def staff(self, client, make_user):
        client.force_login(make_user("staff"))
        return client

    def test_pages_render(self, staff, model, factory):
        record = factory()
        base = f"/admin/{self.app}/{model}/"
        for url in (base, f"{base}add/", f"{base}{record.pk}/change/", f"{base}{record.pk}/history/", f"{base}export/"):
            assert staff.get(url).status_code == 200, url
        assert f"{base}{record.pk}/change/" in staff.get(base).text

    def test_changelist_query_count_is_flat(self, staff, django_assert_max_num_queries, model, factory):
        for n in (2, 12):
            factory.create_batch(n - factory._meta.model.objects.count())
            with django_assert_max_num_queries(self.max_list_queries):
                assert staff.get(f"/admin/{self.app}/{model}/").status_code == 200
