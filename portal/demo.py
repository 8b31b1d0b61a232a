"""Demo data for `portal seed-demo`: accounts for every role. Idempotent: it only adds what is missing."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session, col, select

from portal import audit, clock, escalation, report_flow, reports, supervised, workdays
from portal.models import Report, ReportEvent, ReportRating, Unit, User
from portal.report_types import Rating
from portal.roles import Actor, Role
from portal.users import add_account, load_actor


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    roles: tuple[Role, ...]
    unit: str | None


# Fixed on purpose: the README lists them. Never run seed-demo on a production database.
DEMO_ACCOUNTS = (
    DemoAccount("admin", "Demo-Admin-2026", "系统管理员（演示）", (Role.ADMIN,), None),
    DemoAccount("supervisor", "Demo-Yingshang-2026", "王明（区科创营商局）", (Role.SUPERVISOR,),
                "区科创营商局"),
    DemoAccount("discipline", "Demo-Jiwei-2026", "李华（区纪委监委）", (Role.DISCIPLINE,),
                "区纪律检查委员会"),
    DemoAccount("unit_fgj", "Demo-Unit-2026", "张伟（区发改局）", (Role.UNIT,), "区发改局"),
    DemoAccount("unit_zjj", "Demo-Unit-2026", "刘洋（区住建局）", (Role.UNIT,), "区住建局"),
    DemoAccount("company", "Demo-Company-2026", "陈静（通辽市恒达科技有限公司）", (Role.COMPANY,),
                None),
)


def demo_email(username: str) -> str:
    return f"{username}@yingshang.example.com"


DEMO_CREDIT_CODE = "91150502MA0Q8XK129"  # check digit valid, fictitious company

# (kind, title, description, unit, category, steps, days ago): the steps run in order, then the
# whole history is moved back by `days ago`. Units are those with a demo account.
DEMO_REPORTS = (
    ("undone", "食品经营许可证申请多次被要求补件",
     "今年10月起在区政务服务中心申请食品经营许可证，窗口每次只告知一项缺件，前后跑了四次仍未受理。",
     "区发改局", 15, ["assign", "respond", "reply"], 9),
    ("complaint", "施工许可审批超时未办结",
     "我公司厂房扩建项目施工许可申请已提交 25 个工作日，承诺时限 15 个工作日，至今没有结果。",
     "区住建局", 16, ["assign", "respond"], 6),
    ("complaint", "项目补贴资金迟迟未拨付",
     "区里承诺的技改补贴已公示两个月，财政部门一直说在走流程，企业资金周转困难。",
     "区发改局", 23, ["assign"], 2),
    ("undone", "企业投资项目备案系统提示错误无法提交",
     "在线备案时系统一直提示统一社会信用代码格式错误，电话咨询无人接听。",
     "区发改局", 15, ["assign", "respond", "reply", "rate_unsatisfied"], 30),
    ("suggestion", "建议政务服务中心增设午间延时服务",
     "企业员工上班时间难以办事，建议工作日中午安排轮岗，不间断办理。", None, None, [], 0),
    ("complaint", "执法检查频次过多影响正常经营",
     "同一个月内三个部门先后上门检查同一事项，要求重复提交材料。",
     "区住建局", 21, ["assign", "respond", "reply", "rate_satisfied"], 20),
    ("undone", "不动产登记需要开具无法开具的证明",
     "办理厂房不动产登记时被要求提供原开发商的证明，开发商已注销，无法开具。",
     "区住建局", 7, [], 1),
    ("complaint", "与 12345 已反映事项重复",
     "同一事项已通过 12345 热线反映并已受理。", None, None, ["reject"], 3),
)


def seed_demo(session: Session) -> list[tuple[DemoAccount, bool]]:
    """Create the missing demo accounts; returns each account with whether it was created now."""
    results = []
    for account in DEMO_ACCOUNTS:
        exists = session.exec(select(User.id).where(User.username == account.username)).first()
        if exists is not None:
            results.append((account, False))
            continue
        unit_id = None
        if account.unit:
            unit_id = session.exec(select(Unit.id).where(Unit.name == account.unit)).first()
            if unit_id is None and Role.UNIT in account.roles:
                continue  # the admin renamed the unit; leave its demo account out
        user = add_account(session, username=account.username, display_name=account.display_name,
                            password=account.password, roles=set(account.roles), unit_id=unit_id)
        user.email = demo_email(account.username)  # e-mail on: `portal notify` sends to these
        session.add(user)
        audit.record(session, actor=None, action="demo.user", entity="user", entity_id=user.id,
                     detail=account.username)
        results.append((account, True))
    session.commit()
    return results



def seed_demo_reports(session: Session) -> int:
    """Sample reports at every stage, dated over the last weeks; only into an empty table."""
    if session.exec(select(Report.id).limit(1)).first() is not None:
        return 0
    supervisor = load_actor(session, username="supervisor")
    company = load_actor(session, username="company")
    if supervisor is None or company is None:
        return 0
    for index, (kind, title, text, unit, category, steps, days_ago) in enumerate(DEMO_REPORTS):
        data = reports.ReportInput(
            kind=kind, title=title, description=text, category_number=category,
            anonymous=index % 4 == 2, contact_name="陈静", contact_mobile="13847500001",
            company_name="通辽市恒达科技有限公司", credit_code=DEMO_CREDIT_CODE,
            confidential=index % 2 == 0, sms_opt_in=True)
        filed = reports.file_report(session, actor=company if index % 3 == 0 else None, data=data)
        _walk(session, filed, steps, supervisor=supervisor, unit=unit, category=category)
        if days_ago:
            _move_back(session, filed.report_id, timedelta(days=days_ago))
    session.commit()
    run_the_ladder(session, days=30, kinds=(supervised.REPORT,))
    return len(DEMO_REPORTS)


def run_the_ladder(session: Session, *, days: int,
                   kinds: tuple[str, ...] = supervised.KINDS) -> None:
    """Run the morning escalation of each working day of the last `days` days, as cron would."""
    today = clock.today()
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if workdays.is_working_day(day, session=session):
            escalation.escalate(session, today=day, kinds=kinds)


def _walk(session: Session, filed: reports.Filed, steps: list[str], *, supervisor: Actor,
          unit: str | None, category: int | None) -> None:
    unit_id = session.exec(select(Unit.id).where(Unit.name == unit)).first() if unit else None
    worker = next((load_actor(session, username=a.username) for a in DEMO_ACCOUNTS
                   if a.unit == unit and Role.UNIT in a.roles), None)
    for step in steps:
        if step == "assign":
            report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                               unit_id=unit_id, category_number=category)
        elif step == "reject":
            report_flow.reject(session, actor=supervisor, report_id=filed.report_id,
                               reason="与已受理的 12345 热线工单重复，已并案办理。")
        elif step == "respond":
            report_flow.respond(session, actor=worker, report_id=filed.report_id,
                                note="已签收，已电话联系反映人了解情况。")
        elif step == "reply":
            report_flow.reply(session, actor=worker, report_id=filed.report_id,
                              result="经核查情况属实，已督促窗口一次性告知并当场办结。",
                              outcome="resolved")
        else:
            rating = Rating(step.removeprefix("rate_"))
            report_flow.rate_with_code(
                session, tracking_no=filed.tracking_no, query_code=filed.query_code,
                rating=rating, comment="答复与实际情况不符" if rating == Rating.UNSATISFIED else "")


def _move_back(session: Session, report_id: int, shift: timedelta) -> None:
    """Date a report's history `shift` earlier, with deadlines recomputed on working days."""
    events = {}
    for event in session.exec(select(ReportEvent).where(ReportEvent.report_id == report_id)):
        event.at -= shift
        session.add(event)
        events[event.action] = event.at
    report = session.get(Report, report_id)
    report.created_at -= shift
    report.updated_at -= shift
    if "assign" in events:
        report.respond_due, _ = workdays.deadline(events["assign"],
                                                  workdays.sla_days(session, "respond"),
                                                  session=session)
        report.reply_due, _ = workdays.deadline(events["assign"],
                                                workdays.sla_days(session, "reply"),
                                                session=session)
        report.accepted_on, report.first_reply_due = events["assign"].date(), report.reply_due
    if report.first_replied_at is not None:
        report.first_replied_at -= shift
    if "rate_unsatisfied" in events:
        report.reply_due, _ = workdays.deadline(events["rate_unsatisfied"],
                                                workdays.sla_days(session, "reopen"),
                                                session=session)
    start = events.get("rate_unsatisfied") or events.get("assign") or report.created_at
    report.clock_start = start.date()
    if report.office_due is not None:
        report.office_due, _ = workdays.deadline(report.created_at,
                                                 workdays.sla_days(session, "intake"),
                                                 session=session)
    for rating in session.exec(select(ReportRating).where(ReportRating.report_id == report_id)):
        rating.at -= shift
        session.add(rating)
    escalation.refresh_due(session, report)


