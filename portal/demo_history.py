"""Demo history for `seed-demo`: ten weeks of reports lived through day by day, so the on-time,
satisfaction, rectification and resolution figures of the demo are real, non-trivial ratios.

Each report is filed in working hours, assigned, responded to (some late), replied to (some
late, with an outcome), rated (some 不满意, reopened and rectified), followed up by the office
(回访) or closed unrated, while the morning jobs (escalate, close-unrated) run on every working
day in between. The services do all the work under a borrowed clock. Idempotent: it runs once.
"""

import heapq
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from portal import clock, escalation, followup, report_flow, reports, workdays
from portal.errors import PortalError
from portal.models import Sequence, Unit
from portal.report_types import Channel, Rating
from portal.roles import Actor
from portal.users import load_actor

MARKER = "demo:history"
REPORTS = 60
WEEKS = 10
UNITS = ("区发改局", "区住建局", "区市场监管局", "区社会事业发展局", "区自然资源分局", "区医保分中心")
TOPICS = (
    ("undone", "营业执照变更登记材料反复退回", "变更经营范围时窗口多次要求补充材料，每次只说一项。", 15),
    ("complaint", "工程款结算审核久拖不办", "政府投资项目竣工已半年，结算审核一直没有结果。", 16),
    ("complaint", "消防验收要求购买指定产品", "验收人员暗示只有某品牌设备才能通过验收。", 24),
    ("undone", "医保定点申请材料网上无法提交", "线上系统上传附件总是失败，线下窗口又让回线上办理。", 15),
    ("complaint", "同一事项多部门重复检查", "一周内两个部门上门检查同一台账，要求重复报送材料。", 21),
    ("suggestion", "建议简化小额工程项目审批", "小额改造工程也要走全流程审批，周期过长。", 2),
    ("undone", "不动产抵押登记办理时间过长", "抵押登记承诺 3 个工作日，实际用了 2 周。", 14),
    ("complaint", "惠企政策申报后无人答复", "按通知申报了稳岗补贴，两个月没有任何回复。", 23),
)
COMPLAINTS = ("只是电话说明了情况，问题没有实际解决", "答复内容与实际不符", "承诺的时间已过仍未办结")


@contextmanager
def _clock_at(moment: datetime) -> Iterator[None]:
    """Run services as if it were `moment` (demo history only)."""
    saved_now, saved_today = clock.now, clock.today
    clock.now, clock.today = (lambda: moment), (lambda: moment.date())
    try:
        yield
    finally:
        clock.now, clock.today = saved_now, saved_today


