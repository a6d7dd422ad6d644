"""Demo education cooperation: 13 teachers dispatched (7 of them the team of Zhaojue Minzu Middle
School from Yuyao's three paired high schools), mentor pairs (27 formed in 2023), teacher
training (538 person-times in 2023), 50 vocational students at Yuyao Technician College since
August 2021, the online classes (438 students), a summer camp and the preschool Mandarin
programme of 13 kindergartens.
"""

import datetime

from demo.core import KINDERGARTENS, DemoContext, NameBook, day_in, split_count
from education.models import Activity, Mentorship, TeacherDispatch, TeacherTraining, VocationalStudent

D = datetime.date
TEAM_START = D(2022, 8, 25)

# (subject, role, source school, host school, started_on, ended_on). The first seven are the
# Minzu Middle School team: headmaster, academic affairs, research office and four subjects.
DISPATCHES = [
    ("学校管理（校长）", "leader", "yuyao_high", "zhaojue_minzu", TEAM_START, None),
    ("教学管理（教导处）", "resident", "yuyao_high", "zhaojue_minzu", TEAM_START, None),
    ("教育科研（教科室）", "resident", "menglin_high", "zhaojue_minzu", TEAM_START, None),
    ("物理", "resident", "yuyao_no2", "zhaojue_minzu", TEAM_START, None),
    ("生物", "resident", "menglin_high", "zhaojue_minzu", TEAM_START, None),
    ("地理", "resident", "yuyao_no2", "zhaojue_minzu", TEAM_START, None),
    ("信息技术", "resident", "yuyao_high", "zhaojue_minzu", TEAM_START, None),
    ("数学", "short_term", "yuyao_experimental", "gukede_middle", D(2022, 2, 20), D(2022, 7, 10)),
    ("英语", "short_term", "yuyao_experimental", "gukede_middle", D(2022, 2, 20), D(2022, 7, 10)),
    ("语文", "short_term", "yuyao_experimental", "wawu_primary", D(2023, 2, 15), D(2023, 7, 5)),
    ("学前教育", "specialist", "yuyao_experimental", "kindergarten_0", D(2023, 3, 1), D(2023, 6, 30)),
    ("学前教育", "specialist", "yuyao_experimental", "kindergarten_1", D(2023, 3, 1), D(2023, 6, 30)),
    ("化学", "short_term", "yuyao_high", "zhaojue_minzu", D(2023, 9, 1), D(2024, 1, 20)),
]
MENTORSHIPS = {2022: 8, 2023: 27}
TRAININGS = {2022: (6, 186), 2023: (14, 538)}  # year: (sessions, person-times)
TRAINING_TOPICS = [
    "新课标解读与教学设计",
    "名班主任工作室专题培训",
    "高考备考策略研讨",
    "信息技术与课堂教学融合",
    "物理实验教学能力提升",
    "生物学科核心素养培训",
    "地理综合思维教学研讨",
    "校本教研与课题研究方法",
    "课堂观察与评课",
    "名校长工作室学校管理培训",
    "作业设计与评价",
    "青年教师基本功培训",
    "心理健康教育专题培训",
    "双减背景下的课堂改革",
]
VOCATIONAL_COHORTS = [(D(2021, 8, 28), 14), (D(2022, 8, 28), 17), (D(2023, 8, 28), 19)]
MAJORS = ["数控加工", "电气自动化设备安装与维修", "汽车维修", "模具制造", "电子商务", "工业机器人应用与维护"]
HOMETOWNS = ["sanhe", "sikai_village", "wawu", "zhuhe_village", "xincheng", "sanchahe", "guqu"]


def seed_dispatches(ctx: DemoContext, names: NameBook) -> list[TeacherDispatch]:
    objs = [
        TeacherDispatch(
            person_name=names.han(),
            started_on=started_on,
            subject=subject,
            role=role,
            source_org=ctx.orgs[source],
            host_org=ctx.orgs[host],
            ended_on=ended_on,
        )
        for subject, role, source, host, started_on, ended_on in DISPATCHES
    ]
    return ctx.ensure_all(TeacherDispatch, objs, key=("person_name", "started_on"))