SELFCHECK_PROBLEMS = {  # unit -> {category: (description, measure, progress)}
    "区发改局": {16: ("企业投资项目备案咨询电话无人接听，诉求答复超时", "设立专人值守热线，48 小时内回复",
                    "in_progress"),
                 15: ("政务服务窗口一次性告知清单未及时更新", "每月核对更新告知清单并公示", "in_progress")},
    "区住建局": {14: ("施工许可审批环节多次要求补件", "推行一次性告知清单", "in_progress")},
    "区市场监管局": {21: ("个别执法人员以罚代管", "开展执法规范化培训", "in_progress")},
    "区财政局": {29: ("项目补贴资金拨付流程过长", "压缩审批环节至 3 个", "open")},
}
# a second problem in the same category (several problems per category, #14):
# unit -> {category: (description, measure, 风险等级, 责任科室, 整改时限 from today)}
SECOND_PROBLEMS = {
    "区市场监管局": {21: ("涉企检查前未统一公示检查事项清单，同一企业一月内被检查三次",
                     "检查事项清单统一公示，推行联合检查“进一次门、查多项事”", "medium", "法规科", 35)},
}
# the 整改台账 of the demo: unit -> {category: (风险等级, 责任科室, 整改时限 from today, story)}
# story: overdue (with notices from the ladder), soon (yellow card), open, pending (待销号),
# closed (已销号)
RECTIFY_STORIES = {
    "区发改局": {16: ("high", "投资科", -7, "overdue"), 15: ("low", "政务服务科", 40, "open")},
    "区住建局": {14: ("medium", "建筑管理科", 20, "closed")},
    "区市场监管局": {21: ("high", "执法稽查科", 10, "pending")},
    "区财政局": {29: ("medium", "预算科", 2, "soon")},
}


