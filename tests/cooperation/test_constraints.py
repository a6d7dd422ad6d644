"""The one mapper from a refused database constraint to the field and message people see."""

import pytest
from django.core.exceptions import ValidationError

from consumption.models import Sale
from cooperation.constraints import CONFLICT, constraint_errors
from tests.consumption.factories import SaleFactory
from tests.factories import TargetFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _refused(make):
    """The ValidationError a write that skips validation (as a racing request would) gets."""
    with pytest.raises(ValidationError) as caught, constraint_errors():
        make()
    return caught.value.message_dict


def test_a_named_unique_constraint_names_its_field_and_message():
    sale = SaleFactory()
    errors = _refused(
        lambda: Sale.objects.create(
            source=sale.source,
            external_id=sale.external_id,
            sold_on=sale.sold_on,
            origin_region=sale.origin_region,
            channel=sale.channel,
            buyer_kind=sale.buyer_kind,
            amount=sale.amount,
        )
    )
    assert errors == {"external_id": ["已存在相同来源系统和外部编号的销售记录。"]}


def test_a_unique_column_gets_djangos_message_under_its_field():
    project = ProjectFactory()
    errors = _refused(lambda: ProjectFactory(code=project.code, region=project.region))
    assert list(errors) == ["code"]
    assert project.code not in errors["code"][0]  # the message never echoes the value


def test_a_model_names_the_field_of_its_constraint():
    """A duplicate target is the (year, indicator, region) triple: reported under no field."""
    target = TargetFactory(year=2023, indicator="talent.cadres", value=5)
    errors = _refused(lambda: TargetFactory(year=2023, indicator="talent.cadres", value=7, region=target.region))
    assert list(errors) == ["__all__"]


def test_validation_and_the_race_answer_under_the_same_field():
    from tests.healthcare.factories import MedicalServiceStatFactory

    stat = MedicalServiceStatFactory()
    twin = type(stat)(host_org=stat.host_org, month=stat.month)
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert list(caught.value.message_dict) == ["month"]
    raced = _refused(lambda: type(stat).objects.create(host_org=stat.host_org, month=stat.month))
    assert raced == {"month": caught.value.message_dict["month"]}


def test_a_check_constraint_names_its_message():
    errors = _refused(lambda: TargetFactory(year=2023, indicator="talent.cadres", value=-1))
    assert list(errors) == ["__all__"]
    assert errors["__all__"] != [str(CONFLICT)]  # the constraint's own message, not the generic one


def test_the_write_is_rolled_back():
    sale = SaleFactory()
    _refused(lambda: SaleFactory(source=sale.source, external_id=sale.external_id))
    assert Sale.objects.count() == 1
