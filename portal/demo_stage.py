"""Demo data of 报送事项 (#14), after seed 001 ("3月22日前报送第一阶段工作开展情况及典型案例"), lived
through by the services under a borrowed clock: 第一阶段工作开展情况及典型案例 to eight units, due
three weeks ago: most submitted on time and accepted, one waits for review (its first submission
was returned, so it shows an earlier round), one was late, one has not submitted (so the ladder sent it notices); 年度营商环境工作总结 to every unit, due in two
weeks, partly submitted. Idempotent: only when there is no request yet."""

from datetime import date, datetime, time, timedelta

from sqlmodel import Session, select

from portal import clock, escalation, stage_reports, supervised, workdays
from portal.demo_history import _clock_at
from portal.models import StageRequest, Unit
from portal.roles import Actor
from portal.users import load_actor

FIRST = "第一阶段工作开展情况及典型案例"
FIRST_TEXT = ("按照《营商环境建设提升年工作方案》要求，请各单位报送第一阶段工作开展情况，"
              "包括重点任务推进情况、存在问题及下一步打算，并附损害营商环境典型案例（无典型案例的请说明）。")
FIRST_UNITS = ("区发改局", "区住建局", "区市场监管局", "区财政局", "区公安分局", "区社会事业发展局",
               "区自然资源分局", "区生态环境分局")
LATE = "区自然资源分局"  # submitted four days after the due date
MISSING = "区住建局"  # has not submitted: on the ladder
WAITING = "区生态环境分局"  # submitted on time, not yet reviewed
SUMMARY = "年度营商环境工作总结"
SUMMARY_TEXT = "请各单位报送本年度优化营商环境工作总结，包括主要做法、工作成效、典型经验和明年工作计划。"
SUMMARY_DONE = ("区市场监管局", "区财政局", "区公安分局")


def _working_on_or_before(session: Session, day: date) -> date:
    while not workdays.is_working_day(day, session=session):
        day -= timedelta(days=1)
    return day


def _clerk(session: Session, name: str) -> Actor:
    from portal.demo_tasks import _clerk

    return _clerk(session, session.exec(select(Unit.id).where(Unit.name == name)).one())


def _ids(session: Session, names: tuple[str, ...]) -> list[int]:
    found = dict(session.exec(select(Unit.name, Unit.id).where(Unit.name.in_(names))).all())
    return [found[name] for name in names if name in found]


def _text(unit: str, title: str) -> str:
    return (f"{unit}关于“{title}”的报送：已按要求完成各项工作，形成书面材料；"
            "梳理典型案例 1 件，已按程序处理。")


def seed_demo_stage(session: Session) -> int:
    """The two requests and their submissions; 0 when a request exists already."""
    if session.exec(select(StageRequest.id).limit(1)).first() is not None:
        return 0
    office = load_actor(session, username="supervisor")
    if office is None:
        return 0
    today = clock.today()
    due = _working_on_or_before(session, today - timedelta(days=21))
    with _clock_at(datetime.combine(due - timedelta(days=14), time(9, 0))):
        first = stage_reports.create_request(session, actor=office, data=stage_reports.RequestInput(
            title=FIRST, content=FIRST_TEXT, due_on=due, unit_ids=_ids(session, FIRST_UNITS)))
    for offset, unit in enumerate(name for name in FIRST_UNITS if name != MISSING):
        moment = datetime.combine(due - timedelta(days=3 - offset % 3), time(10, 0))
        if unit == LATE:
            moment = datetime.combine(due + timedelta(days=4), time(15, 0))
        with _clock_at(moment):
            made = stage_reports.submit(session, actor=_clerk(session, unit), request_id=first.id,
                                        data=stage_reports.SubmissionInput(_text(unit, FIRST)))
        if unit != WAITING:
            with _clock_at(moment + timedelta(days=2)):
                stage_reports.accept(session, actor=office, report_id=made.id)
            continue
        with _clock_at(moment + timedelta(hours=4)):  # returned once, submitted again
            stage_reports.return_report(session, actor=office, report_id=made.id,
                                        reason="未附典型案例的处理结果，请补充后重新报送。")
        with _clock_at(moment + timedelta(days=1)):
            stage_reports.submit(session, actor=_clerk(session, unit), request_id=first.id,
                                 data=stage_reports.SubmissionInput(
                                     _text(unit, FIRST) + "已补充典型案例的处理结果。"))
    with _clock_at(datetime.combine(today - timedelta(days=7), time(9, 0))):
        summary = stage_reports.create_request(
            session, actor=office, data=stage_reports.RequestInput(
                title=SUMMARY, content=SUMMARY_TEXT, all_units=True,
                due_on=_working_on_or_before(session, today + timedelta(days=14))))
    for offset, unit in enumerate(SUMMARY_DONE):
        with _clock_at(datetime.combine(today - timedelta(days=3 - offset), time(11, 0))):
            stage_reports.submit(session, actor=_clerk(session, unit), request_id=summary.id,
                                 data=stage_reports.SubmissionInput(_text(unit, SUMMARY)))
    _run_the_ladder(session, today=today, days=30)
    return 2


def _run_the_ladder(session: Session, *, today: date, days: int) -> None:
    """The morning escalation of the last `days` days for stage reports, as cron would have
    run it."""
    for offset in range(days, -1, -1):
        day = today - timedelta(days=offset)
        if workdays.is_working_day(day, session=session):
            escalation.escalate(session, today=day, kinds=(supervised.STAGE,))
