"""The demo's second pair: a clearly fictitious eastern city helping a clearly fictitious second
county of Liangshan, with a small programme of its own, so that the prefecture's roll-up (two
counties side by side) and the user scopes have something to show.

Nothing here is in the source report. The names say so ("（虚构）", fictitious) and the codes lie
in ranges GB/T 2260 does not use: Zhejiang's prefectures run 3301-3311 (the city is 339900) and
Liangshan's counties 513401-513437 (the county is 513499), so no real place can be mistaken
for them and no ID number of a real person starts with the county's code.

Every record of the pair is dated in the first quarter of 2024 (the demo's "today" is the end of
March 2024): the pairing starts on 1 January 2024, so the figures DOMAIN.md fixes for 2021-2023
(programme-wide and for Zhaojue) are exactly those of the Yuyao-Zhaojue records. Where a record
has an end, it is that of history, as the portal is used years later: the medical team's stays
end with the last month of the hospital's statistics, and the project in progress in March was
completed at the end of 2024 (``COMPLETED_SINCE``), so that none of the county's months carries a
warning (``*/month_checks.py``) that its data do not deserve. Each of the
contract's indicators has a non-zero 2024 value for the county. The 2024 targets of Liangshan,
Zhaojue and the county are set here too (see ``ROLLUP_TARGETS``).
"""

import datetime
from decimal import Decimal

from consumption.models import Product, Sale, Venue
from cooperation.models import Pairing, Region, Secondment, Target
from demo.core import ZHAOJUE_TARGETS, DemoContext, NameBook, day_in, ensure_organizations, split_amount
from demo.labor import make_id_number
from education.models import Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent
from healthcare.models import MedicalDispatch, MedicalServiceStat
from labor.models import Placement, Worker
from projects.models import Disbursement, FundAllocation, Investment, ProgressReport, Project

D = Decimal
date = datetime.date
# The pair's first day: nothing of it is dated earlier (DOMAIN.md's 2021-2023 figures stay exact).
PAIR_START = date(2024, 1, 1)
# The demo's "today" (as in demo.projects): nothing of the pair is dated later.
REPORT_DATE = date(2024, 3, 31)
COUNTY_CODE = "513499"
EAST_CITY_CODE = "339900"
SALE_SOURCE = "demo"  # the demo's sales source; the pair's external ids are ``demo2-sale-…``
SALE_ID = "demo2-sale-2024-{:05d}"
WORKER_ID = "demo2-worker-{:04d}"

# (key, name, code, level, parent key, side); the parents are the core's Zhejiang and Liangshan.
REGIONS = [
    ("demo_east_city", "示例东部市（虚构）", EAST_CITY_CODE, "prefecture", "zhejiang", "east"),
    ("demo_county", "示例县（虚构）", COUNTY_CODE, "county", "liangshan", "west"),
    ("demo_town", "示例镇（虚构）", f"{COUNTY_CODE}100", "town", "demo_county", "west"),
    ("demo_village", "示例村（虚构）", f"{COUNTY_CODE}100201", "village", "demo_town", "west"),
]

# (key, name, kind, region key, parent key). Credit codes carry the regions' codes (digits 3-8).
ORGANIZATIONS = [
    ("demo_east_gov", "示例东部市人民政府（虚构）", "government", "demo_east_city", None),
    ("demo_east_hospital", "示例东部市第一人民医院（虚构）", "hospital", "demo_east_city", None),
    ("demo_east_school", "示例东部市实验中学（虚构）", "school", "demo_east_city", None),
    ("demo_east_college", "示例东部市职业技术学院（虚构）", "school", "demo_east_city", None),
    ("demo_east_electronics", "示例东部市电子科技有限公司（虚构）", "enterprise", "demo_east_city", None),
    ("demo_east_trade", "示例东部市农产品流通有限公司（虚构）", "enterprise", "demo_east_city", None),
    ("demo_gov", "示例县人民政府（虚构）", "government", "demo_county", None),
    ("demo_hospital", "示例县人民医院（虚构）", "hospital", "demo_county", None),
    ("demo_school", "示例县民族中学（虚构）", "school", "demo_county", None),
    ("demo_agri", "示例县高原农业开发有限公司（虚构）", "enterprise", "demo_county", None),
    ("demo_parts", "示例县电子配件有限公司（虚构）", "enterprise", "demo_town", "demo_east_electronics"),
    ("demo_coop", "示例村黑山羊养殖专业合作社（虚构）", "cooperative", "demo_village", None),
]
CREDIT_PREFIXES = {"east": "91339900", "west": "91513499", "cooperative": "93513499"}

