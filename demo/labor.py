"""Demo labor cooperation: 1,581 Zhaojue workers helped into jobs in Yuyao (272 of them
poverty-alleviated), each with an ``east`` placement starting between July 2021 and February
2024; some came home and work in an assistance workshop, locally or as outworkers. Plus the
workshops, the recruitment drives and the skills trainings.

ID numbers are synthetic but valid (GB 11643: Zhaojue's area code 513431, a real birth date,
the check digit) and go through the ``Worker`` model, which stores them encrypted.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from demo.core import DemoContext, NameBook, day_in
from labor.models import Placement, RecruitmentEvent, SkillsTraining, Worker, Workshop
from labor.services import placement_check
from labor.validators import id_number_check_character, validate_id_number

WORKERS = 1581
POVERTY_ALLEVIATED = 272
ZHAOJUE_AREA = "513431"
EXTERNAL_ID = "demo-worker-{:04d}"
REPORT_DATE = datetime.date(2024, 3, 31)

# How many workers went east in each half-year (the first drive in July 2021, the last arrivals
# in January-February 2024).
COHORTS = [
    (datetime.date(2021, 7, 1), datetime.date(2021, 12, 31), 330),
    (datetime.date(2022, 1, 1), datetime.date(2022, 6, 30), 300),
    (datetime.date(2022, 7, 1), datetime.date(2022, 12, 31), 260),
    (datetime.date(2023, 1, 1), datetime.date(2023, 6, 30), 340),
    (datetime.date(2023, 7, 1), datetime.date(2023, 12, 31), 260),
    (datetime.date(2024, 1, 1), datetime.date(2024, 2, 29), 91),
]
HOMETOWNS = ["sanhe", "sikai_village", "wawu", "zhuhe_village", "xincheng", "sanchahe", "sikai", "guqu", "zhuhe"]
EAST_EMPLOYERS = [
    ("zhilun", "电子装配工"),
    ("ningxingheng", "仓储物流员"),
    ("employer_shunda", "装配工"),
    ("employer_yangming", "注塑操作工"),
    ("employer_yaojiang", "模具学徒"),
    ("employer_siming", "质检员"),
    ("employer_longshan", "汽配装配工"),
    ("employer_hemudu", "食品包装工"),
    ("yuyao_trade", "分拣员"),
]

WORKSHOPS = [
    ("三河村帮扶车间", "hengchi", "sanhe", datetime.date(2021, 12, 1), 60, "服装加工，计件付薪"),
    ("四开镇志雪电子帮扶车间", "zhixue", "sikai", datetime.date(2022, 6, 1), 80, "电子元件加工"),
    (
        "竹核村外协工服务点",
        "hengchi",
        "zhuhe_village",
        datetime.date(2023, 3, 1),
        40,
        "不选人、不选址、不打卡、随到随做、计件付薪",
    ),
]
RECRUITMENT_EVENTS = [
    (datetime.date(2021, 7, 10), "昭觉县人力资源市场余姚专场招聘会", 420, 610, 180),
    (datetime.date(2021, 10, 16), "三岔河镇余姚企业专场招聘会", 260, 380, 150),
    (datetime.date(2022, 2, 20), "昭觉县春风行动余姚专场招聘会", 600, 820, 300),
    (datetime.date(2022, 8, 12), "四开镇余姚企业专场招聘会", 300, 410, 160),
    (datetime.date(2023, 2, 18), "昭觉县春风行动余姚专场招聘会", 650, 900, 340),
    (datetime.date(2023, 8, 25), "竹核镇余姚企业专场招聘会", 320, 450, 170),
    (datetime.date(2024, 1, 28), "昭觉县春节返乡人员余姚专场招聘会", 300, 380, 90),
]
SKILLS_TRAININGS = [
    ("电子装配岗前培训", "sikai", "zhixue", datetime.date(2022, 5, 9), datetime.date(2022, 5, 20), 96, 41),
    ("缝纫工技能培训", "sanhe", "hengchi", datetime.date(2022, 3, 7), datetime.date(2022, 3, 25), 120, 52),
    ("肉牛养殖实用技术培训", "sanhe", "zhaojue_gov", datetime.date(2022, 9, 13), datetime.date(2022, 9, 16), 85, 40),
    (
        "外出务工普通话和安全培训",
        "zhaojue",
        "zhaojue_gov",
        datetime.date(2023, 2, 6),
        datetime.date(2023, 2, 10),
        210,
        64,
    ),
]


def make_id_number(
    rng,
    *,
    used: set,
    birth_first: datetime.date,
    birth_last: datetime.date,
    male: bool,
    area: str = ZHAOJUE_AREA,
) -> str:
    """A synthetic but valid resident ID number (GB 11643) of ``area`` (a county's division
    code, Zhaojue's by default), not in ``used``.

    The labor app's validator checks each one, so the demo data never holds a number the portal
    itself would refuse.
    """
    while True:
        birth = day_in(rng, birth_first, birth_last)
        serial = rng.randrange(0, 1000)
        if (serial % 2 == 1) != male:  # the 17th digit: odd for men, even for women
            serial = (serial + 1) % 1000
        first17 = f"{area}{birth:%Y%m%d}{serial:03d}"
        number = first17 + id_number_check_character(first17)
        if number not in used:
            validate_id_number(number)
            used.add(number)
            return number


def _worker_specs(ctx: DemoContext, rng) -> list[dict]:
    """Every demo worker and their placements, as plain data (no database)."""
    names = NameBook(rng)
    poverty = set(rng.sample(range(WORKERS), POVERTY_ALLEVIATED))
    used: set[str] = set()
    starts = []
    for first, last, count in COHORTS:
        starts += sorted(day_in(rng, first, last) for _ in range(count))
    specs = []
    for i, east_start in enumerate(starts):
        male = rng.random() < 0.62
        id_number = make_id_number(
            rng, used=used, birth_first=datetime.date(1970, 1, 1), birth_last=datetime.date(2003, 12, 31), male=male
        )
        employer, position = rng.choice(EAST_EMPLOYERS)
        # Four in ten came home after three months to two years; the rest are still in Yuyao.
        east_end = None
        if rng.random() < 0.4:
            east_end = east_start + datetime.timedelta(days=rng.randint(90, 730))
            if east_end >= REPORT_DATE:
                east_end = None
        placements = [
            {
                "destination": "east",
                "employer": employer,
                "position": position,
                "started_on": east_start,
                "ended_on": east_end,
                "monthly_wage": Decimal(rng.randrange(4200, 7800, 100)),
            }
        ]
        if east_end is not None and rng.random() < 0.5:
            # Back home: a workshop or local job, or piecework at home (the outworker model).
            start = east_end + datetime.timedelta(days=rng.randint(10, 60))
            destination = rng.choice(("workshop", "workshop", "local", "outworker"))
            if start < REPORT_DATE:
                workshop = destination in ("workshop", "outworker")
                placements.append(
                    {
                        "destination": destination,
                        "employer": rng.choice(("hengchi", "zhixue")) if workshop else "agri_buckwheat",
                        "position": {"workshop": "车间操作工", "outworker": "外协工", "local": "农业工人"}[destination],
                        "started_on": start,
                        "ended_on": None,
                        "monthly_wage": Decimal(rng.randrange(2000, 4000, 100)),
                    }
                )
        specs.append(
            {
                "external_id": EXTERNAL_ID.format(i + 1),
                "name": names.yi_any(),
                "id_number": id_number,
                "phone": f"1{rng.choice('35789')}{rng.randrange(10**9):09d}",
                "hometown": rng.choice(HOMETOWNS),
                "poverty_alleviated": i in poverty,
                "monitored_household": i in poverty and rng.random() < 0.1,
                "placements": placements,
            }
        )
    return specs


def seed_workers(ctx: DemoContext) -> None:
    rng = ctx.rng_for("labor")
    specs = _worker_specs(ctx, rng)
    existing = dict(Worker.objects.filter(external_id__startswith="demo-worker-").values_list("external_id", "pk"))
    new_workers = []
    for spec in specs:
        if spec["external_id"] in existing:
            continue
        worker = Worker(
            name=spec["name"],
            hometown=ctx.regions[spec["hometown"]],
            poverty_alleviated=spec["poverty_alleviated"],
            monitored_household=spec["monitored_household"],
            external_id=spec["external_id"],
        )
        # The model's setters encrypt the number and phone, and derive birth date and gender.
        worker.id_number = spec["id_number"]
        worker.phone = spec["phone"]
        new_workers.append(worker)
    for worker in ctx.bulk_ensure(Worker, new_workers, key=lambda w: w.external_id, existing=set()):
        existing[worker.external_id] = worker.pk

    stored = set(
        Placement.objects.filter(worker_id__in=existing.values()).values_list("worker_id", "destination", "started_on")
    )
    placements = []
    for spec in specs:
        of_worker = []
        for fields in spec["placements"]:
            placement = Placement(
                worker_id=existing[spec["external_id"]],
                **{**fields, "employer": ctx.orgs[fields["employer"]]},
            )
            # The services' overlap rule, checked on the data because the placements are stored in bulk.
            try:
                placement_check(placement=placement, others=of_worker)
            except ValidationError:
                raise ValueError(f"Demo placements of {spec['external_id']} overlap.") from None
            of_worker.append(placement)
            placements.append(placement)
    ctx.bulk_ensure(Placement, placements, key=lambda p: (p.worker_id, p.destination, p.started_on), existing=stored)


def _save_event(employers):
    def save(event):
        event.full_clean()
        event.save()
        event.employers.set(employers)
        return event

    return save


def seed_workshops_and_events(ctx: DemoContext) -> None:
    rng = ctx.rng_for("labor-events")
    for name, operator, region, opened_on, jobs, notes in WORKSHOPS:
        ctx.ensure(
            Workshop,
            {"name": name},
            {
                "operator": ctx.orgs[operator],
                "region": ctx.regions[region],
                "opened_on": opened_on,
                "jobs_offered": jobs,
                "notes": notes,
            },
        )
    for held_on, place, positions, attendees, hires in RECRUITMENT_EVENTS:
        employers = [ctx.orgs[key] for key, _ in rng.sample(EAST_EMPLOYERS, 4)]
        ctx.ensure(
            RecruitmentEvent,
            {"held_on": held_on, "place": place},
            {
                "region": ctx.regions["zhaojue"],
                "organiser": ctx.orgs["yuyao_gov"],
                "positions": positions,
                "attendees": attendees,
                "hires": hires,
            },
            save=_save_event(employers),
        )
    for course, region, organiser, started_on, ended_on, trainees, trainees_pa in SKILLS_TRAININGS:
        ctx.ensure(
            SkillsTraining,
            {"course": course, "started_on": started_on},
            {
                "region": ctx.regions[region],
                "organiser": ctx.orgs[organiser],
                "ended_on": ended_on,
                "trainees": trainees,
                "trainees_poverty_alleviated": trainees_pa,
            },
        )


def seed(ctx: DemoContext) -> None:
    seed_workers(ctx)
    seed_workshops_and_events(ctx)
