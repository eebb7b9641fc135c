"""The generated province's union tree and the users the benchmark signs in as (`seed_scale`).

A province federation with city federations (each with district federations below it) and industry
unions; grassroots unions at enterprises under the districts, the cities and the industry unions.
The tree is written with its materialised paths computed here (django-treebeard's own scheme), in
one COPY per table, rather than node by node.
"""

from datetime import timedelta

from core.bulk import load_rows, next_id, reset_sequences
from core.scale import BENCH_USERS, ScaleContext, marker_code, seeders_mark

from .models import RoleAssignment, UnionUnit
from .services import role_assign, unit_create, user_create

CITIES = ["西安", "宝鸡", "咸阳", "铜川", "渭南", "延安", "榆林", "汉中", "安康", "商洛", "杨凌", "韩城"]
DISTRICTS = [
    "新城",
    "碑林",
    "莲湖",
    "雁塔",
    "未央",
    "灞桥",
    "长安",
    "临潼",
    "高陵",
    "鄠邑",
    "蓝田",
    "周至",
    "渭城",
    "秦都",
    "兴平",
    "三原",
    "泾阳",
    "乾县",
    "礼泉",
    "彬州",
]
INDUSTRIES = [
    "能源化学地质",
    "机械冶金建材",
    "交通运输",
    "教科文卫",
    "金融",
    "邮电",
    "农林水利",
    "建设",
    "国防",
    "商贸轻纺",
]
# Enterprises: a place word, a trade word and a form, e.g. 秦川精密机床有限公司.
PLACE_WORDS = [
    "秦川",
    "长安",
    "渭河",
    "华山",
    "终南",
    "曲江",
    "丝路",
    "汉江",
    "陕北",
    "关中",
    "黄河",
    "秦岭",
    "骊山",
    "大雁塔",
    "兵马俑",
    "延河",
    "白鹿原",
    "太白",
    "金台",
    "凤翔",
]
TRADES = [
    ("精密机床", "C"),
    ("纺织", "C"),
    ("电子玻璃", "C"),
    ("重型汽车", "C"),
    ("煤业", "B"),
    ("石化", "C"),
    ("电力", "D"),
    ("建工", "E"),
    ("地铁运营", "G"),
    ("物流", "G"),
    ("人民医院", "Q"),
    ("中学", "P"),
    ("农商银行", "J"),
    ("供水", "D"),
    ("制药", "C"),
    ("航空零部件", "C"),
    ("钢铁", "C"),
    ("燃气", "D"),
    ("公路养护", "E"),
    ("邮政", "G"),
]
FORMS = ["有限公司", "集团有限公司", "股份有限公司", "有限责任公司"]