# (kind, east key, west key, focus); the region pairing is the one that brings the county into
# the eastern city's scopes and the city into the county's.
PAIRINGS = [
    ("region", "demo_east_city", "demo_county", "产业协作、劳务协作、消费帮扶、人才交流"),
    ("hospital", "demo_east_hospital", "demo_hospital", "组团式医疗帮扶"),
    ("school", "demo_east_school", "demo_school", "组团式教育帮扶"),
]

# (code, name, category, region key, implementer key, status, started_on, allocations, payments):
# 12 million yuan of aid funds for 2024, 1.8 million paid by the end of March.
PROJECTS = [
    (
        "SD-2024-001",
        "2024年示例县高原特色农业示范园项目（虚构）",
        "industry",
        "demo_county",
        "demo_agri",
        "in_progress",
        date(2024, 2, 20),
        [("city", "3500000", date(2024, 1, 22)), ("province", "1500000", date(2024, 3, 12))],
        [("1000000", date(2024, 2, 28)), ("800000", date(2024, 3, 25))],
    ),
    (
        "SD-2024-002",
        "2024年示例镇就业帮扶车间项目（虚构）",
        "employment",
        "demo_town",
        "demo_parts",
        "approved",
        None,
        [("city", "4000000", date(2024, 3, 8))],
        [],
    ),
    (
        "SD-2024-003",
        "2024年示例村人居环境整治项目（虚构）",
        "rural",
        "demo_village",
        None,
        "planned",
        None,
        [("city", "3000000", date(2024, 3, 28))],
        [],
    ),
]
# The statuses above are those of the end of March 2024; the projects completed since, with the
# day. Left "in progress" with its payments ending in March, the park would be flagged as stalled
# (``projects.stalled``: no payment for six months) in every month from September 2024 on.
COMPLETED_SINCE = {"SD-2024-001": date(2024, 12, 20)}

# (enterprise, sector, amount in place, output value, jobs, of which poverty-alleviated)
INVESTMENTS = [
    ("demo_agri", "agricultural", "6500000", "2100000", 35, 14, None),
    ("demo_parts", "industrial", "4000000", "1800000", 48, 20, "demo_east_electronics"),
]

WORKERS = 60
POVERTY_ALLEVIATED = 12
# Of the 60, 52 went to the eastern city's factories and 8 work in the county's workshop.
EAST_WORKERS = 52
HOMETOWNS = ["demo_county", "demo_town", "demo_village"]
EAST_EMPLOYERS = [("demo_east_electronics", "电子装配工"), ("demo_east_trade", "分拣员")]

# (role, specialty, started_on, ended_on): 1 leader, 2 residents and a short stay. The team's
# first round ends with the last month of the hospital's statistics (SERVICE_STATS): a hospital
# hosting the team in a month without statistics is a warning (``healthcare.stats_missing``).
MEDICAL_DISPATCHES = [
    ("leader", "医院管理", date(2024, 1, 8), date(2024, 3, 31)),
    ("resident", "急诊医学科", date(2024, 1, 8), date(2024, 3, 31)),
    ("resident", "妇产科", date(2024, 1, 8), date(2024, 3, 31)),
    ("short_term", "超声", date(2024, 2, 26), date(2024, 3, 25)),
]
# Monthly service statistics of the county hospital: (month, outpatients, surgeries, rescues).
SERVICE_STATS = [
    (date(2024, 1, 1), 1020, 38, 12),
    (date(2024, 2, 1), 880, 31, 9),
    (date(2024, 3, 1), 1140, 44, 14),
]
TEACHER_DISPATCHES = [
    ("leader", "学校管理（校长）", date(2024, 2, 26), None),
    ("resident", "数学", date(2024, 2, 26), None),
    ("resident", "英语", date(2024, 2, 26), None),
]
MENTORSHIPS = 6
TRAININGS = [
    (date(2024, 3, 9), "新课标教学设计（示例县专场）", 42),
    (date(2024, 3, 23), "课堂教学评价（示例县专场）", 46),
]
VOCATIONAL_STUDENTS = 8
VOCATIONAL_ENROLMENT = date(2024, 3, 1)  # the college's spring intake
VOCATIONAL_MAJORS = ["电子技术应用", "电子商务", "数控加工"]

