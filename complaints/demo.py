"""Demo complaints: a few dozen in every state, dated around today so the clocks are live.

Registered through ``complaints.factories.register`` (the services, as the tests register
them) and moved on through the services, so every clock is the one users get."""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from employers.models import Employer, Unit
from inspections.items import Item

from . import services
from .factories import register
from .models import Complaint

LQZ = "120111002"
YLQ = "120111101"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉"
_STORIES = [
    ("wages", "拖欠{n}名工人{m}个月工资，合计约{amount}元，多次讨要未果。"),
    ("wages", "工资低于本市最低工资标准，每月实发不足2000元。"),
    ("contracts", "入职半年未签订书面劳动合同，要求支付二倍工资。"),
    ("social_insurance", "单位未为{n}名职工缴纳社会保险。"),
    ("working_hours", "每天工作12小时，每月只休息两天，加班费未支付。"),
    ("dispatch", "劳务派遣用工超过用工总量的10%，派遣工同工不同酬。"),
    ("female_minor", "女职工孕期被调岗降薪。"),
    ("child_labour", "举报车间内有未满16周岁人员上岗。"),
    ("internal_rules", "规章制度未经民主程序即以此罚款扣薪。"),
]

_REJECTION_NOTES = {
    "too_old": "所反映的违法行为发生于两年以前，且在两年内未被劳动保障行政部门发现，依法不再查处。",
    "outside_powers": "所反映事项属于劳动争议，已告知投诉人向劳动人事争议仲裁委员会申请仲裁。",
    "outside_jurisdiction": "被投诉单位注册地和用工地均不在本区，已告知投诉人向有管辖权的部门投诉。",
}

