"""Demo regions, organisations, pairings, secondments and annual targets."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history

from cooperation import locks
from cooperation.choices import SubmissionStatus
from cooperation.models import Organization, Pairing, Region, Secondment, Submission, Target
from cooperation.records import bulk_write, record_kind
from cooperation.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

SEED = 2023
CENT = Decimal("0.01")


class DemoLocked(Exception):
    """The demo would write a record into an approved (locked) month (CONTRACT.md 1.1): the
    whole run is refused (``seed_demo``'s transaction writes nothing)."""

    def __init__(self, obj, messages):
        template = gettext(
            "The demo data would write the %(kind)s “%(record)s” into a locked month: %(reason)s Nothing was written."
        )
        reason = " ".join(str(message) for message in messages)
        super().__init__(template % {"kind": obj._meta.verbose_name, "record": obj, "reason": reason})


@dataclass
class DemoContext:
    """What the domain seeders share: regions and organisations by short name, and how many
    records each model gained in this run (by model label)."""

    regions: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    created: Counter = field(default_factory=Counter)
    # The months approved in some county (asked once: a run approves nothing), None until asked.
    approved_months: set | None = None

    def rng_for(self, domain: str) -> random.Random:
        """A generator of its own for one domain (seeded from ``SEED`` and the domain's name), so
        that a change in one seeder does not reshuffle the records of the others."""
        return random.Random(f"{SEED}:{domain}")

    def ensure(self, model, lookup: dict, defaults: dict | None = None, *, save=None):
        """The row matching ``lookup`` (a natural key), created from ``lookup`` and ``defaults``
        when missing; an existing row is left exactly as it is.

        Creating only what is missing (rather than ``update_or_create``, which saves every
        time) is what makes a second run write nothing, not even a history row; it also leaves
        alone demo records that staff have since edited. ``save`` is the service that stores a
        new record (default: ``full_clean()`` then ``save()``).
        """
        obj = model.objects.filter(**lookup).first()
        if obj is not None:
            return obj
        obj = model(**lookup, **(defaults or {}))
        try:
            if save is None:
                # References are rows this run has just read or written: not looked up again.
                # Natural keys were just looked up and the database holds every constraint.
                obj.full_clean(exclude=_reference_fields(model), validate_unique=False, validate_constraints=False)
                obj.save()
            else:
                obj = save(obj) or obj
        except locks.LockedPeriod as exc:  # save() checks the lock itself
            raise DemoLocked(obj, exc.messages) from None
        self.created[model._meta.label] += 1
        return obj

    def ensure_all(self, model, objs: list, *, key: tuple[str, ...]) -> list:
        """``ensure`` for many rows at once: ``objs`` (unsaved) whose natural key (the attributes
        named in ``key``, e.g. ``("project_id", "document")``) is not stored yet are created in
        bulk; returns the stored rows in the order of ``objs``, existing ones as they are."""

        def key_of(obj):
            return tuple(getattr(obj, name) for name in key)

        first = key[0]
        stored = {
            key_of(obj): obj for obj in model.objects.filter(**{f"{first}__in": {getattr(o, first) for o in objs}})
        }
        for obj in self.bulk_ensure(model, objs, key=key_of, existing=stored.keys()):
            stored[key_of(obj)] = obj
        return [stored[key_of(obj)] for obj in objs]

    def bulk_ensure(self, model, objs: list, *, key, existing: set, batch_size: int = 500) -> list:
        """Store those of ``objs`` whose natural key (``key(obj)``) is not in ``existing``, in
        bulk, each with its history row (``bulk_create_with_history``).

        Every new row is validated first (``full_clean`` without the per-row unique queries:
        the natural keys were checked against ``existing`` and the database constraints hold
        the rest; references are not looked up again), and the batch is refused when one of
        them lies in a locked month (:meth:`refuse_locked`). Returns the stored new objects.
        """
        new = [obj for obj in objs if key(obj) not in existing]
        references = _reference_fields(model)
        for obj in new:
            obj.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
        self.refuse_locked(model, new)
        if new:
            # Bulk creates bypass save(): the precomputed figures are told (cooperation.records).
            with bulk_write(model, lambda: model._base_manager.filter(pk__in=[obj.pk for obj in new if obj.pk])):
                bulk_create_with_history(new, model, batch_size=batch_size)
            self.created[model._meta.label] += len(new)
        return new

    def refuse_locked(self, model, objs: list) -> None:
        """Raise :class:`DemoLocked` when one of ``objs`` (new records, about to be stored in
        bulk, which bypasses ``save()`` and its lock check) lies in a locked month. Nothing is
        asked when no month is approved at all; else only the records dated in an approved
        month (of any county) are checked, one query each."""
        kind = record_kind(model)
        if not objs or kind is None or not kind.date or not kind.region:
            return
        if self.approved_months is None:
            self.approved_months = (
                set(Submission.objects.filter(status=SubmissionStatus.APPROVED).values_list("month", flat=True))
                if locks.any_approved()
                else set()
            )
        if not self.approved_months:
            return
        candidates = [
            obj
            for obj in objs
            if getattr(obj, kind.date) is not None and getattr(obj, kind.date).replace(day=1) in self.approved_months
        ]
        found = locks.first_locked(candidates)
        if found is not None:
            obj, errors = found
            raise DemoLocked(obj, list(errors.values()))


def _reference_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.is_relation]