def seed_demo_selfchecks(session: Session) -> int:
    """2026年第三季度 reviewed, 第四季度 open with a mix of states; only when none exist."""
    from portal import selfcheck
    from portal.models import SelfcheckCampaign, SelfcheckForm, SelfcheckRow

    if session.exec(select(SelfcheckCampaign.id).limit(1)).first() is not None:
        return 0
    supervisor = load_actor(session, username="supervisor")
    if supervisor is None:
        return 0
    q3 = selfcheck.open_campaign(session, actor=supervisor, year=2026, quarter=3)
    q4 = selfcheck.open_campaign(session, actor=supervisor, year=2026, quarter=4)
    quota_units = session.exec(select(Unit).where(col(Unit.quota_applies).is_(True),
                                                  col(Unit.active).is_(True))
                               .order_by(Unit.sort_order)).all()
    for index, unit in enumerate(quota_units):
        problems = SELFCHECK_PROBLEMS.get(unit.name, {})
        submitted = datetime.combine(q3.due_date - timedelta(days=index % 4), time(10, 0))
        form = SelfcheckForm(campaign_id=q3.id, unit_id=unit.id, status=selfcheck.ACCEPTED,
                             version=3, submitted_at=submitted, late=index % 7 == 6,
                             reviewed_at=submitted + timedelta(days=2),
                             reviewed_by_id=supervisor.user_id, updated_at=submitted)
        if form.late:
            form.submitted_at = datetime.combine(q3.due_date + timedelta(days=2), time(9, 0))
        session.add(form)
        session.flush()
        stories = RECTIFY_STORIES.get(unit.name, {})
        for number in range(1, 33):
            found = problems.get(number)
            level, department, days, _story = stories.get(number, ("", "", 0, ""))
            session.add(SelfcheckRow(
                form_id=form.id, category_number=number, has_problem=found is not None,
                description=found[0] if found else "", measure=found[1] if found else "",
                risk="影响企业办事体验，存在被投诉风险" if found else "",
                person="分管副局长" if found else "",
                deadline=_rectify_deadline(session, days) if found else None,
                progress=found[2] if found else "open", risk_level=level,
                department=department))
        for number, (text, measure, level, department, days) in SECOND_PROBLEMS.get(
                unit.name, {}).items():
            session.add(SelfcheckRow(
                form_id=form.id, category_number=number, position=2, has_problem=True,
                description=text, measure=measure, risk="企业迎检负担重，存在被投诉风险",
                person="分管副局长", deadline=_rectify_deadline(session, days),
                progress="in_progress", risk_level=level, department=department))
    session.commit()
    for unit in quota_units[2:7]:  # a few units (not the demo logins) have submitted already
        worker = _unit_clerk(session, unit)
        form = selfcheck.open_form(session, actor=worker, campaign_id=q4.id)
        answers = {n: [selfcheck.RowInput(category_number=n, has_problem=False)]
                   for n in range(1, 33)}
        carried = session.exec(select(SelfcheckRow).where(
            SelfcheckRow.form_id == form.id, col(SelfcheckRow.carried_from_id).is_not(None))
            .order_by(SelfcheckRow.category_number, SelfcheckRow.position)).all()
        for number in {row.category_number for row in carried}:
            answers[number] = [selfcheck.RowInput(
                category_number=number, position=row.position, has_problem=True,
                description=row.description, risk=row.risk, measure=row.measure,
                person=row.person, deadline=row.deadline, progress="in_progress",
                risk_level=row.risk_level or "medium", department=row.department)
                for row in carried if row.category_number == number]
        selfcheck.submit(session, actor=worker, form_id=form.id, version=form.version,
                         rows=[row for n in sorted(answers) for row in answers[n]])
    _seed_rectification(session, supervisor)
    return 2


