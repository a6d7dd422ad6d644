"""Factories of education records."""

import datetime

import factory

from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent
from tests.factories import OrganizationFactory, RegionFactory


class EastSchoolFactory(OrganizationFactory):
    kind = "school"
    region = factory.SubFactory(RegionFactory, side="east")


class WestSchoolFactory(OrganizationFactory):
    kind = "school"
    region = factory.SubFactory(RegionFactory, side="west")


class TeacherDispatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherDispatch

    person_name = factory.Sequence(lambda n: f"Teacher {n}")
    source_org = factory.SubFactory(EastSchoolFactory)
    host_org = factory.SubFactory(WestSchoolFactory)
    subject = "mathematics"
    role = "resident"
    started_on = datetime.date(2022, 8, 20)
    ended_on = None


class MentorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentorship

    mentor = factory.SubFactory(TeacherDispatchFactory)
    apprentice_name = factory.Sequence(lambda n: f"Apprentice {n}")
    started_on = datetime.date(2023, 3, 1)


class TeacherTrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherTraining

    held_on = datetime.date(2023, 4, 1)
    topic = factory.Sequence(lambda n: f"Training {n}")
    participants = 20
    school = factory.SubFactory(WestSchoolFactory)


class VocationalStudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VocationalStudent

    name = factory.Sequence(lambda n: f"Student {n}")
    hometown = factory.SubFactory(RegionFactory, side="west")
    school = factory.SubFactory(EastSchoolFactory)
    enrolled_on = datetime.date(2021, 8, 30)
    major = "Mechatronics"
    status = "studying"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    held_on = datetime.date(2023, 7, 15)
    kind = "summer_camp"
    title = "Summer camp"
    participants = 40
    school = factory.SubFactory(WestSchoolFactory)