def split_amount(total: Decimal, weights: list, *, step: Decimal = CENT) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, each share a multiple of ``step`` and at
    least one ``step``, adding up exactly to ``total`` (the last share takes the rounding)."""
    total = Decimal(total)
    units = int(total / step)
    if units < len(weights) or total != units * step:
        raise ValueError("The total cannot be split in these steps.")
    weight_sum = sum(weights)
    shares = [max(1, int(units * w / weight_sum)) for w in weights[:-1]]
    rest = units - sum(shares)
    while rest < 1:  # only with absurd weights: take back from the largest share
        i = shares.index(max(shares))
        shares[i] -= 1 - rest
        rest = units - sum(shares)
    shares.append(rest)
    return [share * step for share in shares]


def split_count(total: int, weights: list) -> list[int]:
    """``total`` (an integer) split in proportion to ``weights``, largest remainders first."""
    weight_sum = sum(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def day_in(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A random day from ``first`` to ``last`` inclusive."""
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


# Han names of the eastern staff and Yi names (in Chinese characters) of the western people.
HAN_SURNAMES = (
    "王李张陈刘杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武乔贺赖龚文"
)
HAN_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文辉玲丹萍鹏宇浩凯健俊帆帅旭宁晨琳雪倩颖佳慧婷露瑶"
    "怡欣悦晓燕波斌宏峰志海亮红春梅兰"
)
YI_SURNAMES = [
    "阿苏", "吉克", "沙马", "俄木", "阿的", "吉伍", "马海", "曲比", "海来", "勒格", "日火", "拉马", "木乃",
    "阿约", "吉史", "阿尔", "瓦其", "尔古", "比曲", "阿牛", "吉木", "洛古", "俄洛", "孙子", "阿说", "井曲",
]  # fmt: skip
YI_GIVEN = [
    "拉且", "伍沙", "尔古", "阿呷", "么作", "石者", "日布", "曲者", "阿支", "子日", "伍各", "木呷", "有格",
    "阿果", "金曲", "尔布", "拉铁", "约哈", "伍合", "阿衣", "克惹", "阿诗", "曲木", "布哈", "莫色", "以作",
    "尔呷", "此布", "阿西", "沙日", "伍呷", "阿且", "日果", "衣合", "古提", "达体",
]  # fmt: skip


class NameBook:
    """Deterministic, distinct person names: Han (``han()``) or Yi (``yi()``)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def _distinct(self, make) -> str:
        while True:
            name = make()
            if name not in self.used:
                self.used.add(name)
                return name

    def han(self) -> str:
        return self._distinct(
            lambda: self.rng.choice(HAN_SURNAMES) + "".join(self.rng.choices(HAN_GIVEN, k=self.rng.choice((1, 2))))
        )

    def yi(self) -> str:
        return self._distinct(lambda: self.rng.choice(YI_SURNAMES) + self.rng.choice(YI_GIVEN))

    def yi_any(self) -> str:
        """A Yi name that may repeat (thousands of workers share the common names, as in life)."""
        return self.rng.choice(YI_SURNAMES) + self.rng.choice(YI_GIVEN)


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


# Organisations the domain seeders need beyond the report's named ones: eastern employers of
# the workers, the maternity hospital, the kindergartens of the preschool Mandarin programme.
# Listed after the cattle cooperatives so that every organisation keeps its credit code.
MORE_ORGANIZATIONS = [
    ("yuyao_mch", "余姚市妇幼保健院", "hospital", "yuyao", None),
    ("yuyao_experimental", "余姚市实验学校", "school", "yuyao", None),
    ("yuyao_edu", "余姚市教育局", "government", "yuyao", None),
    ("employer_shunda", "余姚市舜达电器有限公司", "enterprise", "yuyao", None),
    ("employer_yangming", "宁波阳明塑业有限公司", "enterprise", "yuyao", None),
    ("employer_yaojiang", "余姚市姚江模具有限公司", "enterprise", "yuyao", None),
    ("employer_siming", "宁波四明光电科技有限公司", "enterprise", "yuyao", None),
    ("employer_longshan", "余姚市龙山汽配有限公司", "enterprise", "yuyao", None),
    ("employer_hemudu", "余姚市河姆渡食品有限公司", "enterprise", "yuyao", None),
    ("meigu_goat", "美姑县山羊养殖专业合作社", "cooperative", "meigu", None),
    ("butuo_agri", "布拖县农产品开发有限公司", "enterprise", "butuo", None),
    ("xide_agri", "喜德县荞麦食品有限公司", "enterprise", "xide", None),
]
KINDERGARTENS = [
    ("昭觉县幼儿园", "zhaojue"),
    ("昭觉县第二幼儿园", "zhaojue"),
    ("昭觉县新城幼儿园", "xincheng"),
    ("三岔河镇中心幼儿园", "sanchahe"),
    ("三河村幼儿园", "sanhe"),
    ("四开镇中心幼儿园", "sikai"),
    ("四开村幼儿园", "sikai_village"),
    ("谷曲镇中心幼儿园", "guqu"),
    ("瓦吾村幼儿园", "wawu"),
    ("竹核镇中心幼儿园", "zhuhe"),
    ("竹核村幼儿园", "zhuhe_village"),
    ("昭觉县城北幼儿园", "zhaojue"),
    ("昭觉县城南幼儿园", "zhaojue"),
]


def seed_regions(ctx: DemoContext) -> None:
    for key, name, code, level, parent, side in REGIONS:
        ctx.regions[key] = ctx.ensure(
            Region, {"code": code}, {"name": name, "level": level, "side": side, "parent": ctx.regions.get(parent)}
        )


def seed_organizations(ctx: DemoContext) -> None:
    rows = [
        *ORGANIZATIONS,
        *((f"cattle_{i}", name, "cooperative", "sanhe", None) for i, name in enumerate(CATTLE_COOPERATIVES)),
        *MORE_ORGANIZATIONS,
        *((f"kindergarten_{i}", name, "school", region, None) for i, (name, region) in enumerate(KINDERGARTENS)),
    ]
    ensure_organizations(ctx, rows, lambda kind, region: "9133028" if region.side == "east" else "9351343")


def ensure_organizations(ctx: DemoContext, rows, credit_prefix) -> None:
    """Create what is missing of ``rows`` ((key, name, kind, region key, parent key)), numbered
    from 1 for their credit codes; ``credit_prefix(kind, region)`` gives a code's prefix."""
    for n, (key, name, kind, region_key, parent) in enumerate(rows, start=1):
        region = ctx.regions[region_key]
        ctx.orgs[key] = ctx.ensure(
            Organization,
            {"name": name},
            {
                "kind": kind,
                "side": region.side,
                "region": region,
                "credit_code": credit_code(n, prefix=credit_prefix(kind, region)),
                "parent": ctx.orgs.get(parent),
            },
        )


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
        ctx.ensure(Pairing, {"kind": kind, **sides}, {"started_on": started_on, "focus": focus})


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
        ctx.ensure(
            Secondment,
            {"person_name": name, "started_on": datetime.date(*start)},
            {
                "direction": direction,
                "kind": kind,
                "position": position,
                "region": ctx.regions["zhaojue"],
                "home_org": ctx.orgs["yuyao_gov" if direction == "east_to_west" else "zhaojue_gov"],
                "host_org": ctx.orgs["zhaojue_gov" if direction == "east_to_west" else "yuyao_gov"],
                "ended_on": datetime.date(*end) if end else None,
            },
        )


