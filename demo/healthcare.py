"""Demo medical team dispatch (组团式医疗帮扶) to Zhaojue County People's Hospital since May 2022.

36 people in the 1+4+N+X shape: 2 successive team leaders, 4 batches of 4 long-term residents
(the 4 of early 2024 taking over from the previous 4), 12 short-term members and 6 specialist
advisers. Monthly service statistics add up exactly to the report's 2023 figures (12,813 patient
visits, 733 surgeries and invasive procedures, 311 critical rescues); 37 new techniques; the
outreach (614 people, 12,000 yuan of medicine).

The statistics end with February 2024, the last month the report could count; the stays still
open then end with them (``STATS_END``), so that the hospital has statistics for every month it
hosted the team (a month without is a warning, ``healthcare.stats_missing``).
"""

import datetime
from decimal import Decimal

from demo.core import DemoContext, NameBook, day_in, split_count
from healthcare.models import Discipline, MedicalDispatch, MedicalServiceStat, NewTechnique, OutreachEvent

D = datetime.date
STATS_2023 = {"outpatients": 12813, "surgeries": 733, "rescues": 311}
# Patient visits per month relative to the average: fewer in the winter cold and around the Yi
# New Year (November), more in spring and summer.
MONTH_WEIGHTS = [0.86, 0.84, 1.0, 1.04, 1.08, 1.06, 1.1, 1.12, 1.04, 1.0, 0.9, 0.96]

# The last day of the hospital's monthly statistics (seed_service_stats: June 2022 to February
# 2024), and so of the demo's record of the team's stays: the stays open at the report's date
# end then, rather than run on into months without statistics.
STATS_END = D(2024, 2, 29)

LEADERS = [
    ("医院管理", "yuyao_hospital", D(2022, 5, 16), D(2023, 5, 31)),
    ("医院管理", "yuyao_hospital", D(2023, 6, 1), STATS_END),
]
RESIDENT_BATCHES = [
    (D(2022, 5, 16), D(2022, 11, 30)),
    (D(2022, 12, 1), D(2023, 6, 30)),
    (D(2023, 7, 1), D(2024, 1, 31)),
    (D(2024, 1, 20), STATS_END),  # early 2024: the 4 who took over from the previous 4
]
RESIDENT_SPECIALTIES = [
    ("妇产科", "yuyao_mch"),
    ("重症医学科", "yuyao_hospital"),
    ("骨伤科", "yuyao_tcm"),
    ("儿科", "yuyao_mch"),
]
SHORT_TERM_SPECIALTIES = [
    "护理",
    "检验",
    "麻醉",
    "超声",
    "放射",
    "中医",
    "急诊",
    "药剂",
    "护理",
    "检验",
    "中医",
    "康复",
]
SPECIALIST_SPECIALTIES = ["医院管理", "检验质控", "护理管理", "中医", "院感防控", "医院信息化"]

NEW_TECHNIQUES = [
    ("剖宫产切口小型美容缝合术", "妇产科"),
    ("急救5G+AR远程会诊平台", "急诊科"),
    ("磁共振成像检查", "放射科"),
    ("无痛分娩（椎管内分娩镇痛）", "妇产科"),
    ("新生儿复苏规范化技术", "儿科"),
    ("产后出血球囊压迫止血术", "妇产科"),
    ("宫腔镜检查术", "妇产科"),
    ("阴道镜检查及宫颈活检", "妇产科"),
    ("经皮穿刺中心静脉置管术", "重症医学科"),
    ("有创动脉血压监测", "重症医学科"),
    ("俯卧位通气治疗", "重症医学科"),
    ("床旁连续性肾脏替代治疗", "重症医学科"),
    ("纤维支气管镜肺泡灌洗术", "重症医学科"),
    ("经鼻高流量氧疗", "重症医学科"),
    ("股骨粗隆间骨折髓内钉固定术", "骨伤科"),
    ("膝关节镜下半月板修复术", "骨伤科"),
    ("锁骨骨折锁定钢板内固定术", "骨伤科"),
    ("中医手法整复小夹板固定", "骨伤科"),
    ("腰椎间盘突出症微创治疗", "骨伤科"),
    ("小儿雾化吸入规范治疗", "儿科"),
    ("新生儿黄疸蓝光治疗", "儿科"),
    ("小儿腹泻口服补液规范化治疗", "儿科"),
    ("儿童脊柱侧弯筛查", "儿科"),
    ("超声引导下神经阻滞麻醉", "麻醉科"),
    ("可视喉镜气管插管术", "麻醉科"),
    ("超声心动图检查", "超声科"),
    ("血管彩色多普勒超声检查", "超声科"),
    ("糖化血红蛋白检测", "检验科"),
    ("血栓弹力图检测", "检验科"),
    ("PICC置管及维护", "护理部"),
    ("压力性损伤分级护理", "护理部"),
    ("针刺疗法治疗颈肩腰腿痛", "中医科"),
    ("穴位贴敷治疗", "中医科"),
    ("经颅磁刺激康复治疗", "康复科"),
    ("胸腔闭式引流术", "外科"),
    ("腹腔镜胆囊切除术", "外科"),
    ("体检中心健康风险评估", "健康管理中心"),
]
OUTREACH = [
    (D(2022, 9, 17), "三岔河镇三河村", 132, "2600"),
    (D(2022, 12, 10), "四开镇四开村", 118, "2200"),
    (D(2023, 4, 22), "竹核镇竹核村", 147, "2800"),
    (D(2023, 7, 15), "谷曲镇瓦吾村", 96, "2100"),
    (D(2023, 10, 21), "昭觉县民族中学（中医药进校园、脊柱侧弯筛查）", 121, "2300"),
]


