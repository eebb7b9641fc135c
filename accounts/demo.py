"""The demo province: a union tree shaped like Shaanxi's and one account for every role.

Idempotent: units are found by code and people by user name; what exists is left as it is. The
tree and the accounts date from the day the province began to use the system (SYSTEM_START), in the
spring of 2025: its first campaign, 2025年度“梦桃式班组”, was run on it (awards.demo).
"""

from datetime import datetime

from core.demo import SHANGHAI, clock_at

from .models import RoleAssignment, UnionUnit, User
from .services import role_assign, unit_create, user_create

DEMO_PASSWORD = "Mengtao@2026"

K = UnionUnit.Kind
# (code, parent code, kind, name, short name, enterprise, region)
UNITS = [
    ("SX", None, K.PROVINCIAL, "陕西省总工会", "省总工会", "", "陕西省"),
    ("SX-XA", "SX", K.CITY, "西安市总工会", "西安市总", "", "西安市"),
    ("SX-XY", "SX", K.CITY, "咸阳市总工会", "咸阳市总", "", "咸阳市"),
    ("SX-NH", "SX", K.INDUSTRY, "陕西省能源化学地质工会", "能化地质工会", "", "陕西省"),
    ("SX-XA-WY", "SX-XA", K.COUNTY, "西安市未央区总工会", "未央区总", "", "西安市未央区"),
    ("SX-XA-001", "SX-XA", K.GRASSROOTS, "西安电力机械制造有限公司工会", "", "西安电力机械制造有限公司", "西安市"),
    (
        "SX-XA-002",
        "SX-XA",
        K.GRASSROOTS,
        "西安市地铁运营分公司工会",
        "",
        "西安市轨道交通集团有限公司运营分公司",
        "西安市",
    ),
    ("SX-XA-003", "SX-XA", K.GRASSROOTS, "西安市第一医院工会", "", "西安市第一医院", "西安市"),
    ("SX-XA-004", "SX-XA", K.GRASSROOTS, "国网西安供电公司工会", "", "国网陕西省电力有限公司西安供电公司", "西安市"),
    (
        "SX-XA-005",
        "SX-XA",
        K.GRASSROOTS,
        "中国工商银行西安分行工会",
        "",
        "中国工商银行股份有限公司西安分行",
        "西安市",
    ),
    (
        "SX-XA-WY-001",
        "SX-XA-WY",
        K.GRASSROOTS,
        "西安汽车零部件有限公司工会",
        "",
        "西安汽车零部件有限公司",
        "西安市未央区",
    ),
    ("SX-XA-WY-002", "SX-XA-WY", K.GRASSROOTS, "西安精密仪器有限公司工会", "", "西安精密仪器有限公司", "西安市未央区"),
    (
        "SX-XA-WY-003",
        "SX-XA-WY",
        K.GRASSROOTS,
        "国家税务总局西安市未央区税务局工会",
        "未央区税务局工会",
        "国家税务总局西安市未央区税务局",
        "西安市未央区",
    ),
    ("SX-XY-001", "SX-XY", K.GRASSROOTS, "咸阳纺织集团有限公司工会", "咸阳纺织工会", "咸阳纺织集团有限公司", "咸阳市"),
    ("SX-XY-002", "SX-XY", K.GRASSROOTS, "咸阳电子玻璃有限公司工会", "", "咸阳电子玻璃有限公司", "咸阳市"),
    ("SX-XY-003", "SX-XY", K.GRASSROOTS, "咸阳市中心医院工会", "", "咸阳市中心医院", "咸阳市"),
    (
        "SX-XY-004",
        "SX-XY",
        K.GRASSROOTS,
        "咸阳长武煤业有限责任公司工会",
        "",
        "咸阳长武煤业有限责任公司",
        "咸阳市长武县",
    ),
    (
        "SX-XY-005",
        "SX-XY",
        K.GRASSROOTS,
        "中国邮政速递物流咸阳市分公司工会",
        "",
        "中国邮政速递物流股份有限公司咸阳市分公司",
        "咸阳市",
    ),
    ("SX-XY-006", "SX-XY", K.GRASSROOTS, "陕西渭北制药有限公司工会", "", "陕西渭北制药有限公司", "咸阳市三原县"),
    ("SX-NH-001", "SX-NH", K.GRASSROOTS, "陕西黄陵矿业有限公司工会", "", "陕西黄陵矿业有限公司", "延安市黄陵县"),
    ("SX-NH-002", "SX-NH", K.GRASSROOTS, "陕西石油炼化有限公司工会", "", "陕西石油炼化有限公司", "延安市"),
    (
        "SX-NH-003",
        "SX-NH",
        K.GRASSROOTS,
        "陕西化建工程有限责任公司工会",
        "",
        "陕西化建工程有限责任公司",
        "咸阳市杨凌示范区",
    ),
    (
        "SX-NH-004",
        "SX-NH",
        K.GRASSROOTS,
        "陕西省一九四煤田地质有限公司工会",
        "",
        "陕西省一九四煤田地质有限公司",
        "铜川市",
    ),
]

R = RoleAssignment.Role