# Annual targets (programme-wide, and for Zhaojue where the report gives a county figure). The
# 2023 figures beat most of them; disbursement lags (76.0 of 90 million), as the report's
# "some projects lagging" has it, so the dashboard has something to flag.
TARGETS = {
    2023: {
        "funds.allocated": "100000000",
        "funds.disbursed": "90000000",
        "projects.count": "25",
        "investment.enterprises": "6",
        "investment.amount": "60000000",
        "labor.employed": "1300",
        "labor.employed_poverty_alleviated": "230",
        "labor.employed_east": "1200",
        "healthcare.staff_dispatched": "20",
        "healthcare.outpatients": "12000",
        "healthcare.surgeries": "700",
        "healthcare.rescues": "300",
        "education.teachers_dispatched": "10",
        "education.teachers_trained": "500",
        "education.mentorships": "25",
        "education.vocational_students": "15",
        "talent.cadres": "4",
        "consumption.sales": "70000000",
    },
    # 2024: Yuyao-Zhaojue's (Zhaojue's plan: 4 projects, 29.6 million) plus the demo's second,
    # fictitious pair (demo.second_pair: 3 projects, 12 million, and so on), which starts in 2024.
    2024: {
        "funds.allocated": "41600000",
        "funds.disbursed": "69000000",
        "projects.count": "7",
        "investment.enterprises": "9",
        "investment.amount": "82000000",
        "labor.employed": "1700",
        "labor.employed_poverty_alleviated": "300",
        "labor.employed_east": "1560",
        "healthcare.staff_dispatched": "18",
        "education.teachers_dispatched": "14",
        "education.mentorships": "35",
        "talent.cadres": "6",
        "consumption.sales": "90000000",
    },
}
ZHAOJUE_TARGETS = {
    2023: {"consumption.sales": "40000000", "projects.count": "25", "funds.allocated": "100000000"},
    2024: {"funds.allocated": "29600000", "projects.count": "4", "consumption.sales": "45000000"},
}


def seed_targets(ctx: DemoContext) -> None:
    for region, table in ((None, TARGETS), (ctx.regions["zhaojue"], ZHAOJUE_TARGETS)):
        for year, values in table.items():
            for key, value in values.items():
                ctx.ensure(Target, {"year": year, "indicator": key, "region": region}, {"value": Decimal(value)})


def seed(ctx: DemoContext) -> None:
    seed_regions(ctx)
    seed_organizations(ctx)
    seed_pairings(ctx)
    seed_secondments(ctx)
    seed_targets(ctx)
