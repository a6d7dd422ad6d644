"""Demo projects and their money: 65 projects of 2021-2023 with 246 million yuan of aid funds,
the 2024 plan (4 industry projects, 29.6 million), the wild-goose cattle equity with its
dividends and outcomes, and the enterprises' investments (7 in 2023, 67.27 million in place).

The report names some projects; the rest are invented in the same spirit so that each year's
allocations add up exactly to the year's total. Disbursements stay below allocations, and the
projects of 2023 lag behind as projects do at the start of the following year: the payments
and progress reports are those of the report's "now" (``REPORT_DATE``). The statuses are those
of today, years later: the 2023 projects still running then were completed in the rest of 2024
(``COMPLETED_2024``), so that no month of the demo flags a project as stalled.
"""

import datetime
from decimal import Decimal

from demo.core import CENT, DemoContext, day_in, split_amount
from projects.models import (
    Disbursement,
    EquityDividend,
    EquityInvestment,
    FundAllocation,
    Investment,
    OutcomeMeasure,
    ProgressReport,
    Project,
)

D = Decimal
TEN_THOUSAND = D("10000")
HUNDRED = D("100")
# The report's "now": early 2024. No demo payment or report is dated later.
REPORT_DATE = datetime.date(2024, 3, 31)
# When the projects in progress at REPORT_DATE were completed. The demo is history (the portal
# is used years after the report): a project left "in progress" with its payments ending at
# REPORT_DATE would be flagged as stalled (``projects.stalled``: no payment for six months) in
# every month since, and a county could not submit a month without explaining it. Their balance
# is paid once the final accounts are audited, after the last of the demo's records.
COMPLETED_2024 = (datetime.date(2024, 4, 1), datetime.date(2024, 12, 31))

# Aid funds per budget year: 65 projects and 246 million yuan over 2021-2023 (the report).
YEAR_TOTALS = {2021: D("56000000"), 2022: D("88000000"), 2023: D("102000000")}
YEAR_PROJECTS = {2021: 15, 2022: 24, 2023: 26}

# Projects the report names: (year, name, category, region key, implementer key, amount).
NAMED_PROJECTS = [
    (2021, "三河村西门塔尔肉牛养殖项目", "industry", "sanhe", "cattle_0", "4200000"),
    (2021, "横坎头村—三河村结对共建（党建、文旅、数字赋能）项目", "rural", "sanhe", None, "1500000"),
    (2021, "三河村社区帮扶车间建设项目", "employment", "sanhe", "hengchi", "2000000"),
    (2021, "昭觉县农村劳动力赴余姚务工交通生活补助", "employment", "zhaojue", "zhaojue_gov", "3000000"),
    (2022, "“雁阵工程”肉牛养殖入股项目", "industry", "sanhe", None, "3000000"),
    (2022, "凉山州志雪电子科技有限公司昭觉县生产基地（一期）", "industry", "zhaojue", "zhixue", "4000000"),
    (2022, "凉山州恒驰服饰有限公司帮扶车间项目", "employment", "zhaojue", "hengchi", "2500000"),
    (2022, "昭觉农特产品展销馆建设项目", "consumption", "zhaojue", "supply_coop", "1800000"),
    (2022, "余姚农特产品直营旗舰店项目", "consumption", "zhaojue", "supply_coop", "1200000"),
    (2022, "“甬昭两地仓”产地仓、销地仓建设项目", "consumption", "zhaojue", "supply_coop", "2600000"),
    (2022, "昭觉县人民医院儿科综合楼改造项目", "health", "zhaojue", "zhaojue_hospital", "3500000"),
    (2022, "“组团式”医疗帮扶项目", "health", "zhaojue", "zhaojue_hospital", "1500000"),
    (2022, "“姚优教”线上教学平台引入项目", "education", "zhaojue", "zhaojue_minzu", "600000"),
    (2023, "志雪电子昭觉县二期生产基地项目", "industry", "zhaojue", "zhixue", "2600000"),
    (2023, "恒驰服装厂外贸销售物流补助项目", "industry", "zhaojue", "hengchi", "700000"),
    (2023, "昭觉县人民医院健康管理中心提档升级项目", "health", "zhaojue", "zhaojue_hospital", "5000000"),
    (2023, "昭觉民族中学新建学生食堂项目", "education", "zhaojue", "zhaojue_minzu", "3800000"),
    (2023, "谷克德中学室内篮球场项目", "education", "zhaojue", "gukede_middle", "1600000"),
    (2023, "谷曲镇瓦吾小学附属工程项目", "education", "wawu", "wawu_primary", "1200000"),
    (2023, "昭觉县13所幼儿园学前学普项目", "education", "zhaojue", None, "800000"),
    (2023, "四开镇余姚农产品加工基地项目", "consumption", "sikai", "supply_coop", "3200000"),
    (2023, "“雁阵工程”向“群雁工程”扩面项目", "industry", "sanhe", None, "2000000"),
    (2023, "“组团式”教育帮扶项目", "education", "zhaojue", "zhaojue_minzu", "1000000"),
]

