"""Every indicator's admin list reproduces its figure (the dashboard's drill-down links).

For each indicator, the list its dashboard link opens is read back as an administrator and
measured as the indicator declares (rows, distinct values or a sum): it must equal the figure,
for a year and for a region, on the demo data and on a random dataset.
"""

import datetime
import random
from decimal import Decimal

import pytest
from django.db.models import Count, Sum

from cooperation.models import Region
from dashboard.links import indicator_changelist_url
from indicators.registry import INDICATORS
from tests.consumption.factories import SaleFactory
from tests.education.factories import MentorshipFactory, TeacherTrainingFactory, VocationalStudentFactory
from tests.factories import SecondmentFactory, region_tree
from tests.healthcare.factories import MedicalDispatchFactory, MedicalServiceStatFactory
from tests.labor.factories import PlacementFactory
from tests.projects.factories import DisbursementFactory, FundAllocationFactory, InvestmentFactory, ProjectFactory

KEYS = [indicator.key for indicator in INDICATORS]


def _list_total(client, request_user_client_url, drilldown):
    response = client.get(request_user_client_url)
    assert response.status_code == 200, (request_user_client_url, response.status_code)
    queryset = response.context["cl"].queryset
    if drilldown.measure == "count":
        return queryset.count()
    if drilldown.measure == "distinct":
        return queryset.order_by().aggregate(n=Count(drilldown.field, distinct=True))["n"]
    total = queryset.order_by().aggregate(total=Sum(drilldown.field))["total"] or 0
    return Decimal(total).quantize(Decimal("0.01")) if isinstance(total, Decimal) else total


def _check_every_indicator(client, rf, user, *, year, region):
    request = rf.get("/dashboard/")
    request.user = user
    for indicator in INDICATORS:
        url = indicator_changelist_url(indicator.key, request=request, year=year, region=region)
        assert url, indicator.key
        figure = indicator.value(year=year, region=region)
        assert _list_total(client, url, indicator.drilldown) == figure, (indicator.key, year, region, url)


@pytest.mark.slow
@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_demo_lists_reproduce_every_figure(demo, db, client, rf, make_user, year):
    admin = make_user("admin", username="drilldown-admin")
    client.force_login(admin)
    for region in [None, Region.objects.get(code="513431"), Region.objects.get(code="513400")]:
        _check_every_indicator(client, rf, admin, year=year, region=region)


def test_labor_employed_lists_workers_not_placements(demo, db, client, rf, make_user):
    """The drift the architecture issue found: 1,407 workers employed in 2024, 1,774 placements."""
    admin = make_user("admin", username="drilldown-admin")
    client.force_login(admin)
    request = rf.get("/dashboard/")
    request.user = admin
    url = indicator_changelist_url("labor.employed", request=request, year=2024, region=None)
    assert url.startswith("/admin/labor/worker/?")
    rows = client.get(url).context["cl"].queryset.count()
    assert rows == INDICATORS[KEYS.index("labor.employed")].value(year=2024)


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2])
def test_random_lists_reproduce_every_figure(client, rf, make_user, seed):
    rng = random.Random(seed)
    regions = region_tree()
    west = [regions[name] for name in ("zhaojue", "butuo", "town", "village")]

    def day():
        return datetime.date(rng.choice([2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28))

    for _ in range(rng.randint(2, 5)):
        project = ProjectFactory(region=rng.choice(west), year=rng.choice([2022, 2023, 2024]))
        FundAllocationFactory(project=project, year=project.year, amount=Decimal(rng.randint(1, 900) * 1000))
        DisbursementFactory(project=project, amount=Decimal(rng.randint(1, 9) * 10), paid_on=day())
        InvestmentFactory(year=project.year)
    for _ in range(rng.randint(3, 8)):
        start = day()
        PlacementFactory(
            started_on=start, ended_on=rng.choice([None, start + datetime.timedelta(days=rng.randint(1, 500))])
        )
        SaleFactory(sold_on=day(), origin_region=rng.choice(west), amount=Decimal(rng.randint(1, 10_000)))
        SecondmentFactory(region=rng.choice(west), started_on=day(), kind=rng.choice(["cadre", "professional"]))
    MedicalDispatchFactory.create_batch(rng.randint(1, 3))
    MedicalServiceStatFactory.create_batch(rng.randint(1, 3))
    MentorshipFactory.create_batch(rng.randint(1, 3))
    TeacherTrainingFactory.create_batch(rng.randint(1, 3))
    VocationalStudentFactory.create_batch(rng.randint(1, 3))

    admin = make_user("admin")
    client.force_login(admin)
    for year in (2022, 2023, 2024):
        for region in (None, regions["zhaojue"], regions["liangshan"]):
            _check_every_indicator(client, rf, admin, year=year, region=region)
