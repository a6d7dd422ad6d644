"""Factories of the programme core, shared by every app's tests."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import Organization, Pairing, Region, Secondment, Target
from demo.core import credit_code


def make_credit_code(n: int) -> str:
    """A valid unified social credit code, distinct for each ``n``."""
    return credit_code(n, prefix="91513431")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()  # stores the password set above


class RegionFactory(factory.django.DjangoModelFactory):
    """By default a western county under its own province; pass ``parent`` for a child."""

    class Meta:
        model = Region
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"County {n}")
    level = "county"
    side = "west"
    parent = None
    # 9xxxxx is no real division, so factory codes never collide with the named tree below.
    code = factory.Sequence(lambda n: f"9{n % 100000:05d}")


def region_tree():
    """A small two-sided tree: Zhejiang > Ningbo > Yuyao, Sichuan > Liangshan > Zhaojue > town > village,
    plus a second western county. Returns a dict of regions by short name."""
    zj = RegionFactory(name="浙江省", code="330000", level="province", side="east")
    nb = RegionFactory(name="宁波市", code="330200", level="prefecture", side="east", parent=zj)
    yy = RegionFactory(name="余姚市", code="330281", level="county", side="east", parent=nb)
    sc = RegionFactory(name="四川省", code="510000", level="province", side="west")
    ls = RegionFactory(name="凉山彝族自治州", code="513400", level="prefecture", side="west", parent=sc)
    zj_county = RegionFactory(name="昭觉县", code="513431", level="county", side="west", parent=ls)
    town = RegionFactory(name="三岔河镇", code="513431104", level="town", side="west", parent=zj_county)
    village = RegionFactory(name="三河村", code="513431104201", level="village", side="west", parent=town)
    other = RegionFactory(name="布拖县", code="513429", level="county", side="west", parent=ls)
    return {
        "zhejiang": zj,
        "ningbo": nb,
        "yuyao": yy,
        "sichuan": sc,
        "liangshan": ls,
        "zhaojue": zj_county,
        "town": town,
        "village": village,
        "butuo": other,
    }


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = "enterprise"
    side = factory.LazyAttribute(lambda o: o.region.side)
    region = factory.SubFactory(RegionFactory)
    credit_code = factory.Sequence(make_credit_code)


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    kind = "region"
    east_region = factory.SubFactory(RegionFactory, side="east")
    west_region = factory.SubFactory(RegionFactory)
    started_on = datetime.date(2021, 6, 1)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    year = 2023
    indicator = "funds.allocated"
    value = 1000000
    region = None


class SecondmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Secondment

    person_name = factory.Sequence(lambda n: f"Cadre {n}")
    direction = "east_to_west"
    kind = "cadre"
    region = factory.SubFactory(RegionFactory)
    started_on = datetime.date(2023, 3, 1)
    ended_on = None