# The 2024 plan: 4 industry projects, 29.6 million yuan of aid funds, all still planned.
PLAN_2024 = [
    ("志雪电子昭觉县三期生产基地项目", "zhaojue", "zhixue", "12000000"),
    ("恒驰服饰扩产及外贸物流中心项目", "zhaojue", "hengchi", "8000000"),
    ("三河村肉牛育肥及分割加工基地项目", "sanhe", None, "6000000"),
    ("四开镇农产品精深加工基地（二期）项目", "sikai", "supply_coop", "3600000"),
]

# The invented rest: (name template, category); {place} is a town or village of Zhaojue.
GENERIC_PROJECTS = [
    ("{place}产业路建设项目", "infrastructure"),
    ("{place}人居环境整治项目", "rural"),
    ("{place}马铃薯良种繁育基地项目", "industry"),
    ("{place}苦荞种植示范基地项目", "industry"),
    ("{place}饮水安全巩固提升项目", "infrastructure"),
    ("{place}农村劳动力技能培训项目", "employment"),
    ("{place}村级活动阵地提升项目", "rural"),
    ("{place}核桃提质增效项目", "industry"),
    ("{place}高山蜂蜜产业发展项目", "industry"),
    ("{place}食用菌种植大棚项目", "industry"),
    ("{place}卫生院医疗设备提升项目", "health"),
    ("{place}小学教学设备更新项目", "education"),
    ("{place}易地搬迁安置点后续扶持项目", "rural"),
    ("{place}乌金猪养殖基地项目", "industry"),
    ("{place}农田水利设施改造项目", "infrastructure"),
    ("{place}就业帮扶车间项目", "employment"),
]
GENERIC_PLACES = ["xincheng", "sanchahe", "sanhe", "sikai", "sikai_village", "guqu", "wawu", "zhuhe", "zhuhe_village"]

# The wild-goose project's equity in the 7 cattle cooperatives: 3 million yuan in all.
CATTLE_EQUITY = ["600000", "500000", "450000", "400000", "400000", "350000", "300000"]
WILD_GOOSE_OUTCOMES = [
    ("参与合作社肉牛存栏", "头", "212", "500", "506"),
    ("参与项目的合作社", "家", "7", "10", "14"),
    ("参与合作社年销售额", "元", "0", "3000000", "3720000"),
    ("参与农户", "户", "0", "300", "312"),
    ("全村肉牛存栏", "头", "640", "1000", "1036"),
]

# Enterprises' investment in place: (enterprise, year, sector, amount, output value, jobs, of which
# poverty-alleviated). 2023: 2 industrial + 5 agricultural = 67.27 million yuan.
INVESTMENTS = [
    ("zhixue", 2022, "industrial", "15000000", "9800000", 150, 96),
    ("hengchi", 2022, "industrial", "10000000", "7100000", 120, 70),
    ("zhixue", 2023, "industrial", "21500000", "23180000", 228, 141),
    ("hengchi", 2023, "industrial", "12800000", "15200000", 160, 92),
    ("agri_buckwheat", 2023, "agricultural", "9600000", "6400000", 45, 30),
    ("agri_honey", 2023, "agricultural", "7200000", "3900000", 28, 19),
    ("agri_pork", 2023, "agricultural", "6170000", "5100000", 36, 22),
    ("agri_mushroom", 2023, "agricultural", "5600000", "3300000", 40, 27),
    ("agri_walnut", 2023, "agricultural", "4400000", "2600000", 22, 15),
]
EAST_PARENTS = {"zhixue": "zhilun", "hengchi": "ningxingheng"}


def _project_specs(ctx: DemoContext, rng) -> list[dict]:
    """Every project of 2021-2023 and of the 2024 plan, as field dictionaries (no database)."""
    specs = []
    for year, total in YEAR_TOTALS.items():
        named = [row for row in NAMED_PROJECTS if row[0] == year]
        n_generic = YEAR_PROJECTS[year] - len(named)
        rest = total - sum(D(row[5]) for row in named)
        generic_amounts = split_amount(rest, [rng.uniform(0.6, 1.8) for _ in range(n_generic)], step=TEN_THOUSAND)
        templates = rng.sample(GENERIC_PROJECTS, n_generic)
        rows = [(name, cat, region, impl, D(amount)) for _, name, cat, region, impl, amount in named]
        for (template, category), amount in zip(templates, generic_amounts, strict=True):
            place = rng.choice(GENERIC_PLACES)
            rows.append((template.format(place=ctx.regions[place].name), category, place, None, amount))
        for seq, (name, category, region, implementer, amount) in enumerate(rows, start=1):
            specs.append(
                {
                    "code": f"YZ-{year}-{seq:03d}",
                    "name": f"{year}年{name}",
                    "category": category,
                    "year": year,
                    "region": region,
                    "implementer": implementer,
                    "amount": amount,
                }
            )
    for seq, (name, region, implementer, amount) in enumerate(PLAN_2024, start=1):
        specs.append(
            {
                "code": f"YZ-2024-{seq:03d}",
                "name": f"2024年{name}",
                "category": "industry",
                "year": 2024,
                "region": region,
                "implementer": implementer,
                "amount": D(amount),
            }
        )
    return specs