def _unit_rows(context: ScaleContext, root: UnionUnit) -> tuple[list[tuple], list[dict]]:
    """The rows of every unit below the root, and for each grassroots union what the teams need."""
    size = context.size
    rng = context.rng("units")
    created = context.now - timedelta(days=3 * 365)
    rows: list[tuple] = []
    grassroots: list[dict] = []
    next_pk = next_id(UnionUnit)
    children: dict[str, int] = {}

    def add(parent_path, depth, name, short_name, kind, code, enterprise="", region="") -> tuple[int, str]:
        nonlocal next_pk
        children[parent_path] = children.get(parent_path, 0) + 1
        path = UnionUnit._get_path(parent_path, depth, children[parent_path])
        pk = next_pk
        next_pk += 1
        rows.append([pk, path, depth, 0, name, short_name, kind, code, enterprise, region, True, created])
        return pk, path

    K = UnionUnit.Kind
    parents: list[tuple[str, int, str, str]] = []  # (path, depth, region, code) of every unit taking grassroots
    for c in range(size.cities):
        city = CITIES[c % len(CITIES)] + ("" if c < len(CITIES) else str(c // len(CITIES) + 1))
        code = f"SC-{c + 1:02d}"
        _pk, city_path = add(root.path, 2, f"{city}市总工会", f"{city}市总", K.CITY, code, region=f"陕西省{city}市")
        parents.append((city_path, 2, f"陕西省{city}市", code))
        for d in range(size.counties_per_city):
            district = DISTRICTS[(c * size.counties_per_city + d) % len(DISTRICTS)]
            county_code = f"{code}-{d + 1:02d}"
            region = f"陕西省{city}市{district}区"
            name = f"{city}市{district}区总工会"
            _pk, county_path = add(city_path, 3, name, f"{district}区总", K.COUNTY, county_code, region=region)
            parents.append((county_path, 3, region, county_code))
    for i in range(size.industries):
        industry = INDUSTRIES[i % len(INDUSTRIES)]
        code = f"SC-I{i + 1:02d}"
        _pk, path = add(root.path, 2, f"陕西省{industry}工会", f"{industry}工会", K.INDUSTRY, code)
        parents.append((path, 2, "陕西省", code))
    # Most grassroots unions stand under a district, some directly under a city or an industry union.
    weights = [3 if depth == 3 else 1 for _path, depth, _region, _code in parents]
    counters: dict[str, int] = {}
    seen: dict[str, int] = {}
    for _n in range(size.grassroots):
        parent_path, depth, region, parent_code = rng.choices(parents, weights)[0]
        counters[parent_code] = counters.get(parent_code, 0) + 1
        place, (trade, industry), form = rng.choice(PLACE_WORDS), rng.choice(TRADES), rng.choice(FORMS)
        enterprise = f"{place}{trade}{form}"
        seen[enterprise] = seen.get(enterprise, 0) + 1
        if seen[enterprise] > 1:  # the same company elsewhere: one of its branches
            enterprise = f"{enterprise}{region.removeprefix('陕西省')}第{seen[enterprise]}分公司"
        code = f"{parent_code}-{counters[parent_code]:05d}"
        pk, path = add(parent_path, depth + 1, f"{enterprise}工会", "", K.GRASSROOTS, code, enterprise, region)
        grassroots.append({"id": pk, "path": path, "enterprise": enterprise, "industry": industry, "region": region})
    for row in rows:
        row[3] = children.get(row[1], 0)  # numchild
    return [tuple(row) for row in rows], grassroots


def seed(context: ScaleContext) -> None:
    size, phases = context.size, context.phases
    root = unit_create(
        actor=None,
        parent=None,
        name="陕西省总工会",
        short_name="省总工会",
        kind=UnionUnit.Kind.PROVINCIAL,
        code=marker_code(size),
        region="陕西省",
        enterprise=seeders_mark(),
    )
    rows, grassroots = _unit_rows(context, root)
    fields = [
        "id",
        "path",
        "depth",
        "numchild",
        "name",
        "short_name",
        "kind",
        "code",
        "enterprise",
        "region",
        "is_active",
        "created_at",
    ]
    phases.run("union units", lambda: load_rows(UnionUnit, fields, rows))
    UnionUnit.objects.filter(pk=root.pk).update(numchild=size.cities + size.industries)
    reset_sequences(UnionUnit)
    context.shared["root"] = root
    context.shared["grassroots"] = grassroots
    context.shared["units_by_code"] = {
        code: pk
        for pk, code in UnionUnit.objects.filter(path__startswith=root.path)
        .exclude(kind=UnionUnit.Kind.GRASSROOTS)
        .values_list("pk", "code")
    }
    phases.run("bench users and roles", lambda: _bench_users(context, root))


def _bench_users(context: ScaleContext, root: UnionUnit) -> int:
    first_city = UnionUnit.objects.get(code="SC-01")
    users = {}
    for role, username, name, unit in [
        ("organiser", BENCH_USERS["organiser"], "王敏", root),
        ("city", BENCH_USERS["city"], "李娜", first_city),
        ("auditor", BENCH_USERS["auditor"], "孙立", root),
        ("leader", BENCH_USERS["leader"], "何小梅", None),
        ("admin", BENCH_USERS["admin"], "系统管理员", root),
    ]:
        users[role] = user_create(
            actor=None,
            username=username,
            name=name,
            email=f"{username}@example.org.cn",
            unit=unit,
            is_superuser=role == "admin",
        )
    role_assign(actor=None, user=users["organiser"], role=RoleAssignment.Role.STAFF, unit=root)
    role_assign(actor=None, user=users["city"], role=RoleAssignment.Role.STAFF, unit=first_city)
    role_assign(actor=None, user=users["auditor"], role=RoleAssignment.Role.AUDITOR, unit=root)
    context.shared["bench_users"] = users
    return len(users)
