"""A believable demo district: units, employers of all four kinds, one user per role.

Apps above this floor add their own demo records (patrols, cases, complaints...) with a seeder
listed in ``xiqing_credit/demo.py`` (``settings.DEMO_SEEDERS``); ``seed_demo`` runs them in that
order after the employers exist. Every record is built by the app's factories
(``employers/factories.py`` and the like, the ones the tests use) with this module's random,
believable values.
"""

import datetime
import random
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core.roles import Role, role_group

from .credit_code import CHARSET, make_credit_code
from .factories import EmployerFactory, UserFactory
from .models import Employer, Unit

DEMO_PASSWORD = "xiqing-demo-2026"

DEMO_USERS = [
    # username, full name, role, unit codes
    ("inspector", "李监察", Role.INSPECTOR, ["120111002"]),
    ("inspector2", "王监察", Role.INSPECTOR, ["120111002"]),
    ("inspector_ylq", "杨监察", Role.INSPECTOR, ["120111101"]),
    ("supervisor", "张大队长", Role.SUPERVISOR, []),
    ("admin", "系统管理员", Role.ADMIN, []),
]

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志海波宁斌浩宇凯晨欣悦文博雪梅俊峰"
_BRANDS = [
    "华宇",
    "津西",
    "瑞丰",
    "鑫达",
    "恒通",
    "德润",
    "宏远",
    "盛世",
    "利民",
    "金桥",
    "海河",
    "汇源",
    "中盛",
    "永泰",
    "嘉禾",
    "安达",
    "润泽",
    "天成",
    "博创",
    "景明",
    "鸿运",
    "泰和",
    "顺达",
    "富康",
    "精工",
    "华信",
    "众诚",
    "兴业",
    "万通",
    "宝隆",
    "康泰",
    "昌盛",
    "金鼎",
]
_TRADES = [
    ("机械制造", "机械设备", "制造业"),
    ("电子科技", "电子", "制造业"),
    ("建筑工程", "建筑", "建筑业"),
    ("物流", "物流", "交通运输、仓储和邮政业"),
    ("食品", "食品加工", "制造业"),
    ("汽车配件", "汽车零部件", "制造业"),
    ("餐饮管理", "餐饮", "住宿和餐饮业"),
    ("物业服务", "物业", "房地产业"),
    ("商贸", "商贸", "批发和零售业"),
    ("服装", "服装加工", "制造业"),
    ("新材料", "新材料", "制造业"),
    ("医药", "医药", "制造业"),
]
# The demo's own further words (the benchmark seeder shares the lists above and keeps them).
DEMO_BRANDS = [
    *_BRANDS,
    "鼎盛",
    "广源",
    "盛泰",
    "恒信",
    "佳和",
    "正阳",
    "华美",
    "金海",
    "东方",
    "锦程",
    "联创",
    "益民",
    "和信",
    "泽润",
    "瑞祥",
    "天顺",
    "建兴",
    "祥和",
    "同心",
    "中天",
]
DEMO_TRADES = [
    *_TRADES,
    ("包装材料", "包装", "制造业"),
    ("精密模具", "模具", "制造业"),
    ("装饰工程", "装饰", "建筑业"),
    ("印刷", "印刷", "制造业"),
    ("塑料制品", "塑料", "制造业"),
    ("钢结构工程", "钢结构", "建筑业"),
    ("供应链管理", "供应链", "租赁和商务服务业"),
    ("酒店管理", "酒店", "住宿和餐饮业"),
]
_SHOPS = [
    "超市",
    "饭店",
    "理发店",
    "五金店",
    "便利店",
    "汽修部",
    "面馆",
    "水果店",
    "洗衣店",
    "药店",
    "烟酒店",
    "汽车修理部",
    "粮油店",
    "早点铺",
]
_ROADS = [
    "中北大道",
    "津静公路",
    "杨柳青大街",
    "大寺镇政府路",
    "精武道",
    "赛达大道",
    "李七庄路",
    "津涞公路",
    "外环线",
    "梨园头路",
    "张家窝大道",
    "辛口镇兴业路",
    "王稳庄中心街",
    "卫津南路",
]


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _credit_code(rng: random.Random, kind: str) -> str:
    prefix = {"enterprise": "91", "individual": "92", "agency": "91", "training": "52"}[kind]
    body = prefix + "120111" + "".join(rng.choice(CHARSET) for _ in range(9))
    return make_credit_code(body)


def _brand(rng: random.Random) -> str:
    """A trade name as Tianjin companies choose them: one word (华宇) or two (启明正泰)."""
    if rng.random() < 0.35:
        return rng.choice(DEMO_BRANDS)
    first, second = rng.sample(DEMO_BRANDS, 2)
    return first + second


def demo_name(rng: random.Random, kind: str) -> tuple[str, str]:
    """A believable registered name and its industry: 天津(市) + trade name + trade + 有限公司
    for companies, 西青区 + owner + shop for individual businesses. No unit name goes into a
    name: streets do not name the companies registered in them."""
    trade, _short, industry = rng.choice(DEMO_TRADES)
    city = "天津市" if rng.random() < 0.3 else "天津"
    if kind == Employer.Kind.ENTERPRISE:
        form = "有限责任公司" if rng.random() < 0.1 else "有限公司"
        return f"{city}{_brand(rng)}{trade}{form}", industry
    if kind == Employer.Kind.INDIVIDUAL:
        owner = _person(rng) if rng.random() < 0.5 else rng.choice(_SURNAMES) + "记"
        return f"西青区{owner}{rng.choice(_SHOPS)}", "批发和零售业"
    if kind == Employer.Kind.AGENCY:
        return f"{city}{_brand(rng)}人力资源服务有限公司", "租赁和商务服务业"
    return f"西青区{_brand(rng)}职业技能培训学校", "教育"


