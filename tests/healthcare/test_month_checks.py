"""``healthcare.stats_missing``: a hospital hosting the medical team in a month without its
service statistics for that month."""

import datetime

import pytest

from cooperation.month_checks import month_warnings
from healthcare.models import MedicalDispatch, MedicalServiceStat
from healthcare.month_checks import stats_missing
from tests.factories import OrganizationFactory
from tests.healthcare.factories import MedicalDispatchFactory, MedicalServiceStatFactory

pytestmark = pytest.mark.django_db

MAY = datetime.date(2024, 5, 1)


@pytest.fixture
def east(hospitals):
    return hospitals["yuyao"]


def _dispatch(host, east, started_on, ended_on=None):
    return MedicalDispatchFactory(host_org=host, source_org=east, started_on=started_on, ended_on=ended_on)


def test_a_hospital_hosting_the_team_without_the_month_s_statistics_is_named(regions, hospitals, east):
    _dispatch(hospitals["zhaojue"], east, datetime.date(2024, 3, 1))
    assert stats_missing(region=regions["zhaojue"], month=MAY) == [
        "昭觉县人民医院在2024年5月有医疗派驻人员在岗，但没有该月的月度诊疗统计。"
    ]
    assert [w["code"] for w in month_warnings(region=regions["zhaojue"], month=MAY)] == ["healthcare.stats_missing"]


def test_the_month_s_statistics_silence_it(regions, hospitals, east):
    _dispatch(hospitals["zhaojue"], east, datetime.date(2024, 3, 1))
    MedicalServiceStatFactory(host_org=hospitals["zhaojue"], month=MAY)
    assert stats_missing(region=regions["zhaojue"], month=MAY) == []


def test_statistics_of_another_month_do_not(regions, hospitals, east):
    _dispatch(hospitals["zhaojue"], east, datetime.date(2024, 3, 1))
    MedicalServiceStatFactory(host_org=hospitals["zhaojue"], month=datetime.date(2024, 4, 1))
    MedicalServiceStatFactory(host_org=hospitals["zhaojue"], month=datetime.date(2024, 6, 1))
    assert len(stats_missing(region=regions["zhaojue"], month=MAY)) == 1


@pytest.mark.parametrize(
    ("started_on", "ended_on", "warns"),
    [
        (datetime.date(2024, 5, 31), None, True),  # arrives on the month's last day
        (datetime.date(2024, 1, 1), datetime.date(2024, 5, 1), True),  # leaves on its first day
        (datetime.date(2024, 5, 10), datetime.date(2024, 5, 20), True),
        (datetime.date(2024, 6, 1), None, False),  # arrives the day after
        (datetime.date(2024, 1, 1), datetime.date(2024, 4, 30), False),  # left the day before
    ],
)
def test_the_stay_overlaps_the_month(regions, hospitals, east, started_on, ended_on, warns):
    _dispatch(hospitals["zhaojue"], east, started_on, ended_on)
    assert len(stats_missing(region=regions["zhaojue"], month=MAY)) == (1 if warns else 0)


def test_one_message_per_hospital_however_many_are_sent(regions, hospitals, east):
    for _ in range(3):
        _dispatch(hospitals["zhaojue"], east, datetime.date(2024, 2, 1))
    _dispatch(hospitals["town"], east, datetime.date(2024, 2, 1))
    messages = stats_missing(region=regions["zhaojue"], month=MAY)
    assert len(messages) == 2
    assert messages[0].startswith("三岔河镇卫生院") and messages[1].startswith("昭觉县人民医院")


def test_a_hospital_without_the_team_is_not_asked_for_statistics(regions, hospitals):
    assert stats_missing(region=regions["zhaojue"], month=MAY) == []


def test_the_county_and_below_only(regions, hospitals, east):
    _dispatch(hospitals["town"], east, datetime.date(2024, 2, 1))
    _dispatch(hospitals["butuo"], east, datetime.date(2024, 2, 1))
    assert [m.split("在")[0] for m in stats_missing(region=regions["zhaojue"], month=MAY)] == ["三岔河镇卫生院"]
    assert [m.split("在")[0] for m in stats_missing(region=regions["butuo"], month=MAY)] == ["布拖县人民医院"]


def test_one_query_whatever_the_number_of_hospitals(regions, east, django_assert_max_num_queries):
    hosts = [OrganizationFactory(region=regions["town"], kind="hospital", name=f"卫生院{n}") for n in range(30)]
    MedicalDispatch.objects.bulk_create(
        MedicalDispatch(
            person_name=f"医生{n}",
            source_org=east,
            host_org=hosts[n % 30],
            role="resident",
            specialty="cardiology",
            started_on=datetime.date(2024, 1 + n % 5, 1),  # January to May
        )
        for n in range(300)
    )
    MedicalServiceStat.objects.bulk_create(MedicalServiceStat(host_org=host, month=MAY) for host in hosts[:10])
    with django_assert_max_num_queries(1):
        messages = stats_missing(region=regions["zhaojue"], month=MAY)
    assert len(messages) == 20