# (direction, kind, position, started_on, ended_on)
SECONDMENTS = [
    ("east_to_west", "cadre", "示例县委常委、副县长（挂职）", date(2024, 1, 15), None),
    ("west_to_east", "cadre", "示例东部市发展和改革局（挂职）", date(2024, 3, 1), date(2024, 8, 31)),
    ("east_to_west", "professional", "示例县农业农村局（农技）", date(2024, 2, 1), None),
]

# (name, category, origin, supplier, unit, price per unit)
PRODUCTS = [
    ("示例县高原土豆（虚构）", "马铃薯", "demo_county", "demo_agri", "kg", "5"),
    ("示例县苦荞面（虚构）", "苦荞", "demo_town", "demo_agri", "箱", "48"),
    ("示例村黑山羊肉（虚构）", "羊肉", "demo_village", "demo_coop", "kg", "98"),
]
VENUE = ("示例东部市消费帮扶专馆（虚构）", "hall", "demo_east_city", "demo_east_trade", "示例东部市")
# 60 sales in the first quarter, 2.4 million yuan: (channel, buyer kinds)
SALES_TOTAL = D("2400000")
SALES = 60
CHANNELS = [("hall", ["individual", "union"]), ("ecommerce", ["individual"]), ("canteen", ["government", "enterprise"])]

# The 2024 targets of the roll-up: the prefecture and both of its programme counties (annual
# targets; the records reach to the end of March, so every county lags at the demo's "today").
# The prefecture's target is the sum of the counties' for every indicator but two, left apart on
# purpose so that the dashboard's check "the children's targets do not add up" has something to
# show: labor.employed (the prefecture asked for 1,800 after the counties had set 1,500 + 200)
# and consumption.sales (60 million for the prefecture, 45 + 10 million for the counties: the
# prefecture counts on its other counties' sales, which have no targets of their own).
# Indicators without a county target here (the hospital and training figures, the vocational
# students) are left without a prefecture target too.
ROLLUP_TARGETS = {
    # indicator: (Liangshan, Zhaojue, the fictitious county)
    "funds.allocated": ("41600000", "29600000", "12000000"),
    "funds.disbursed": ("69000000", "60000000", "9000000"),
    "projects.count": ("7", "4", "3"),
    "investment.enterprises": ("9", "7", "2"),
    "investment.amount": ("82000000", "70000000", "12000000"),
    "labor.employed": ("1800", "1500", "200"),  # deliberately not 1,700
    "labor.employed_poverty_alleviated": ("300", "260", "40"),
    "labor.employed_east": ("1560", "1400", "160"),
    "healthcare.staff_dispatched": ("18", "12", "6"),
    "education.teachers_dispatched": ("14", "10", "4"),
    "education.mentorships": ("35", "25", "10"),
    "talent.cadres": ("6", "4", "2"),
    "consumption.sales": ("60000000", "45000000", "10000000"),  # deliberately not 55 million
}
# Targets of the county alone (no counterpart for Zhaojue or the prefecture).
COUNTY_ONLY_TARGETS = {
    "healthcare.outpatients": "12000",
    "healthcare.surgeries": "450",
    "healthcare.rescues": "150",
    "education.teachers_trained": "300",
    "education.vocational_students": "10",
}
TARGET_YEAR = 2024


def seed_regions(ctx: DemoContext) -> None:
    for key, name, code, level, parent, side in REGIONS:
        ctx.regions[key] = ctx.ensure(
            Region, {"code": code}, {"name": name, "level": level, "side": side, "parent": ctx.regions[parent]}
        )


def seed_organizations(ctx: DemoContext) -> None:
    ensure_organizations(
        ctx,
        ORGANIZATIONS,
        lambda kind, region: CREDIT_PREFIXES["cooperative" if kind == "cooperative" else region.side],
    )


