"""Factories of healthcare records."""

import datetime

import factory

from healthcare.models import Discipline, MedicalDispatch, MedicalServiceStat, NewTechnique, OutreachEvent
from tests.factories import OrganizationFactory, RegionFactory


class EastHospitalFactory(OrganizationFactory):
    kind = "hospital"
    region = factory.SubFactory(RegionFactory, side="east")


class WestHospitalFactory(OrganizationFactory):
    kind = "hospital"
    region = factory.SubFactory(RegionFactory, side="west")


class MedicalDispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalDispatch

    person_name = factory.Sequence(lambda n: f"Doctor {n}")
    source_org = factory.SubFactory(EastHospitalFactory)
    host_org = factory.SubFactory(WestHospitalFactory)
    specialty = "cardiology"
    role = "resident"
    started_on = datetime.date(2023, 3, 1)
    ended_on = None


class MedicalServiceStatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalServiceStat

    host_org = factory.SubFactory(WestHospitalFactory)
    month = factory.Sequence(lambda n: datetime.date(2000 + n // 12, n % 12 + 1, 1))
    outpatients = 1000
    surgeries = 60
    rescues = 25
    staff_trained = 10


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline

    host_org = factory.SubFactory(WestHospitalFactory)
    department = "Cardiology"
    goal = "A county-level chest-pain centre"
    started_on = datetime.date(2023, 1, 1)


class NewTechniqueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewTechnique

    host_org = factory.SubFactory(WestHospitalFactory)
    name = factory.Sequence(lambda n: f"Technique {n}")
    department = "Surgery"
    introduced_on = datetime.date(2023, 5, 1)


class OutreachEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutreachEvent

    host_org = factory.SubFactory(WestHospitalFactory)
    held_on = datetime.date(2023, 6, 1)
    place = "Sanhe village"
    people_served = 600
    medicine_value = "12000.00"