def _rectify_deadline(session: Session, days: int) -> date:
    """整改时限 relative to today: `days` calendar days, or 2 working days for the yellow card."""


    today = clock.today()
    if days == 2:
        return workdays.add_working_days(today, 2, session=session)
    return today + timedelta(days=days)


def _seed_rectification(session: Session, office: Actor) -> None:
    """The ledger's stories: evidence submitted (待销号), accepted (已销号), refused once, and the
    morning ladder of the last days for the overdue problem (a 提醒单 and more)."""
    from portal import demo_tasks, rectification, supervised

    clerks = {}
    for unit_name in RECTIFY_STORIES:
        unit = session.exec(select(Unit).where(Unit.name == unit_name)).first()
        if unit is None:
            continue
        clerks[unit_name] = demo_tasks._clerk(session, unit.id)
    for unit_name, stories in RECTIFY_STORIES.items():
        clerk = clerks.get(unit_name)
        if clerk is None:
            continue
        rows, _total = rectification.unit_ledger(session, actor=clerk, page_size=100)
        by_number = {r["category_number"]: r for r in rows if r["position"] == 1}
        for number, (_level, _dept, _days, story) in stories.items():
            row = by_number.get(number)
            if row is None or story not in ("pending", "closed"):
                continue
            if story == "closed":
                first = rectification.submit_evidence(
                    session, actor=clerk, row_id=row["id"],
                    data=rectification.EvidenceInput("已推行一次性告知清单。"))
                rectification.refuse(session, actor=office, evidence_id=first.id,
                                     reason="请补充告知清单公示照片和近一个月补件情况统计。")
            evidence = rectification.submit_evidence(
                session, actor=clerk, row_id=row["id"], data=rectification.EvidenceInput(
                    "已完成整改：制定并公示一次性告知清单，近一个月补件率下降至 5% 以下。"))
            if story == "closed":
                rectification.accept(session, actor=office, evidence_id=evidence.id)
    today = clock.today()
    for offset in range(10, -1, -1):
        day = today - timedelta(days=offset)
        if workdays.is_working_day(day, session=session):
            escalation.escalate(session, today=day, kinds=(supervised.PROBLEM,))