def seed_pairings(ctx: DemoContext) -> None:
    r, o = ctx.regions, ctx.orgs
    for kind, east, west, focus in PAIRINGS:
        sides = (
            {"east_region": r[east], "west_region": r[west]}
            if kind == "region"
            else {"east_org": o[east], "west_org": o[west]}
        )
        ctx.ensure(Pairing, {"kind": kind, **sides}, {"started_on": PAIR_START, "focus": focus})


def seed_projects(ctx: DemoContext) -> None:
    projects, allocations, payments = [], [], []
    for code, name, category, region, implementer, status, started_on, tranches, paid in PROJECTS:
        budget = sum(D(amount) for _source, amount, _on in tranches)
        projects.append(
            Project(
                code=code,
                name=name,
                category=category,
                year=TARGET_YEAR,
                status="completed" if code in COMPLETED_SINCE else status,
                region=ctx.regions[region],
                implementer=ctx.orgs.get(implementer),
                budget=budget,
                started_on=started_on,
                completed_on=COMPLETED_SINCE.get(code),
                beneficiaries=600,
                beneficiaries_poverty_alleviated=180,
                beneficiary_households=150,
                benefits_jobs=category in ("industry", "employment"),
                benefits_purchases=category == "industry",
            )
        )
        for seq, (source, amount, allocated_on) in enumerate(tranches, start=1):
            document = f"示东西协〔2024〕{code[-1]}-{seq}号"
            fields = {"year": TARGET_YEAR, "source": source, "amount": D(amount), "allocated_on": allocated_on}
            allocations.append((code, {**fields, "document": document}))
        # Never more paid out than allocated (the services' rule, checked here on the data).
        if sum(D(amount) for amount, _on in paid) > budget:
            raise ValueError(f"Demo project {code} would pay out more than allocated.")
        for seq, (amount, paid_on) in enumerate(paid, start=1):
            payee = ctx.orgs[implementer].name if implementer else ""
            fields = {"amount": D(amount), "paid_on": paid_on, "payee": payee}
            payments.append((code, {**fields, "voucher": f"{code}-P{seq}"}))
    stored = {p.code: p for p in ctx.ensure_all(Project, projects, key=("code",))}
    ctx.ensure_all(
        FundAllocation,
        [FundAllocation(project=stored[code], **fields) for code, fields in allocations],
        key=("project_id", "document"),
    )
    ctx.ensure_all(
        Disbursement,
        [Disbursement(project=stored[code], **fields) for code, fields in payments],
        key=("project_id", "voucher"),
    )
    reports = [
        ProgressReport(project=stored[code], reported_on=REPORT_DATE, percent_complete=35, note="季度进度报告")
        for code, *_rest, status, _started, _tranches, _paid in PROJECTS
        if status == "in_progress"
    ]
    ctx.ensure_all(ProgressReport, reports, key=("project_id", "reported_on"))
    for key, sector, amount, output, jobs, jobs_pa, parent in INVESTMENTS:
        ctx.ensure(
            Investment,
            {"enterprise": ctx.orgs[key], "year": TARGET_YEAR},
            {
                "east_parent": ctx.orgs.get(parent),
                "sector": sector,
                "amount": D(amount),
                "output_value": D(output),
                "jobs_created": jobs,
                "jobs_poverty_alleviated": jobs_pa,
                "project": stored["SD-2024-001"] if key == "demo_agri" else None,
            },
        )