def _dispatch_specs(rng) -> list[dict]:
    names = NameBook(rng)
    specs = []
    for specialty, source, start, end in LEADERS:
        specs.append(dict(role="leader", specialty=specialty, source=source, started_on=start, ended_on=end))
    for start, end in RESIDENT_BATCHES:
        for specialty, source in RESIDENT_SPECIALTIES:
            specs.append(dict(role="resident", specialty=specialty, source=source, started_on=start, ended_on=end))
    for specialty in SHORT_TERM_SPECIALTIES:
        start = day_in(rng, D(2022, 6, 1), D(2023, 10, 31))
        end = start + datetime.timedelta(days=rng.choice((30, 45, 60, 90)))
        source = "yuyao_tcm" if specialty == "中医" else "yuyao_hospital"
        specs.append(dict(role="short_term", specialty=specialty, source=source, started_on=start, ended_on=end))
    for specialty in SPECIALIST_SPECIALTIES:
        start = day_in(rng, D(2022, 7, 1), D(2023, 11, 30))
        end = start + datetime.timedelta(days=rng.choice((7, 14, 21)))
        source = "yuyao_tcm" if specialty == "中医" else "yuyao_hospital"
        specs.append(dict(role="specialist", specialty=specialty, source=source, started_on=start, ended_on=end))
    for spec in specs:
        spec["person_name"] = names.han()
    return specs


def seed_dispatches(ctx: DemoContext, rng) -> list[MedicalDispatch]:
    hospital = ctx.orgs["zhaojue_hospital"]
    objs = [
        MedicalDispatch(
            person_name=spec["person_name"],
            started_on=spec["started_on"],
            source_org=ctx.orgs[spec["source"]],
            host_org=hospital,
            role=spec["role"],
            specialty=spec["specialty"],
            ended_on=spec["ended_on"],
        )
        for spec in _dispatch_specs(rng)
    ]
    return ctx.ensure_all(MedicalDispatch, objs, key=("person_name", "started_on"))


def _months(first: datetime.date, count: int) -> list[datetime.date]:
    return [D(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def seed_service_stats(ctx: DemoContext, rng) -> None:
    """June 2022 to February 2024; the twelve months of 2023 add up exactly to the report."""
    hospital = ctx.orgs["zhaojue_hospital"]
    rows = {}
    weights_2023 = [w * rng.uniform(0.95, 1.05) for w in MONTH_WEIGHTS]
    series_2023 = {key: split_count(total, weights_2023) for key, total in STATS_2023.items()}
    for i, month in enumerate(_months(D(2023, 1, 1), 12)):
        rows[month] = {key: values[i] for key, values in series_2023.items()}
    # Before and after: a little lower in 2022 (the team had just arrived), similar in 2024.
    for month in [*_months(D(2022, 6, 1), 7), *_months(D(2024, 1, 1), 2)]:
        factor = (0.8 if month.year == 2022 else 1.02) * MONTH_WEIGHTS[month.month - 1] * rng.uniform(0.95, 1.05)
        rows[month] = {key: round(total / 12 * factor) for key, total in STATS_2023.items()}
    stats = [
        MedicalServiceStat(host_org=hospital, month=month, **values, staff_trained=rng.randint(20, 60))
        for month, values in rows.items()
    ]
    existing = set(MedicalServiceStat.objects.filter(host_org=hospital).values_list("month", flat=True))
    ctx.bulk_ensure(MedicalServiceStat, stats, key=lambda stat: stat.month, existing=existing)


def seed_team_work(ctx: DemoContext, rng, dispatches: list[MedicalDispatch]) -> None:
    hospital = ctx.orgs["zhaojue_hospital"]
    first_residents = [d for d in dispatches if d.role == "resident" and d.started_on == RESIDENT_BATCHES[0][0]]
    for lead in first_residents:
        ctx.ensure(
            Discipline,
            {"host_org": hospital, "department": lead.specialty},
            {
                "lead": lead,
                "goal": f"{lead.specialty}学科能力建设，培养“带不走”的骨干人才",
                "started_on": D(2022, 6, 1),
            },
        )
    techniques = []
    for name, department in NEW_TECHNIQUES:
        introduced_on = day_in(rng, D(2022, 7, 1), D(2023, 12, 31))
        # Credited to a team member who was there that day, where one fits.
        present = [
            d
            for d in dispatches
            if d.started_on <= introduced_on and (d.ended_on is None or introduced_on <= d.ended_on)
        ]
        techniques.append(
            NewTechnique(
                host_org=hospital,
                name=name,
                department=department,
                introduced_on=introduced_on,
                dispatch=rng.choice(present) if present else None,
            )
        )
    ctx.ensure_all(NewTechnique, techniques, key=("name", "host_org_id"))
    for held_on, place, people, medicine in OUTREACH:
        ctx.ensure(
            OutreachEvent,
            {"host_org": hospital, "held_on": held_on, "place": place},
            {"people_served": people, "medicine_value": Decimal(medicine)},
        )


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("healthcare")
    dispatches = seed_dispatches(ctx, rng)
    seed_service_stats(ctx, rng)
    seed_team_work(ctx, rng, dispatches)
