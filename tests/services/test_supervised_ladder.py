"""One 三单一函 ladder for every supervised item (#14): a key task late with its progress report or
past its deadline draws 提醒单 → 催办单 … through the same code as a report, and the action the
notice demands discharges it."""

from datetime import date, datetime, timedelta
from io import BytesIO

import pytest
from docx import Document
from sqlmodel import select

from portal import clock, escalation, notice_doc, tasks, workdays
from portal.errors import ValidationError
from portal.models import KeyTask, Notice
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_tasks import task_input

MONDAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 9, 30))
    monkeypatch.setattr(clock, "today", lambda: MONDAY)


@pytest.fixture
def office(session):
    return make_user(session, Role.SUPERVISOR)


@pytest.fixture
def task(session, office):
    leads = [unit_id(session, "区发改局"), unit_id(session, "区住建局")]
    made = tasks.create_task(session, actor=office, data=task_input("L-1", leads))
    return session.get(KeyTask, made.id)


def _at(monkeypatch, day: date) -> None:
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(day, datetime.min.time()).replace(hour=9))
    monkeypatch.setattr(clock, "today", lambda: day)


def _task_notices(session, task) -> list[Notice]:
    return list(session.exec(select(Notice).where(Notice.item_kind == "task",
                                                  Notice.item_id == task.id)
                             .order_by(Notice.id)).all())


def _report(session, task, unit: str, percent: int):
    clerk = make_user(session, Role.UNIT, unit=unit)
    return tasks.submit_progress(session, actor=clerk, task_id=task.id,
                          data=tasks.ProgressInput(progress="按计划推进，已完成阶段目标。",
                                                   percent=percent))


def test_a_task_late_with_its_progress_report_draws_a_reminder_for_each_lead_unit(session, task):
    late_day = workdays.add_working_days(task.next_report_due, 1, session=session)
    issued = escalation.escalate(session, today=late_day)
    assert sorted((i.kind, i.tracking_no, i.unit, i.item_kind) for i in issued) == [
        ("reminder", "L-1", "区住建局", "task"), ("reminder", "L-1", "区发改局", "task")]
    notices = _task_notices(session, task)
    assert {n.demands for n in notices} == {"progress"} and all(n.report_id is None for n in notices)
    assert escalation.escalate(session, today=late_day) == []  # idempotent on the same day


def test_a_missed_notice_leads_to_the_next_rung_and_a_report_discharges_it(session, task,
                                                                           monkeypatch):
    late_day = workdays.add_working_days(task.next_report_due, 1, session=session)
    escalation.escalate(session, today=late_day)
    deadline = _task_notices(session, task)[0].deadline
    assert escalation.escalate(session, today=deadline) == []  # the notice's window runs
    after = workdays.add_working_days(deadline, 1, session=session)
    urged = escalation.escalate(session, today=after)
    assert {i.kind for i in urged} == {"urging"}
    _at(monkeypatch, after)
    _report(session, task, "区发改局", 40)
    notices = _task_notices(session, task)
    assert [(n.kind, n.complied, n.settled_by) for n in notices if n.kind == "urging"] == [
        ("urging", True, "progress"), ("urging", True, "progress")]
    # the task's next report is due later; when that one is missed, it starts at the reminder
    session.refresh(task)
    again = workdays.add_working_days(task.next_report_due, 1, session=session)
    assert {i.kind for i in escalation.escalate(session, today=again)} == {"reminder"}


def test_a_task_past_its_deadline_is_discharged_by_reporting_it_finished(session, office, monkeypatch):
    leads = [unit_id(session, "区发改局")]
    made = tasks.create_task(session, actor=office, data=task_input(
        "L-2", leads, start_on=date(2026, 11, 2), due_on=date(2026, 11, 30)))
    task = session.get(KeyTask, made.id)
    _at(monkeypatch, date(2026, 12, 1))
    report = _report(session, task, "区发改局", 60)  # the November report: on time, not finished
    tasks.accept_progress(session, actor=office, progress_id=report.id)
    issued = escalation.escalate(session, today=date(2026, 12, 8))
    assert [(i.kind, i.tracking_no) for i in issued] == [("reminder", "L-2")]
    assert _task_notices(session, task)[0].demands == "finish"
    _at(monkeypatch, date(2026, 12, 9))
    _report(session, task, "区发改局", 100)
    notice = _task_notices(session, task)[0]
    assert (notice.complied, notice.settled_by) == (True, "finish")


def test_the_notice_of_a_task_reads_as_a_task_in_the_unit_inbox_and_the_word_file(session, task):
    late_day = workdays.add_working_days(task.next_report_due, 1, session=session)
    escalation.escalate(session, today=late_day)
    clerk = make_user(session, Role.UNIT, unit="区发改局")
    [row] = escalation.unit_notices(session, actor=clerk)
    assert (row["item_kind"], row["tracking_no"], row["report_title"]) == ("task", "L-1", "任务L-1")
    document = Document(BytesIO(notice_doc.render(row)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "重点任务“任务L-1”（任务编号 L-1）未按时报送进展情况" in text
    assert "受理编号" not in text


def test_the_office_issues_a_task_notice_by_hand_and_withdraws_it(session, task, office):
    lead = unit_id(session, "区住建局")
    notice = escalation.issue_by_hand(session, actor=office, task_id=task.id, unit_id=lead,
                                      reason="进展滞后，请加快推进。")
    assert (notice.kind, notice.item_kind, notice.unit_id) == ("reminder", "task", lead)
    escalation.withdraw(session, actor=office, notice_id=notice.id, reason="误发")
    assert session.get(Notice, notice.id).withdrawn
    with pytest.raises(ValidationError):  # not a lead unit of the task
        escalation.issue_by_hand(session, actor=office, task_id=task.id,
                                 unit_id=unit_id(session, "区市场监管局"), reason="催办")


def test_notice_figures_count_by_kind_of_item(session, task):
    from portal import stats

    late_day = workdays.add_working_days(task.next_report_due, 1, session=session)
    escalation.escalate(session, today=late_day)
    office = make_user(session, Role.SUPERVISOR)
    counts = stats.notices_by_item(session, actor=office, start=late_day - timedelta(days=1),
                                   end=late_day)
    assert counts["task"] == {"reminder": 2, "urging": 0, "supervision": 0, "transfer": 0}
    assert counts["report"]["reminder"] == 0