def _unit_clerk(session: Session, unit: Unit) -> Actor:
    """A filler account of a unit without a demo login (random password, never printed)."""
    from portal.passwords import generate_password

    username = f"demo_clerk{unit.id}"
    if load_actor(session, username=username) is None:
        add_account(session, username=username, display_name=f"{unit.name}填报员",
                    password=generate_password(), roles={Role.UNIT}, unit_id=unit.id)
        session.commit()
    return load_actor(session, username=username)


# (unit, category, title, concluded (month, day), outcomes); all verified by the discipline office
DEMO_CASES = (
    ("区发改局", 7, "项目备案违规增设前置条件", (3, 12), ("government",)),
    ("区发改局", 16, "企业诉求久拖不决", (8, 20), ("admonition",)),
    ("区住建局", 14, "施工许可审批推诿扯皮", (3, 25), ("party", "government")),
    ("区住建局", 25, "质量监督人员吃拿卡要", (6, 18), ("judicial",)),
    ("区市场监管局", 21, "以罚代管趋利执法", (5, 9), ("admonition",)),
    ("区市场监管局", 22, "区别对待执法对象", (9, 30), ("organisational",)),
    ("区财政局", 29, "拨付补贴资金截留", (2, 28), ("party",)),
    ("区公安分局", 11, "违规设卡罚款", (7, 2), ("government",)),
)


def seed_demo_cases(session: Session) -> int:
    """Verified cases for some quota units (met, met without sanction, none) and an exemption."""
    from portal import cases, quotas
    from portal.models import TypicalCase

    if session.exec(select(TypicalCase.id).limit(1)).first() is not None:
        return 0
    discipline = load_actor(session, username="discipline")
    if discipline is None:
        return 0
    year = clock.today().year
    for unit, category, title, (month, day), outcomes in DEMO_CASES:
        unit_id = session.exec(select(Unit.id).where(Unit.name == unit)).first()
        concluded = date(year, month, day)
        if unit_id is None or concluded > clock.today():
            continue
        made = cases.register(session, actor=discipline, data=cases.CaseInput(
            unit_id=unit_id, category_number=category, title=title,
            summary=f"经核查，{unit}存在“{title}”问题，已依规依纪处理。",
            found_on=concluded - timedelta(days=30), concluded_on=concluded,
            source="inspection", outcomes=list(outcomes), persons_handled=1))
        for step in ("checking", "concluded", "verified"):
            cases.advance(session, actor=discipline, case_id=made.id, to=step)
    finance = session.exec(select(Unit.id).where(Unit.name == "区财政局")).first()
    if finance is not None:  # concluded, waiting for the discipline office to verify it
        waiting = cases.register(session, actor=discipline, data=cases.CaseInput(
            unit_id=finance, category_number=8, title="违规扩大收费范围",
            summary="经核查，区财政局下属中心违规扩大收费范围，已给予相关人员政务处分。",
            found_on=clock.today() - timedelta(days=40),
            concluded_on=clock.today() - timedelta(days=5), source="report",
            outcomes=["government"], persons_handled=2))
        for step in ("checking", "concluded"):
            cases.advance(session, actor=discipline, case_id=waiting.id, to=step)
    clue = session.exec(select(Unit.id).where(Unit.name == "区审计局")).first()
    if clue is not None:
        cases.register(session, actor=discipline, data=cases.CaseInput(
            unit_id=clue, category_number=31, title="以检查名义不当得利线索",
            summary="群众反映审计过程中存在不当得利，正在核查。",
            found_on=clock.today() - timedelta(days=10), source="report"))
    emergency = session.exec(select(Unit.id).where(Unit.name == "区应急局")).first()
    if emergency is not None:
        quotas.exempt_unit(session, actor=discipline, unit_id=emergency,
                           checkpoint=date(year, 3, 31),
                           reason="一季度机构改革职能调整，经研究原则上豁免。")
    return len(DEMO_CASES)