def seed_mentorships(ctx: DemoContext, rng, names: NameBook, team: list[TeacherDispatch]) -> None:
    objs = []
    for year, count in MENTORSHIPS.items():
        first = max(TEAM_START + datetime.timedelta(days=14), D(year, 1, 1))
        for i in range(count):
            objs.append(
                Mentorship(
                    mentor=team[i % len(team)],
                    apprentice_name=names.yi(),
                    started_on=day_in(rng, first, D(year, 12, 31)),
                )
            )
    ctx.ensure_all(Mentorship, objs, key=("apprentice_name", "mentor_id"))


def seed_trainings(ctx: DemoContext, rng) -> None:
    school = ctx.orgs["zhaojue_minzu"]
    county = ctx.orgs["zhaojue_gov"]
    objs = []
    for year, (sessions, total) in TRAININGS.items():
        first = D(2022, 9, 1) if year == 2022 else D(year, 1, 1)
        dates = sorted(day_in(rng, first, D(year, 12, 20)) for _ in range(sessions))
        participants = split_count(total, [rng.uniform(0.6, 1.4) for _ in range(sessions)])
        for held_on, topic, n in zip(dates, rng.sample(TRAINING_TOPICS, sessions), participants, strict=True):
            # A third are county-wide sessions, open to every school's teachers, held for the
            # county (its government): all 538 trainee-times of 2023 are Zhaojue's, as the report says.
            host = school if rng.random() < 0.67 else county
            objs.append(TeacherTraining(held_on=held_on, topic=topic, participants=n, school=host))
    ctx.ensure_all(TeacherTraining, objs, key=("held_on", "topic"))


def seed_vocational_students(ctx: DemoContext, rng, names: NameBook) -> None:
    college = ctx.orgs["yuyao_technician"]
    objs = []
    for enrolled_on, count in VOCATIONAL_COHORTS:
        for _ in range(count):
            # Three-year courses: nobody has graduated by early 2024; a few have left.
            status = "left" if rng.random() < 0.06 else "studying"
            objs.append(
                VocationalStudent(
                    name=names.yi(),
                    enrolled_on=enrolled_on,
                    hometown=ctx.regions[rng.choice(HOMETOWNS)],
                    school=college,
                    major=rng.choice(MAJORS),
                    status=status,
                )
            )
    ctx.ensure_all(VocationalStudent, objs, key=("name", "enrolled_on"))


def seed_activities(ctx: DemoContext, rng) -> None:
    minzu = ctx.orgs["zhaojue_minzu"]
    objs = [
        Activity(
            kind="online_class",
            held_on=D(2022, 9, 13),
            title="“姚优教”平台线上教学（初三年级）",
            participants=438,
            school=minzu,
        ),
        Activity(
            kind="summer_camp",
            held_on=D(2023, 7, 18),
            title="昭觉学子余姚夏令营（手工制作、非遗体验、参观博物馆）",
            participants=40,
            school=minzu,
        ),
    ]
    for i, (name, _region) in enumerate(KINDERGARTENS):
        objs.append(
            Activity(
                kind="preschool_mandarin",
                held_on=day_in(rng, D(2023, 3, 1), D(2023, 5, 31)),
                title=f"学前学普：{name}",
                participants=rng.randrange(60, 260, 5),
                school=ctx.orgs[f"kindergarten_{i}"],
            )
        )
    ctx.ensure_all(Activity, objs, key=("kind", "held_on", "school_id"))


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng_for("education")
    names = NameBook(rng)
    dispatches = seed_dispatches(ctx, names)
    seed_mentorships(ctx, rng, names, dispatches[:7])
    seed_trainings(ctx, rng)
    seed_vocational_students(ctx, rng, names)
    seed_activities(ctx, rng)
