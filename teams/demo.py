"""Demo teams: twenty teams across the demo province, with members and mentor-apprentice pairs.

Idempotent: a team is found by its grassroots union and name. The demo account `leader` leads
赵梦桃小组; the other teams have leaders without a password (they would be invited by e-mail).
"""

from datetime import date, timedelta
from itertools import cycle

from accounts.models import UnionUnit, User
from accounts.services import user_create

from .models import Member, Team
from .services import member_save, mentor_pair_save, team_approve, team_register, team_reject

# (grassroots union code, team name, enterprise department, industry, status)
TEAMS = [
    ("SX-XY-001", "赵梦桃小组", "细纱车间", "C", "approved"),
    ("SX-XY-001", "细纱二车间甲班", "细纱车间", "C", "approved"),
    ("SX-XY-001", "织布车间乙班", "织布车间", "C", "pending"),
    ("SX-XY-002", "熔制班", "熔制车间", "C", "approved"),
    ("SX-XY-002", "成型班", "成型车间", "C", "approved"),
    ("SX-XY-003", "心内科护理班组", "心血管内科", "Q", "approved"),
    ("SX-XY-004", "综采一队", "综采工区", "B", "approved"),
    ("SX-XY-004", "机电班", "机电工区", "B", "rejected"),
    ("SX-XA-001", "装配一班", "总装车间", "C", "approved"),
    ("SX-XA-001", "电气试验班", "试验站", "C", "approved"),
    ("SX-XA-002", "2号线乘务一班", "乘务中心", "G", "approved"),
    ("SX-XA-002", "信号维护班", "通号中心", "G", "approved"),
    ("SX-XA-003", "急诊护理班组", "急诊科", "Q", "approved"),
    ("SX-XA-WY-001", "焊装班", "焊装车间", "C", "approved"),
    ("SX-XA-WY-001", "涂装班", "涂装车间", "C", "pending"),
    ("SX-XA-WY-002", "精密加工班", "机加车间", "C", "approved"),
    ("SX-NH-001", "综采二队", "综采工区", "B", "approved"),
    ("SX-NH-002", "常减压装置一班", "常减压车间", "C", "approved"),
    ("SX-NH-003", "焊接突击队", "安装分公司", "E", "approved"),
    ("SX-NH-003", "管道安装班", "安装分公司", "E", "approved"),
]

NAMES = cycle(
    [
        "王建华",
        "李秀英",
        "张志强",
        "刘芳",
        "陈静",
        "杨帆",
        "赵磊",
        "黄丽",
        "周勇",
        "吴敏",
        "徐涛",
        "孙燕",
        "马超",
        "朱红",
        "胡军",
        "郭婷",
        "何伟",
        "高娟",
        "林峰",
        "罗霞",
        "梁斌",
        "宋洁",
        "郑凯",
        "谢琳",
        "韩冰",
        "唐亮",
        "冯雪",
        "于洋",
        "董梅",
        "萧然",
    ]
)
GRADES = cycle(["senior_technician", "technician", "senior", "senior", "intermediate", "intermediate", "junior"])
POSITIONS = cycle(["值车工", "操作工", "维修工", "质检员", "技术员", "操作工"])


def _leader(index: int, union: UnionUnit, team_name: str) -> User:
    if index == 0:
        return User.objects.get(username="leader")
    username = f"leader{index:02d}"
    existing = User.objects.filter(username=username).first()
    return existing or user_create(
        actor=None, username=username, name=f"{team_name}班组长", email=f"{username}@example.org.cn", unit=union
    )


def seed() -> None:
    reviewer = User.objects.get(username="sheng_staff")
    founded = date(2015, 3, 1)
    for index, (code, name, department, industry, status) in enumerate(TEAMS):
        union = UnionUnit.objects.get(code=code)
        if Team.objects.filter(grassroots_union=union, name=name).exists():
            continue
        leader = _leader(index, union, name)
        team = team_register(
            actor=leader,
            grassroots_union=union,
            name=name,
            enterprise=f"{union.enterprise}{department}",
            industry=industry,
            region=union.region,
            category="mengtao",
            founded_on=founded + timedelta(days=97 * index),
            description=f"{name}坚持“高标准、严要求、行动快、工作实、抢困难、送方便”，开展师带徒和“五小”活动。",
        )
        members = [
            member_save(
                actor=leader,
                team=team,
                name=next(NAMES) if n else leader.name if index == 0 else next(NAMES),
                position=next(POSITIONS),
                skill_grade=next(GRADES),
                role=Member.Role.LEADER if n == 0 else Member.Role.DEPUTY if n == 1 else Member.Role.MEMBER,
                joined_on=founded + timedelta(days=97 * index + 30 * n),
            )
            for n in range(6 + index % 5)
        ]
        mentor_pair_save(
            actor=leader,
            team=team,
            mentor=members[0],
            apprentice=members[-1],
            started_on=date(2025, 3, 1),
            outcome="徒弟通过中级工技能鉴定" if index % 2 else "",
        )
        if status == "approved":
            team_approve(actor=reviewer, team=team)
        elif status == "rejected":
            team_reject(actor=reviewer, team=team, reason="所在单位名称填写不完整，请补充车间全称后重新提交。")
