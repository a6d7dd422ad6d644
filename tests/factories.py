"""Factories of the programme core, shared by every app's tests."""

import datetime
import functools
import importlib
import itertools
from pathlib import Path

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from cooperation.models import Organization, Pairing, Region, Secondment, Submission, Target
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


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft of a county's month (each new one a month later, so that none collide)."""

    class Meta:
        model = Submission

    region = factory.SubFactory(RegionFactory, level="county", side="west")
    month = factory.Sequence(lambda n: datetime.date(2001 + n // 12, n % 12 + 1, 1))


# --- a record of any kind in a given region (the scope tests' builder registry) ----------------


@functools.cache
def model_factories() -> dict:
    """The factory of each model, found in ``tests/**/factories.py`` (the one named after the
    model wins: ``EastSchoolFactory`` also makes organisations)."""
    found = {}
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("factories.py")):
        module = importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
                model = value._meta.model
                if model is not None and (model not in found or value.__name__ == f"{model.__name__}Factory"):
                    found[model] = value
    return found


# References a factory makes off the record's region path, and the side of the pair they belong
# on: a record "in a county" refers only to the county's side (west) or its eastern partner.
OFF_PATH_REFERENCES = {
    "projects.EquityInvestment": {"investee__region": "west"},
    "projects.EquityDividend": {"equity__investee__region": "west"},
    "healthcare.MedicalDispatch": {"source_org__region": "east"},
    "education.TeacherDispatch": {"source_org__region": "east"},
    "education.Mentorship": {"mentor__source_org__region": "east"},
    "education.VocationalStudent": {"school__region": "east"},
    "consumption.Venue": {"operator__region": "west"},
}
_numbers = itertools.count(1)


def _region_in(*, county, east):
    n = next(_numbers) % 1000
    return RegionFactory(code=f"{county.code}{n:03d}", name=f"镇{n}", level="town", side=county.side, parent=county)


def _pairing_in(*, county, east):
    return PairingFactory(kind="region", east_region=east, west_region=county)


def _target_in(*, county, east):
    return TargetFactory(region=county, year=2000 + next(_numbers) % 100)


def _attachment_in(*, county, east):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects.models import ProgressAttachment
    from tests.projects.factories import ProgressReportFactory

    report = ProgressReportFactory(project__region=county)
    return ProgressAttachment.objects.create(
        report=report, title=f"验收单 {next(_numbers)}", file=SimpleUploadedFile("acceptance.pdf", b"%PDF-1.4 demo")
    )


def _disbursement_in(*, county, east):
    from tests.projects.factories import DisbursementFactory, FundAllocationFactory, ProjectFactory

    # Funds allocated first, so that a disbursement like it may also be created (no overspend).
    project = ProjectFactory(region=county)
    FundAllocationFactory(project=project, amount=1_000_000)
    return DisbursementFactory(project=project)


# Record kinds a factory alone cannot place (keyed by model label).
RECORD_BUILDERS = {
    "projects.Disbursement": _disbursement_in,
    "cooperation.Region": _region_in,
    "cooperation.Pairing": _pairing_in,
    "cooperation.Target": _target_in,
    "projects.ProgressAttachment": _attachment_in,
}


def build_record(model, *, county, east):
    """A stored record of ``model`` whose region path (its record kind) lands in ``county`` (a
    western county), every other reference in ``county`` or in ``east`` (its eastern partner).

    A new record kind is built by its factory (``tests/<app>/factories.py``, named after the
    model) with the region path as the argument (``project__region=county``); one that needs
    more gets an entry in ``OFF_PATH_REFERENCES`` or ``RECORD_BUILDERS``.
    """
    from cooperation.records import record_kind

    label = model._meta.label
    if label in RECORD_BUILDERS:
        return RECORD_BUILDERS[label](county=county, east=east)
    model_factory = model_factories().get(model)
    kind = record_kind(model)
    if model_factory is None or kind is None or not kind.region:
        raise LookupError(
            f"No way to build a {label} record in a given county: add {model.__name__}Factory to "
            f"tests/{model._meta.app_label}/factories.py, or a builder to tests.factories.RECORD_BUILDERS."
        )
    kwargs = {kind.region: county}
    for name, side in OFF_PATH_REFERENCES.get(label, {}).items():
        kwargs[name] = east if side == "east" else county
    return model_factory(**kwargs)