def _status_and_progress(rng, year: int) -> tuple[str, Decimal]:
    """A project's status early in 2024 (at ``REPORT_DATE``) and the share of its allocations
    paid out by then."""
    if year == 2024:
        return "planned", D(0)
    if year == 2021:
        return "accepted", D(1)
    if year == 2022:
        if rng.random() < 0.8:
            return "accepted", D(1)
        return "completed", D(rng.choice(("0.90", "0.95")))
    draw = rng.random()
    if draw < 0.3:
        return "completed", D(rng.choice(("0.90", "0.95", "1")))
    if draw < 0.9:
        return "in_progress", D(rng.choice(("0.30", "0.40", "0.50", "0.60", "0.70", "0.80")))
    return "approved", D(rng.choice(("0", "0.10", "0.20")))


def seed_projects(ctx: DemoContext) -> dict:
    """Projects, allocations, disbursements and progress reports; returns the projects by code."""
    rng = ctx.rng_for("projects")
    # A generator of its own for what happened after REPORT_DATE, so that the draws above (and
    # every figure of the report) stay exactly as they were.
    later = ctx.rng_for("projects-after-report")
    project_objs, children = [], []  # children: (model, project code, fields)
    document_seq = dict.fromkeys((*YEAR_TOTALS, 2024), 0)
    for spec in _project_specs(ctx, rng):
        code, year, amount = spec["code"], spec["year"], spec["amount"]
        status, paid_share = _status_and_progress(rng, year)
        first_day = datetime.date(2021, 7, 1) if year == 2021 else datetime.date(year, 1, 1)
        start_last = datetime.date(year, 9, 30) if year == 2021 else datetime.date(year, 6, 30)
        started_on = None if status in ("planned", "approved") else day_in(rng, first_day, start_last)
        completed_on = None
        if status in ("completed", "accepted"):
            completed_on = day_in(rng, datetime.date(year, 10, 1), datetime.date(year + 1, 1, 31))
        current_status = status
        if status == "in_progress":
            current_status, completed_on = "completed", day_in(later, *COMPLETED_2024)
        beneficiaries = rng.randrange(80, 2400, 10)
        implementer = ctx.orgs.get(spec["implementer"])
        project_objs.append(
            Project(
                code=code,
                name=spec["name"],
                category=spec["category"],
                year=year,
                status=current_status,
                region=ctx.regions[spec["region"]],
                implementer=implementer,
                budget=amount,
                started_on=started_on,
                completed_on=completed_on,
                beneficiaries=beneficiaries,
                beneficiaries_poverty_alleviated=int(beneficiaries * rng.uniform(0.2, 0.45)),
                beneficiary_households=beneficiaries // 4,
                benefits_jobs=spec["category"] in ("industry", "employment"),
                benefits_purchases=spec["category"] in ("industry", "consumption"),
            )
        )

        # Aid funds: one tranche from the city budget, and for larger projects a second one
        # (30%, rounded to 10,000 yuan) from the provincial budget later in the year.
        tranches = [("city", amount)]
        if amount >= D("3000000"):
            province = (amount * D("0.3") / TEN_THOUSAND).quantize(D(1)) * TEN_THOUSAND
            tranches = [("city", amount - province), ("province", province)]
        alloc_first = datetime.date(2021, 7, 15) if year == 2021 else datetime.date(year, 2, 15)
        alloc_dates = sorted(day_in(rng, alloc_first, datetime.date(year, 9, 30)) for _ in tranches)
        for (source, part), allocated_on in zip(tranches, alloc_dates, strict=True):
            document_seq[year] += 1
            fields = {"year": year, "source": source, "amount": part, "allocated_on": allocated_on}
            children.append((FundAllocation, code, {**fields, "document": f"余东西协〔{year}〕{document_seq[year]}号"}))

        # Payments: the share paid so far, in one to three instalments after the first allocation.
        # The records are new, so the services' rule across rows (never more paid out than
        # allocated) is checked here once instead of under a lock per payment.
        paid = (amount * paid_share / HUNDRED).quantize(D(1)) * HUNDRED
        if paid > amount:
            raise ValueError(f"Demo project {code} would pay out more than allocated.")
        if paid > 0:
            n_payments = rng.randint(1, 3) if paid >= D("1000000") else 1
            parts = split_amount(paid, [rng.uniform(0.5, 1.5) for _ in range(n_payments)], step=HUNDRED)
            last_day = min(datetime.date(year + 1, 6, 30), REPORT_DATE)
            dates = sorted(day_in(rng, alloc_dates[0], last_day) for _ in parts)
            for seq, (part, paid_on) in enumerate(zip(parts, dates, strict=True), start=1):
                fields = {"amount": part, "paid_on": paid_on, "payee": getattr(implementer, "name", "")}
                children.append((Disbursement, code, {**fields, "voucher": f"{code}-P{seq}"}))
        if status == "in_progress":  # running at the end of 2023 (completed since)
            fields = {"percent_complete": int(paid_share * 100) + rng.randint(0, 15), "note": "年度进度报告"}
            children.append((ProgressReport, code, {**fields, "reported_on": datetime.date(2023, 12, 31)}))

    projects = {p.code: p for p in ctx.ensure_all(Project, project_objs, key=("code",))}
    for model, key in (
        (FundAllocation, ("project_id", "document")),
        (Disbursement, ("project_id", "voucher")),
        (ProgressReport, ("project_id", "reported_on")),
    ):
        objs = [model(project=projects[code], **fields) for m, code, fields in children if m is model]
        ctx.ensure_all(model, objs, key=key)
    return projects


