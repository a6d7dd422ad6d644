"""Demo regions, organisations, pairings, secondments and annual targets."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from cooperation.models import Organization, Pairing, Region, Secondment, Target
from cooperation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character


@dataclass
class DemoContext:
    """What the domain seeders share: regions and organisations by short name."""

    regions: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)


def credit_code(n: int, *, prefix: str) -> str:
    """A deterministic, valid unified social credit code (GB 32100) for demo organisation ``n``."""
    serial = ""
    for _ in range(17 - len(prefix)):
        serial = CREDIT_CODE_ALPHABET[n % 31] + serial
        n //= 31
    first17 = prefix + serial
    return first17 + credit_code_check_character(first17)


# (key, name, code, level, parent key, side). Town and village codes follow GB/T 2260's shape.
REGIONS = [
    ("zhejiang", "浙江省", "330000", "province", None, "east"),
    ("ningbo", "宁波市", "330200", "prefecture", "zhejiang", "east"),
    ("yuyao", "余姚市", "330281", "county", "ningbo", "east"),
    ("lianglong", "梁弄镇", "330281105", "town", "yuyao", "east"),
    ("hengkantou", "横坎头村", "330281105201", "village", "lianglong", "east"),
    ("sichuan", "四川省", "510000", "province", None, "west"),
    ("liangshan", "凉山彝族自治州", "513400", "prefecture", "sichuan", "west"),
    ("zhaojue", "昭觉县", "513431", "county", "liangshan", "west"),
    ("xincheng", "新城镇", "513431100", "town", "zhaojue", "west"),
    ("sanchahe", "三岔河镇", "513431104", "town", "zhaojue", "west"),
    ("sanhe", "三河村", "513431104201", "village", "sanchahe", "west"),
    ("sikai", "四开镇", "513431105", "town", "zhaojue", "west"),
    ("sikai_village", "四开村", "513431105201", "village", "sikai", "west"),
    ("guqu", "谷曲镇", "513431106", "town", "zhaojue", "west"),
    ("wawu", "瓦吾村", "513431106203", "village", "guqu", "west"),
    ("zhuhe", "竹核镇", "513431107", "town", "zhaojue", "west"),
    ("zhuhe_village", "竹核村", "513431107201", "village", "zhuhe", "west"),
    # Other Sichuan origins of the consumption-assistance sales (77.59 million from Sichuan).
    ("meigu", "美姑县", "513436", "county", "liangshan", "west"),
    ("butuo", "布拖县", "513429", "county", "liangshan", "west"),
    ("xide", "喜德县", "513432", "county", "liangshan", "west"),
]

# (key, name, kind, region key, parent key)
ORGANIZATIONS = [
    ("yuyao_gov", "余姚市人民政府", "government", "yuyao", None),
    ("zhaojue_gov", "昭觉县人民政府", "government", "zhaojue", None),
    ("yuyao_hospital", "余姚市人民医院", "hospital", "yuyao", None),
    ("yuyao_tcm", "余姚市中医医院", "hospital", "yuyao", None),
    ("zhaojue_hospital", "昭觉县人民医院", "hospital", "zhaojue", None),
    ("yuyao_high", "浙江省余姚中学", "school", "yuyao", None),
    ("menglin_high", "余姚市梦麟中学", "school", "yuyao", None),
    ("yuyao_no2", "余姚市第二中学", "school", "yuyao", None),
    ("yuyao_technician", "余姚技师学院", "school", "yuyao", None),
    ("zhaojue_minzu", "昭觉民族中学", "school", "zhaojue", None),
    ("gukede_middle", "谷克德中学", "school", "zhaojue", None),
    ("wawu_primary", "谷曲镇瓦吾小学", "school", "guqu", None),
    ("zhilun", "宁波志伦电子有限公司", "enterprise", "yuyao", None),
    ("ningxingheng", "宁波宁兴恒国际商贸有限公司", "enterprise", "yuyao", None),
    ("zhixue", "凉山州志雪电子科技有限公司", "enterprise", "zhaojue", "zhilun"),
    ("hengchi", "凉山州恒驰服饰有限公司", "enterprise", "zhaojue", "ningxingheng"),
    ("agri_buckwheat", "昭觉县苦荞农业开发有限公司", "enterprise", "zhaojue", None),
    ("agri_honey", "昭觉县高山蜂业有限公司", "enterprise", "zhaojue", None),
    ("agri_pork", "昭觉县乌金猪食品有限公司", "enterprise", "zhaojue", None),
    ("agri_mushroom", "昭觉县菌菇种植有限公司", "enterprise", "sikai", None),
    ("agri_walnut", "昭觉县核桃产业发展有限公司", "enterprise", "zhaojue", None),
    ("supply_coop", "昭觉县供销合作社", "cooperative", "zhaojue", None),
    ("yuyao_trade", "余姚市农产品流通有限公司", "enterprise", "yuyao", None),
    ("yuyao_food", "余姚市农副产品配送有限公司", "enterprise", "yuyao", None),
]
CATTLE_COOPERATIVES = [
    "昭觉县富民肉牛养殖专业合作社",
    "昭觉县三河牛业专业合作社",
    "昭觉县彝家肉牛养殖专业合作社",
    "昭觉县金山肉牛养殖专业合作社",
    "昭觉县阿且肉牛养殖专业合作社",
    "昭觉县吉史肉牛养殖专业合作社",
    "昭觉县兴牧肉牛养殖专业合作社",
]


def seed_regions(ctx: DemoContext) -> None:
    for key, name, code, level, parent, side in REGIONS:
        region, _ = Region.objects.update_or_create(
            code=code,
            defaults={"name": name, "level": level, "side": side, "parent": ctx.regions.get(parent)},
        )
        ctx.regions[key] = region


def seed_organizations(ctx: DemoContext) -> None:
    rows = [
        *ORGANIZATIONS,
        *((f"cattle_{i}", name, "cooperative", "sanhe", None) for i, name in enumerate(CATTLE_COOPERATIVES)),
    ]
    for n, (key, name, kind, region_key, parent) in enumerate(rows, start=1):
        region = ctx.regions[region_key]
        prefix = "9133028" if region.side == "east" else "9351343"
        org, _ = Organization.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "side": region.side,
                "region": region,
                "credit_code": credit_code(n, prefix=prefix),
                "parent": ctx.orgs.get(parent),
            },
        )
        ctx.orgs[key] = org


def seed_pairings(ctx: DemoContext) -> None:
    r, o = ctx.regions, ctx.orgs
    focus_county = "产业发展、劳务协作、人才交流、社会帮扶、“组团式”帮扶"
    pairings = [
        ("region", {"east_region": r["yuyao"], "west_region": r["zhaojue"]}, datetime.date(2021, 6, 1), focus_county),
        (
            "village",
            {"east_region": r["hengkantou"], "west_region": r["sanhe"]},
            datetime.date(2021, 9, 1),
            "党建、文旅、数字赋能",
        ),
        (
            "hospital",
            {"east_org": o["yuyao_hospital"], "west_org": o["zhaojue_hospital"]},
            datetime.date(2022, 5, 1),
            "组团式医疗帮扶",
        ),
        *(
            (
                "school",
                {"east_org": o[key], "west_org": o["zhaojue_minzu"]},
                datetime.date(2022, 8, 1),
                "组团式教育帮扶",
            )
            for key in ("yuyao_high", "menglin_high", "yuyao_no2")
        ),
    ]
    for kind, sides, started_on, focus in pairings:
        Pairing.objects.update_or_create(kind=kind, **sides, defaults={"started_on": started_on, "focus": focus})


# Cadres and professionals seconded (挂职): the 2024 round adds urban-construction, planning and
# agronomy professionals and brings Zhaojue cadres to Yuyao.
SECONDMENTS = [
    ("王建国", "east_to_west", "cadre", "昭觉县委常委、副县长", (2021, 7, 1), (2023, 7, 31)),
    ("李明", "east_to_west", "cadre", "昭觉县发展和改革局副局长", (2021, 7, 1), (2023, 7, 31)),
    ("陈晓峰", "east_to_west", "cadre", "昭觉县委常委、副县长", (2023, 8, 1), None),
    ("周海", "east_to_west", "cadre", "昭觉县农业农村局副局长", (2023, 8, 1), None),
    ("阿苏拉且", "west_to_east", "cadre", "余姚市发展和改革局挂职", (2023, 3, 1), (2023, 8, 31)),
    ("吉克伍沙", "west_to_east", "cadre", "余姚市人力社保局挂职", (2024, 3, 1), (2024, 8, 31)),
    ("俞立新", "east_to_west", "professional", "昭觉县住房和城乡建设局", (2024, 3, 1), None),
    ("徐永", "east_to_west", "professional", "昭觉县自然资源局（规划）", (2024, 3, 1), None),
    ("胡涛", "east_to_west", "professional", "昭觉县农业技术推广中心", (2024, 3, 1), None),
]


def seed_secondments(ctx: DemoContext) -> None:
    for name, direction, kind, position, start, end in SECONDMENTS:
        Secondment.objects.update_or_create(
            person_name=name,
            started_on=datetime.date(*start),
            defaults={
                "direction": direction,
                "kind": kind,
                "position": position,
                "region": ctx.regions["zhaojue"],
                "home_org": ctx.orgs["yuyao_gov" if direction == "east_to_west" else "zhaojue_gov"],
                "host_org": ctx.orgs["zhaojue_gov" if direction == "east_to_west" else "yuyao_gov"],
                "ended_on": datetime.date(*end) if end else None,
            },
        )


# Annual targets (programme-wide, and for Zhaojue where the report gives a county figure).
TARGETS = {
    2023: {
        "funds.allocated": "80000000",
        "projects.count": "20",
        "investment.enterprises": "6",
        "investment.amount": "60000000",
        "labor.employed": "1000",
        "labor.employed_poverty_alleviated": "200",
        "labor.employed_east": "600",
        "healthcare.staff_dispatched": "12",
        "healthcare.outpatients": "12000",
        "healthcare.surgeries": "700",
        "healthcare.rescues": "300",
        "education.teachers_dispatched": "10",
        "education.teachers_trained": "500",
        "education.mentorships": "25",
        "education.vocational_students": "12",
        "talent.cadres": "4",
        "consumption.sales": "70000000",
    },
    2024: {
        "funds.allocated": "29600000",
        "projects.count": "4",
        "investment.amount": "70000000",
        "labor.employed": "1200",
        "consumption.sales": "80000000",
        "talent.cadres": "4",
    },
}
ZHAOJUE_TARGETS = {
    2023: {"consumption.sales": "40000000"},
    2024: {"funds.allocated": "29600000", "projects.count": "4"},
}


def seed_targets(ctx: DemoContext) -> None:
    for region, table in ((None, TARGETS), (ctx.regions["zhaojue"], ZHAOJUE_TARGETS)):
        for year, values in table.items():
            for key, value in values.items():
                Target.objects.update_or_create(
                    year=year, indicator=key, region=region, defaults={"value": Decimal(value)}
                )


def seed(ctx: DemoContext) -> None:
    seed_regions(ctx)
    seed_organizations(ctx)
    seed_pairings(ctx)
    seed_secondments(ctx)
    seed_targets(ctx)