# The people of the demo's expert review (reviews/demo): six more experts of the province's pool, with
# `expert` the panel of seven — each a member of another union, from the province down to a hospital,
# so that the conflict rules keep some of them from their own units' teams — and the staff of the
# grassroots unions whose recommendations the reviewed campaigns show. Part of ACCOUNTS.
REVIEW_ACCOUNTS = [
    ("xian_expert", "白玉琴", "SX-XA", [(R.EXPERT, "SX")], False, "expert: 全国劳动模范, 西安市劳模协会副会长"),
    ("xianyang_expert", "王振华", "SX-XY", [(R.EXPERT, "SX")], False, "expert: 正高级经济师, 咸阳市总工会"),
    ("nenghua_expert", "李建平", "SX-NH", [(R.EXPERT, "SX")], False, "expert: 教授级高级工程师 (安全生产)"),
    ("fangzhi_expert", "韩玉梅", "SX-XY-001", [(R.EXPERT, "SX")], False, "expert: 高级技师, 全国五一劳动奖章"),
    ("lianhua_expert", "郑卫东", "SX-NH-002", [(R.EXPERT, "SX")], False, "expert: 高级工程师 (炼油工艺)"),
    ("yiyuan_expert", "黄丽萍", "SX-XA-003", [(R.EXPERT, "SX")], False, "expert: 主任护师, 护理部主任"),
    ("zhongxin_staff", "曹宁", "SX-XY-003", [(R.STAFF, "SX-XY-003")], False, "staff, 咸阳市中心医院工会"),
    ("zhiyao_staff", "魏红", "SX-XY-006", [(R.STAFF, "SX-XY-006")], False, "staff, 陕西渭北制药有限公司工会"),
    ("lianhua_staff", "史晓东", "SX-NH-002", [(R.STAFF, "SX-NH-002")], False, "staff, 陕西石油炼化有限公司工会"),
    ("huajian_staff", "梁振宇", "SX-NH-003", [(R.STAFF, "SX-NH-003")], False, "staff, 陕西化建工程有限责任公司工会"),
    ("gongdian_staff", "罗佳", "SX-XA-004", [(R.STAFF, "SX-XA-004")], False, "staff, 国网西安供电公司工会"),
    ("gonghang_staff", "苏晴", "SX-XA-005", [(R.STAFF, "SX-XA-005")], False, "staff, 中国工商银行西安分行工会"),
]

# (user name, full name, unit code, roles over unit codes, superuser, description for the README)
ACCOUNTS = [
    ("admin", "系统管理员", "SX", [], True, "superuser: data administration"),
    ("sheng_staff", "王敏", "SX", [(R.STAFF, "SX")], False, "staff of the provincial federation (organiser)"),
    ("xian_staff", "李娜", "SX-XA", [(R.STAFF, "SX-XA")], False, "staff of the Xi'an city federation"),
    ("xianyang_staff", "张伟", "SX-XY", [(R.STAFF, "SX-XY")], False, "staff of the Xianyang city federation"),
    ("nenghua_staff", "刘洋", "SX-NH", [(R.STAFF, "SX-NH")], False, "staff of the energy and chemical industry union"),
    ("jiceng_staff", "赵静", "SX-XY-001", [(R.STAFF, "SX-XY-001")], False, "staff of a grassroots union"),
    # Staff of the grassroots unions whose decisions the demo's recommendation chain shows.
    ("yiyuan_staff", "周芳", "SX-XA-003", [(R.STAFF, "SX-XA-003")], False, "staff, 西安市第一医院工会"),
    ("dianji_staff", "马超", "SX-XA-001", [(R.STAFF, "SX-XA-001")], False, "staff, 西安电力机械制造有限公司工会"),
    ("ditie_staff", "杨帆", "SX-XA-002", [(R.STAFF, "SX-XA-002")], False, "staff, 西安市地铁运营分公司工会"),
    ("boli_staff", "郭丽", "SX-XY-002", [(R.STAFF, "SX-XY-002")], False, "staff, 咸阳电子玻璃有限公司工会"),
    ("huangling_staff", "高峰", "SX-NH-001", [(R.STAFF, "SX-NH-001")], False, "staff, 陕西黄陵矿业有限公司工会"),
    ("expert", "陈建国", "SX", [(R.EXPERT, "SX")], False, "expert reviewer appointed by the province"),
    ("auditor", "孙立", "SX", [(R.AUDITOR, "SX")], False, "auditor (discipline inspection) of the province"),
    ("leader", "何小梅", "SX-XY-001", [], False, "team leader at Xianyang Textile Group"),
    *REVIEW_ACCOUNTS,
]


# The day the province began to use the system.
SYSTEM_START = datetime(2025, 3, 3, 9, 30, tzinfo=SHANGHAI)


def seed() -> None:
    with clock_at(SYSTEM_START):
        _seed()


def _seed() -> None:
    units: dict[str, UnionUnit] = {u.code: u for u in UnionUnit.objects.filter(code__in=[row[0] for row in UNITS])}
    for code, parent_code, kind, name, short_name, enterprise, region in UNITS:
        if code not in units:
            units[code] = unit_create(
                actor=None,
                parent=units[parent_code] if parent_code else None,
                code=code,
                kind=kind,
                name=name,
                short_name=short_name,
                enterprise=enterprise,
                region=region,
            )
    for username, name, unit_code, roles, superuser, _description in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                name=name,
                email=f"{username}@example.org.cn",
                unit=units[unit_code],
                password=DEMO_PASSWORD,
                is_superuser=superuser,
            )
        for role, scope_code in roles:
            role_assign(actor=None, user=user, role=role, unit=units[scope_code])