def seed_wild_goose(ctx: DemoContext, projects: dict) -> None:
    """The wild-goose project (雁阵工程): equity in 7 cattle cooperatives, dividends, outcomes."""
    project = next(p for p in projects.values() if "雁阵工程”肉牛养殖入股" in p.name)
    for i, amount in enumerate(CATTLE_EQUITY):
        equity = ctx.ensure(
            EquityInvestment,
            {"project": project, "investee": ctx.orgs[f"cattle_{i}"]},
            {
                "amount": D(amount),
                "invested_on": datetime.date(2022, 4, 20),
                "share_percent": D("20.00"),
                "note": "入股协议并签订牛肉采购协议",
            },
        )
        # Dividends at 6% a year: 40% to the village collective, 60% to the households.
        dividend = D(amount) * D("0.06")
        ctx.ensure(
            EquityDividend,
            {"equity": equity, "year": 2023},
            {
                "paid_on": datetime.date(2024, 1, 20),
                "to_collectives": (dividend * D("0.4")).quantize(CENT),
                "to_households": (dividend * D("0.6")).quantize(CENT),
                "households": 30 + 5 * i,
            },
        )
    for name, unit, baseline, target, current in WILD_GOOSE_OUTCOMES:
        ctx.ensure(
            OutcomeMeasure,
            {"project": project, "name": name},
            {
                "unit": unit,
                "baseline": D(baseline),
                "target": D(target),
                "current": D(current),
                "measured_on": datetime.date(2023, 12, 31),
            },
        )
    # The village pairing: Hengkantou has helped Sanhe add over 0.4 million yuan of income.
    pairing_project = next(p for p in projects.values() if "横坎头村—三河村" in p.name)
    ctx.ensure(
        OutcomeMeasure,
        {"project": pairing_project, "name": "三河村整体增收"},
        {"unit": "元", "baseline": D(0), "target": D("400000"), "current": D("412000"), "measured_on": REPORT_DATE},
    )


def seed_investments(ctx: DemoContext, projects: dict) -> None:
    related = {
        ("zhixue", 2023): "志雪电子昭觉县二期生产基地",
        ("hengchi", 2023): "恒驰服装厂外贸销售物流补助",
        ("zhixue", 2022): "志雪电子科技有限公司昭觉县生产基地（一期）",
        ("hengchi", 2022): "恒驰服饰有限公司帮扶车间",
    }
    for key, year, sector, amount, output, jobs, jobs_pa in INVESTMENTS:
        project = None
        if (key, year) in related:
            project = next(p for p in projects.values() if related[key, year] in p.name)
        ctx.ensure(
            Investment,
            {"enterprise": ctx.orgs[key], "year": year},
            {
                "east_parent": ctx.orgs.get(EAST_PARENTS.get(key)),
                "sector": sector,
                "amount": D(amount),
                "output_value": D(output),
                "jobs_created": jobs,
                "jobs_poverty_alleviated": jobs_pa,
                "project": project,
                "note": "BSCI认证；产值同比增加114%" if (key, year) == ("hengchi", 2023) else "",
            },
        )


def seed(ctx: DemoContext) -> None:
    projects = seed_projects(ctx)
    seed_wild_goose(ctx, projects)
    seed_investments(ctx, projects)
