"""Healthcare's own rules (the shared dispatch rules are in tests/cooperation/test_dispatch.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from healthcare.models import Discipline, MedicalServiceStat, NewTechnique, OutreachEvent
from tests.healthcare.factories import MedicalDispatchFactory

D = datetime.date


@pytest.mark.django_db
class TestMedicalServiceStat:
    def test_month_must_be_a_first_day(self, hospitals):
        with pytest.raises(ValidationError) as exc:
            MedicalServiceStat(host_org=hospitals["zhaojue"], month=D(2023, 5, 2)).full_clean()
        assert "month" in exc.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            MedicalServiceStat.objects.create(host_org=hospitals["zhaojue"], month=D(2023, 5, 2))

    def test_one_row_per_hospital_and_month(self, hospitals):
        MedicalServiceStat.objects.create(host_org=hospitals["zhaojue"], month=D(2023, 5, 1), outpatients=1)
        with pytest.raises(ValidationError) as exc:
            MedicalServiceStat(host_org=hospitals["zhaojue"], month=D(2023, 5, 1)).full_clean()
        assert "month" in exc.value.message_dict
        with pytest.raises(IntegrityError), transaction.atomic():
            MedicalServiceStat.objects.create(host_org=hospitals["zhaojue"], month=D(2023, 5, 1))
        MedicalServiceStat(host_org=hospitals["town"], month=D(2023, 5, 1)).full_clean()  # another hospital

    def test_host_must_be_west(self, hospitals):
        with pytest.raises(ValidationError) as exc:
            MedicalServiceStat(host_org=hospitals["yuyao"], month=D(2023, 5, 1)).full_clean()
        assert "host_org" in exc.value.message_dict


@pytest.mark.django_db
class TestHospitalRecords:
    def test_lead_and_introducer_work_at_that_hospital(self, hospitals):
        dispatch = MedicalDispatchFactory(source_org=hospitals["yuyao"], host_org=hospitals["butuo"])
        with pytest.raises(ValidationError) as exc:
            Discipline(
                host_org=hospitals["zhaojue"], department="ICU", lead=dispatch, started_on=D(2023, 1, 1)
            ).full_clean()
        assert "lead" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            NewTechnique(
                host_org=hospitals["zhaojue"],
                name="PCI",
                department="ICU",
                introduced_on=D(2023, 1, 1),
                dispatch=dispatch,
            ).full_clean()
        assert "dispatch" in exc.value.message_dict
        Discipline(host_org=hospitals["butuo"], department="ICU", lead=dispatch, started_on=D(2023, 1, 1)).full_clean()

    def test_outreach_medicine_value_not_negative(self, hospitals):
        event = OutreachEvent(host_org=hospitals["zhaojue"], held_on=D(2023, 6, 1), place="三河村", medicine_value=-1)
        with pytest.raises(ValidationError) as exc:
            event.full_clean()
        assert "medicine_value" in exc.value.message_dict

    def test_records_hosted_in_the_east_are_refused(self, hospitals):
        for record in (
            Discipline(host_org=hospitals["yuyao"], department="ICU", started_on=D(2023, 1, 1)),
            NewTechnique(host_org=hospitals["yuyao"], name="PCI", department="ICU", introduced_on=D(2023, 1, 1)),
            OutreachEvent(host_org=hospitals["yuyao"], held_on=D(2023, 1, 1), place="x"),
        ):
            with pytest.raises(ValidationError) as exc:
                record.full_clean()
            assert "host_org" in exc.value.message_dict