def seed_workers(ctx: DemoContext) -> None:
    rng = ctx.rng_for("second-pair-labor")
    names = NameBook(rng)
    poverty = set(rng.sample(range(WORKERS), POVERTY_ALLEVIATED))
    used: set[str] = set()
    workers, placements = [], []
    for i in range(WORKERS):
        male = rng.random() < 0.6
        worker = Worker(
            name=names.yi_any(),
            hometown=ctx.regions[rng.choice(HOMETOWNS)],
            poverty_alleviated=i in poverty,
            external_id=WORKER_ID.format(i + 1),
        )
        # The model's setters encrypt the number and phone, and derive birth date and gender.
        worker.id_number = make_id_number(
            rng, used=used, birth_first=date(1975, 1, 1), birth_last=date(2004, 12, 31), male=male, area=COUNTY_CODE
        )
        worker.phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        workers.append(worker)
        if i < EAST_WORKERS:
            employer, position = rng.choice(EAST_EMPLOYERS)
            wage = rng.randrange(4500, 7500, 100)
            placement = {"destination": "east", "employer": employer, "position": position, "monthly_wage": wage}
        else:
            placement = {"destination": "workshop", "employer": "demo_parts", "position": "车间操作工"}
            placement["monthly_wage"] = rng.randrange(2200, 3800, 100)
        placements.append((worker.external_id, placement, day_in(rng, date(2024, 1, 5), date(2024, 3, 20))))
    existing = dict(Worker.objects.filter(external_id__startswith="demo2-worker-").values_list("external_id", "pk"))
    for worker in ctx.bulk_ensure(Worker, workers, key=lambda w: w.external_id, existing=set(existing)):
        existing[worker.external_id] = worker.pk
    objs = [
        Placement(
            worker_id=existing[external_id],
            destination=fields["destination"],
            employer=ctx.orgs[fields["employer"]],
            position=fields["position"],
            monthly_wage=D(fields["monthly_wage"]),
            started_on=started_on,
        )
        for external_id, fields, started_on in placements  # one each: nothing can overlap
    ]
    stored = set(
        Placement.objects.filter(worker_id__in=existing.values()).values_list("worker_id", "destination", "started_on")
    )
    ctx.bulk_ensure(Placement, objs, key=lambda p: (p.worker_id, p.destination, p.started_on), existing=stored)


def seed_healthcare(ctx: DemoContext, names: NameBook) -> None:
    hospital = ctx.orgs["demo_hospital"]
    dispatches = [
        MedicalDispatch(
            person_name=names.han(),
            started_on=started_on,
            ended_on=ended_on,
            role=role,
            specialty=specialty,
            source_org=ctx.orgs["demo_east_hospital"],
            host_org=hospital,
        )
        for role, specialty, started_on, ended_on in MEDICAL_DISPATCHES
    ]
    ctx.ensure_all(MedicalDispatch, dispatches, key=("person_name", "started_on"))
    stats = [
        MedicalServiceStat(
            host_org=hospital, month=month, outpatients=outpatients, surgeries=surgeries, rescues=rescues
        )
        for month, outpatients, surgeries, rescues in SERVICE_STATS
    ]
    existing = set(MedicalServiceStat.objects.filter(host_org=hospital).values_list("month", flat=True))
    ctx.bulk_ensure(MedicalServiceStat, stats, key=lambda stat: stat.month, existing=existing)


def seed_education(ctx: DemoContext, rng, names: NameBook) -> None:
    school = ctx.orgs["demo_school"]
    dispatches = [
        TeacherDispatch(
            person_name=names.han(),
            started_on=started_on,
            ended_on=ended_on,
            role=role,
            subject=subject,
            source_org=ctx.orgs["demo_east_school"],
            host_org=school,
        )
        for role, subject, started_on, ended_on in TEACHER_DISPATCHES
    ]
    team = ctx.ensure_all(TeacherDispatch, dispatches, key=("person_name", "started_on"))
    mentorships = [
        Mentorship(
            mentor=team[i % len(team)],
            apprentice_name=names.yi(),
            started_on=day_in(rng, date(2024, 3, 4), REPORT_DATE),
        )
        for i in range(MENTORSHIPS)
    ]
    ctx.ensure_all(Mentorship, mentorships, key=("apprentice_name", "mentor_id"))
    trainings = [
        TeacherTraining(held_on=held_on, topic=topic, participants=n, school=school) for held_on, topic, n in TRAININGS
    ]
    ctx.ensure_all(TeacherTraining, trainings, key=("held_on", "topic"))
    students = [
        VocationalStudent(
            name=names.yi(),
            enrolled_on=VOCATIONAL_ENROLMENT,
            hometown=ctx.regions[rng.choice(HOMETOWNS)],
            school=ctx.orgs["demo_east_college"],
            major=rng.choice(VOCATIONAL_MAJORS),
            status="studying",
        )
        for _ in range(VOCATIONAL_STUDENTS)
    ]
    ctx.ensure_all(VocationalStudent, students, key=("name", "enrolled_on"))