_OUTCOME_NOTES = {
    "violation": "经调查反映属实，已下达责令改正指令书，处理措施见查处案件。",
    "mediated": "经调解，单位与职工达成一致，已当场兑付。",
    "unfounded": "经调取考勤记录和工资发放凭证，未发现所反映的违法行为。",
    "to_arbitration": "双方存在劳动关系争议，已告知职工申请劳动人事争议仲裁。",
}


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _id_number(rng: random.Random) -> str:
    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 13000))
    body = f"120111{birth:%Y%m%d}{rng.randint(100, 999)}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def seed_complaints(rng: random.Random) -> str:
    """Idempotent: does nothing when any complaint exists."""
    existing = Complaint.objects.count()
    if existing:
        return f"complaints: {existing} already present"
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["inspector", "inspector2", "inspector_ylq", "supervisor"]
        )
    }
    if not {"inspector", "inspector2", "inspector_ylq", "supervisor"} <= set(users):
        return "complaints: demo users missing, none added"
    units = {u.code: u for u in Unit.objects.filter(code__in=[LQZ, YLQ])}
    employers = {
        code: list(Employer.objects.filter(unit=unit, status="active").order_by("id")[:80])
        for code, unit in units.items()
    }
    if not employers.get(LQZ) or not employers.get(YLQ):
        return "complaints: no demo employers in 李七庄 / 杨柳青, none added"
    today = timezone.localdate()
    lqz_pair = [users["inspector"], users["inspector2"]]
    supervisor = users["supervisor"]
    made = 0
    for index in range(36):
        unit_code = LQZ if index % 3 else YLQ
        recorder = users["inspector"] if unit_code == LQZ else users["inspector_ylq"]
        age = rng.choice([1, 2, 3, 4, 6, 9, 15, 25, 40, 55, 70, 85, 100, 120, 150])
        received = today - datetime.timedelta(days=age)
        item, story = rng.choice(_STORIES)
        workers = rng.randint(1, 40)
        amount = Decimal(rng.randint(3, 300) * 1000)
        anonymous = rng.random() < 0.15
        name = "" if anonymous else _person(rng)
        phone = "" if anonymous else f"1{rng.choice('3578')}{rng.randint(100000000, 999999999)}"
        fields = {
            "kind": Complaint.Kind.REPORT
            if anonymous or rng.random() < 0.2
            else Complaint.Kind.COMPLAINT,
            "channel": rng.choice(Complaint.Channel.values),
            "anonymous": anonymous,
            "complainant_name": name,
            "complainant_phone": phone,
            "complainant_id_number": "" if anonymous else _id_number(rng),
            "complainant_address": ""
            if anonymous
            else f"天津市西青区{rng.choice(['李七庄街', '杨柳青镇', '中北镇'])}{rng.randint(1, 40)}号楼",
            "workers_involved": workers,
            "amount_involved": amount if item == "wages" else None,
            "description": story.format(n=workers, m=rng.randint(2, 6), amount=amount)
            + (f"联系人{name}，电话{phone}。" if name and rng.random() < 0.3 else ""),
        }
        if index in (5, 17):
            fields["unregistered_name"] = f"西青区{rng.choice(['顺发', '宏达', '金龙'])}装修队"
            fields["unregistered_address"] = "天津市西青区李七庄街道某小区底商"
            fields["unit"] = units[unit_code]
            employer = None
        else:
            employer = rng.choice(employers[unit_code])
        items = [item] if rng.random() < 0.7 else [item, rng.choice(Item.values)]
        complaint = register(
            user=recorder, employer=employer, received_on=received, items=items, **fields
        )
        made += 1
        roll = rng.random()
        if age <= 4:
            if roll < 0.25:
                services.complaint_request_supplement(
                    complaint=complaint,
                    requested_on=received + datetime.timedelta(days=1),
                    note="请补充劳动关系证明（工牌、工资条或聊天记录）。",
                    user=recorder,
                )
            continue
        if roll < 0.15 or complaint.employer_id is None or (unit_code == YLQ and roll < 0.6):
            decided = min(today, received + datetime.timedelta(days=rng.randint(1, 5)))
            if complaint.employer_id is None or roll < 0.15:
                reason = rng.choice(list(Complaint.RejectionReason.values))
                services.complaint_reject(
                    complaint=complaint,
                    decided_on=decided,
                    reason=reason,
                    note=_REJECTION_NOTES[reason],
                    answered_on=decided,
                    user=recorder,
                )
            # 杨柳青 has a single demo inspector, and a case needs two (Art. 16): its other
            # complaints stay awaiting a decision, some of them overdue.
            continue
        if unit_code == YLQ:
            continue
        accepted_on = min(today, received + datetime.timedelta(days=rng.randint(1, 6)))
        services.complaint_accept(
            complaint=complaint, accepted_on=accepted_on, inspectors=lqz_pair, user=recorder
        )
        earliest_close = accepted_on + datetime.timedelta(days=rng.randint(20, 75))
        if age > 80 and rng.random() < 0.5:
            requested_on = accepted_on + datetime.timedelta(days=70)
            extension = services.extension_request(
                complaint=complaint,
                workdays=rng.choice([15, 20, 30]),
                reason="涉及人数较多，需调取银行流水核实工资发放情况。",
                user=recorder,
                requested_on=requested_on,
            )
            if rng.random() < 0.6:
                services.extension_decide(
                    extension=extension,
                    approve=True,
                    note="同意延期。",
                    user=supervisor,
                    decided_on=requested_on + datetime.timedelta(days=2),
                )
                earliest_close = requested_on + datetime.timedelta(days=rng.randint(10, 40))
            else:
                # left awaiting the supervisor's decision: the complaint stays open
                continue
        if age > 40 and rng.random() < 0.65 and earliest_close <= today:
            outcome = rng.choice(
                ["violation", "violation", "mediated", "unfounded", "to_arbitration"]
            )
            services.complaint_close(
                complaint=complaint,
                outcome=outcome,
                note=_OUTCOME_NOTES[outcome],
                answered_on=earliest_close,
                closed_on=earliest_close,
                user=recorder,
            )
    return f"complaints: {made} added"