def _working_days(session: Session, start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if workdays.is_working_day(day, session=session):
            days.append(day)
        day += timedelta(days=1)
    return days


def _at(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(int(hour), int(hour * 60) % 60))


def _plan(session: Session, rng: random.Random, index: int, filed_day: date,
          clerks: dict[int, Actor], supervisor: Actor, units: list[int]) -> tuple[
              datetime, Callable[[], object], Callable]:
    """The filing moment, the filing call, and a planner for the steps after it."""
    kind, title, text, category = TOPICS[index % len(TOPICS)]
    filed_at = _at(filed_day, rng.uniform(8.5, 17.5))
    channel = Channel.PHONE if index % 4 == 1 else Channel.WEB
    data = reports.ReportInput(kind=kind, title=title, description=text,
                               category_number=category, anonymous=index % 6 == 5,
                               contact_name="赵磊", contact_mobile="13947500002",
                               company_name="通辽市顺达物流有限公司", confidential=index % 2 == 0)

    def file() -> reports.Filed:
        return reports.file_report(session, actor=supervisor if channel != Channel.WEB else None,
                                   data=data, channel=channel)

    def later(start: date, n: int, hour: float) -> datetime:
        return _at(workdays.add_working_days(start, n, session=session), hour)

    def steps(filed: reports.Filed) -> list[tuple[datetime, Callable[[], object]]]:
        unit = units[index % len(units)]
        clerk = clerks[unit]
        rid = filed.report_id
        assign_at = filed_at + timedelta(hours=rng.uniform(0.5, 5))
        if assign_at.hour >= 17 or rng.random() < 0.15:
            assign_at = later(filed_day, 1, rng.uniform(9, 11))
        day = assign_at.date()
        late_response = rng.random() < 0.2
        respond_at = (later(day, rng.choice((2, 3)), 10) if late_response
                      else assign_at + timedelta(hours=rng.uniform(1, 4)))
        late_reply = rng.random() < 0.3
        reply_at = later(day, rng.choice((6, 7, 8)) if late_reply else rng.choice((2, 3, 4, 5)),
                         rng.uniform(14, 17))
        reply_at = max(reply_at, respond_at + timedelta(hours=2))
        outcome = rng.choices(("resolved", "partly", "unresolved"), (75, 15, 10))[0]
        plan = [(assign_at, lambda: report_flow.assign(
                    session, actor=supervisor, report_id=rid, unit_id=unit,
                    category_number=None)),
                (respond_at, lambda: report_flow.respond(
                    session, actor=clerk, report_id=rid, note="已签收，已联系企业了解情况。")),
                (reply_at, lambda: report_flow.reply(
                    session, actor=clerk, report_id=rid, outcome=outcome,
                    result="经核查已协调办理，并向企业说明了后续安排。"))]
        fate = rng.choices(("satisfied", "basically", "unsatisfied", "unrated"),
                           (45, 22, 15, 18))[0]
        rate_at = reply_at + timedelta(hours=rng.uniform(2, 30))

        def rate(rating: str, comment: str = "") -> Callable[[], object]:
            return lambda: report_flow.rate_with_code(
                session, tracking_no=filed.tracking_no, query_code=filed.query_code,
                rating=Rating(rating), comment=comment)

        if fate in ("satisfied", "basically"):
            plan.append((rate_at, rate(fate)))
        elif fate == "unsatisfied":
            plan.append((rate_at, rate("unsatisfied", rng.choice(COMPLAINTS))))
            again = later(rate_at.date(), rng.choice((2, 3, 4, 6)), 16)
            plan.append((again, lambda: report_flow.reply(
                session, actor=clerk, report_id=rid, outcome="resolved",
                result="已按企业意见重新办理，相关手续已办结。")))
            plan.append((again + timedelta(hours=20),
                         rate(rng.choices(("satisfied", "basically", "unsatisfied"),
                                          (60, 30, 10))[0])))
        elif rng.random() < 0.6:  # 回访 by the office
            result = rng.choice(("satisfied", "basically", "unreachable"))
            plan.append((later(reply_at.date(), 4, 10), lambda: followup.record(
                session, actor=supervisor, report_id=rid, result=result,
                comment="电话回访" if result != "unreachable" else "电话无人接听")))
        return plan

    return filed_at, file, steps


def seed_demo_history(session: Session) -> int:
    """Live through the last weeks once; returns the reports filed (0 when done before)."""
    if session.get(Sequence, MARKER) is not None:
        return 0
    supervisor = load_actor(session, username="supervisor")
    if supervisor is None:
        return 0
    from portal.demo import _unit_clerk

    units = [u for u in session.exec(select(Unit).where(Unit.active)).all() if u.name in UNITS]
    if not units:
        return 0
    clerks = {u.id: _unit_clerk(session, u) for u in units}
    now = clock.now()
    days = _working_days(session, now.date() - timedelta(weeks=WEEKS), now.date() - timedelta(1))
    rng = random.Random(11)
    queue: list[tuple[datetime, int, Callable[[], object]]] = []
    order = itertools.count()
    for index in range(REPORTS):
        filed_day = days[min(len(days) - 1, int(index * len(days) / REPORTS))]
        filed_at, file, steps = _plan(session, rng, index, filed_day, clerks, supervisor,
                                      [u.id for u in units])
        queue.append((filed_at, next(order), _filing(session, file, steps, queue, order)))
    for day in days:  # the morning jobs of each working day
        moment = _at(day, 7.5)
        queue.append((moment, next(order), lambda d=day: escalation.escalate(session, today=d)))
        queue.append((moment, next(order),
                      lambda d=day: followup.close_unrated(session, today=d)))
    heapq.heapify(queue)
    while queue and queue[0][0] < now:  # what would happen after now is left undone
        moment, _, call = heapq.heappop(queue)
        with _clock_at(moment):
            call()
    session.add(Sequence(name=MARKER, value=REPORTS))
    session.commit()
    return REPORTS


def _filing(session: Session, file: Callable, steps: Callable, queue: list,
            order: Iterator[int]) -> Callable[[], None]:
    """File the report, then queue its later steps (a refused step ends the report's story)."""
    def run() -> None:
        filed = file()
        state = {"broken": False}
        for moment, call in steps(filed):
            def guarded(call: Callable = call) -> None:
                if state["broken"]:
                    return
                try:
                    call()
                except PortalError:
                    session.rollback()
                    state["broken"] = True  # e.g. closed unrated before a late rating
            heapq.heappush(queue, (moment, next(order), guarded))
    return run