def seed_secondments(ctx: DemoContext, names: NameBook) -> None:
    east, west = ctx.orgs["demo_east_gov"], ctx.orgs["demo_gov"]
    for direction, kind, position, started_on, ended_on in SECONDMENTS:
        person = names.han() if direction == "east_to_west" else names.yi()
        ctx.ensure(
            Secondment,
            {"person_name": person, "started_on": started_on},
            {
                "direction": direction,
                "kind": kind,
                "position": position,
                "region": ctx.regions["demo_county"],
                "home_org": east if direction == "east_to_west" else west,
                "host_org": west if direction == "east_to_west" else east,
                "ended_on": ended_on,
            },
        )


def seed_consumption(ctx: DemoContext) -> None:
    rng = ctx.rng_for("second-pair-consumption")
    products = [
        (
            ctx.ensure(
                Product,
                {"name": name, "origin_region": ctx.regions[origin]},
                {"category": category, "supplier": ctx.orgs[supplier]},
            ),
            unit,
            D(price),
        )
        for name, category, origin, supplier, unit, price in PRODUCTS
    ]
    name, kind, place, operator, address = VENUE
    venue = ctx.ensure(
        Venue,
        {"name": name},
        {"kind": kind, "place": ctx.regions[place], "operator": ctx.orgs[operator], "address": address},
    )
    sales = []
    amounts = split_amount(SALES_TOTAL, [rng.lognormvariate(0, 0.8) for _ in range(SALES)])
    for seq, amount in enumerate(amounts, start=1):
        product, unit, price = rng.choice(products)
        channel, buyers = rng.choice(CHANNELS)
        sales.append(
            Sale(
                source=SALE_SOURCE,
                external_id=SALE_ID.format(seq),
                sold_on=day_in(rng, PAIR_START, REPORT_DATE),
                origin_region=product.origin_region,
                product=product,
                venue=venue if channel == "hall" else None,
                channel=channel,
                buyer_kind=rng.choice(buyers),
                east_role=rng.choice(("bought", "helped_sell")),
                amount=amount,
                quantity=max(D("0.001"), (amount / price).quantize(D("0.001"))),
                unit=unit,
            )
        )
    existing = set(
        Sale.objects.filter(source=SALE_SOURCE, external_id__startswith="demo2-sale-").values_list(
            "external_id", flat=True
        )
    )
    ctx.bulk_ensure(Sale, sales, key=lambda sale: sale.external_id, existing=existing)


def seed_targets(ctx: DemoContext) -> None:
    # Zhaojue's 2024 plan targets are the core's (demo.core.ZHAOJUE_TARGETS); the roll-up table
    # repeats them so that its rows read as a whole, and must agree with them.
    for key, value in ZHAOJUE_TARGETS[TARGET_YEAR].items():
        if D(ROLLUP_TARGETS[key][1]) != D(value):
            raise ValueError(f"The roll-up target of Zhaojue for {key} differs from demo.core's.")
    liangshan, zhaojue, county = ctx.regions["liangshan"], ctx.regions["zhaojue"], ctx.regions["demo_county"]
    rows = [
        *(
            (region, key, value)
            for key, values in ROLLUP_TARGETS.items()
            for region, value in zip((liangshan, zhaojue, county), values, strict=True)
        ),
        *((county, key, value) for key, value in COUNTY_ONLY_TARGETS.items()),
    ]
    for region, key, value in rows:
        ctx.ensure(Target, {"year": TARGET_YEAR, "indicator": key, "region": region}, {"value": D(value)})


def seed(ctx: DemoContext) -> None:
    seed_regions(ctx)
    seed_organizations(ctx)
    seed_pairings(ctx)
    seed_projects(ctx)
    seed_workers(ctx)
    names = NameBook(ctx.rng_for("second-pair-people"))
    seed_healthcare(ctx, names)
    seed_education(ctx, ctx.rng_for("second-pair-education"), names)
    seed_secondments(ctx, names)
    seed_consumption(ctx)
    seed_targets(ctx)