_HEADCOUNT: dict[str, Callable[[random.Random], int]] = {
    Employer.Kind.ENTERPRISE: lambda rng: int(rng.lognormvariate(3.3, 1.0)) + 3,
    Employer.Kind.INDIVIDUAL: lambda rng: rng.randint(1, 9),
    Employer.Kind.AGENCY: lambda rng: rng.randint(5, 60),
    Employer.Kind.TRAINING: lambda rng: rng.randint(8, 40),
}


def demo_employers(count: int, seed: int) -> list[Employer]:
    """Unsaved employers built by ``EmployerFactory``; the same seed gives the same district."""
    rng = random.Random(seed)
    units = list(Unit.objects.order_by("code"))
    today = datetime.date(2026, 11, 1)
    employers: list[Employer] = []
    seen: set[str] = set()
    names: set[str] = set()
    draws = 0
    while len(employers) < count:
        draws += 1
        if draws > 20 * count + 1000:
            raise ValueError(f"cannot draw {count} distinct demo employers")
        kind = rng.choices(Employer.Kind.values, weights=[70, 22, 5, 3])[0]
        code = _credit_code(rng, kind)
        name, industry = demo_name(rng, kind)
        if code in seen or name in names:
            continue
        seen.add(code)
        names.add(name)
        unit = rng.choice(units)
        established = today - datetime.timedelta(days=rng.randint(200, 9000))
        verified = (
            today - datetime.timedelta(days=rng.randint(0, 500)) if rng.random() < 0.9 else None
        )
        employers.append(
            EmployerFactory.build(
                credit_code=code,
                name=name,
                kind=kind,
                unit=unit,
                address=f"天津市西青区{unit.name}{rng.choice(_ROADS)}{rng.randint(1, 300)}号",
                legal_representative=_person(rng),
                contact_person=_person(rng),
                contact_phone=f"1{rng.choice('35789')}{rng.randint(100000000, 999999999)}",
                headcount=_HEADCOUNT[kind](rng),
                industry=industry,
                established_on=established,
                status="deregistered" if rng.random() < 0.03 else "active",
                verified_on=verified,
            )
        )
    return employers


def _spread_added_dates(employers: list[Employer], seed: int) -> None:
    """A real registry grows month by month: about a third of the demo employers were added in
    the last twelve months, the rest years ago (auto_now_add stamps them all "now" on insert)."""
    rng = random.Random(seed + 1)
    now = timezone.now()
    for employer in employers:
        days = rng.randint(1, 365) if rng.random() < 0.35 else rng.randint(366, 1800)
        employer.created_at = now - datetime.timedelta(days=days, minutes=rng.randint(0, 600))
        if employer.verified_on and employer.verified_on < employer.created_at.date():
            employer.verified_on = employer.created_at.date()
    Employer.objects.bulk_update(employers, ["created_at", "verified_on"], batch_size=1000)


DemoSeeder = Callable[[random.Random], str]


def demo_seeders() -> list[DemoSeeder]:
    """The seeders of the apps above, in the order ``settings.DEMO_SEEDERS`` names them."""
    return [import_string(path) for path in import_string(settings.DEMO_SEEDERS)]


def demo_users() -> list[tuple[str, str]]:
    """The demo logins: created by ``UserFactory`` once (password ``DEMO_PASSWORD``); later
    runs only put back their names, roles and units."""
    user_model = get_user_model()
    created = []
    for username, full_name, role, unit_codes in DEMO_USERS:
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = UserFactory(username=username, password=DEMO_PASSWORD)
        user.first_name = full_name
        user.is_staff = role == Role.ADMIN
        user.save()
        user.groups.set([role_group(role)])
        if unit_codes:
            user.units.set(Unit.objects.filter(code__in=unit_codes))
        created.append((username, role))
    return created


@transaction.atomic
def seed_demo(*, employers: int = 2000, seed: int = 2026) -> list[str]:
    """Create the demo district once; a second run adds nothing. Returns summary lines."""
    lines = []
    users = demo_users()
    existing = Employer.objects.count()
    if existing < employers:
        candidates = demo_employers(employers, seed)
        known = set(Employer.objects.values_list("credit_code", flat=True))
        fresh = [e for e in candidates if e.credit_code not in known][: employers - existing]
        Employer.objects.bulk_create(fresh, batch_size=1000)
        _spread_added_dates(fresh, seed)
        lines.append(f"employers: {len(fresh)} added, {existing + len(fresh)} in all")
    else:
        lines.append(f"employers: {existing} already present")
    rng = random.Random(seed)
    for seeder in demo_seeders():
        lines.append(seeder(rng))
    lines.append(f"demo logins (password {DEMO_PASSWORD}):")
    for username, role in users:
        lines.append(f"  {username:<14} {role}")
    return lines
