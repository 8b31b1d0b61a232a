"""The key-task ledger (#14): import, who sees what, the state rules, the schedule and review."""

from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import event
from sqlmodel import select

from portal import clock, tasks
from portal.attachments import Upload
from portal.errors import FormInvalid, PermissionDenied, ValidationError
from portal.models import KeyTask, KeyTaskUnit, TaskProgress
from portal.roles import Role
from tests.factories import make_user, unit_id
from tests.services.test_reports import PNG

TODAY = date(2026, 12, 7)  # a Monday: +3 working days is 12-10, +10 is 12-21


@pytest.fixture(autouse=True)
def monday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 7, 9, 30))
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def office(session):
    return make_user(session, Role.SUPERVISOR)


def workbook(rows: list[list], headers: tuple = tasks.HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for values in rows:
        sheet.append(values)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD_ROWS = [
    ["T-1", "推进工程建设项目审批深层次改革", "区科创营商局", "2026年10月底", "办事方便",
     "审批时限压缩至60个工作日以内。", "区发改局、区住建局", "", "2026-03-12", "限时完成", "每月",
     "≤60个工作日", "提升年工作方案"],
    ["T-2", "开展失信约束制度清理", "区发改局", date(2027, 12, 31), "成本竞争力强", "", "", "区直相关部门",
     None, "常态化", "每季度", "", ""],
]


def task_input(number: str, leads: list[int], **changes) -> tasks.TaskInput:
    values = {"number": number, "title": f"任务{number}", "lead_unit_ids": leads,
              "due_on": date(2027, 6, 30), "start_on": date(2026, 11, 1)}
    return tasks.TaskInput(**{**values, **changes})


# ---- import -------------------------------------------------------------------------------

def test_a_good_workbook_is_imported_with_units_dates_and_schedule(session, office):
    assert tasks.import_workbook(session, actor=office, data=workbook(GOOD_ROWS)) == 2
    first = session.exec(select(KeyTask).where(KeyTask.number == "T-1")).one()
    assert (first.due_on, first.start_on, first.area) == (date(2026, 10, 31), date(2026, 3, 12),
                                                         "办事方便")
    assert first.next_report_due == date(2026, 4, 10)  # March's report, by 10 April
    roles = dict(session.exec(select(KeyTaskUnit.unit_id, KeyTaskUnit.role)
                              .where(KeyTaskUnit.task_id == first.id)).all())
    assert roles == {unit_id(session, "区科创营商局"): "lead", unit_id(session, "区发改局"): "support",
                     unit_id(session, "区住建局"): "support"}
    second = session.exec(select(KeyTask).where(KeyTask.number == "T-2")).one()
    assert second.recurring and second.cadence == "quarterly"
    assert second.start_on == TODAY and second.other_parties == "区直相关部门"
    assert second.next_report_due == date(2027, 1, 11)  # Q4 report; 10 Jan 2027 is a Sunday


def test_a_workbook_with_bad_rows_is_refused_whole_with_row_numbers(session, office):
    rows = [GOOD_ROWS[0],
            ["T-2", "凈化市场经营秩序", "区不存在局", "2026-12-31"],
            ["T-3", "推进公正文明执法", "区政法委", "年底前"],
            ["T-1", "与第二行编号重复", "区政法委", "2026-12-31"],
            ["T-5", ""] + GOOD_ROWS[1][2:]]
    before = len(session.exec(select(KeyTask.id)).all())
    with pytest.raises(tasks.WorkbookRefused) as refused:
        tasks.import_workbook(session, actor=office, data=workbook(rows))
    assert refused.value.key == "error.task_import_refused"
    assert refused.value.params["rows"] == "3、4、5、6"
    problems = {r.number: [key for key, _ in r.errors] for r in refused.value.rows}
    assert problems == {3: ["error.task_import_unit"], 4: ["error.task_import_date"],
                        5: ["error.task_import_twice"], 6: ["error.task_title_required"]}
    unit_error = refused.value.rows[0].errors[0][1]
    assert (unit_error["column"], unit_error["unit"]) == ("牵头单位", "区不存在局")
    assert len(session.exec(select(KeyTask.id)).all()) == before  # nothing half-imported


def test_a_number_already_in_the_ledger_refuses_the_row(session, office):
    tasks.import_workbook(session, actor=office, data=workbook(GOOD_ROWS[:1]))
    checked = tasks.check_workbook(session, actor=office, data=workbook(GOOD_ROWS))
    assert [key for key, _ in checked[0].errors] == ["error.task_number_exists"]
    assert checked[1].errors == []


def test_a_workbook_without_the_required_columns_is_refused(session, office):
    with pytest.raises(ValidationError) as refused:
        tasks.import_workbook(session, actor=office,
                              data=workbook([["x"]], headers=("编号", "任务名称")))
    assert refused.value.key == "error.task_import_headers"
    assert refused.value.params["headers"] == "牵头单位、完成时限"


def test_the_template_has_the_columns_and_imports_itself(session, office):
    data = tasks.template_excel()
    sheet = load_workbook(BytesIO(data)).active
    assert [c.value for c in sheet[1]] == list(tasks.HEADERS)
    assert tasks.import_workbook(session, actor=office, data=data) == 1


def test_the_export_is_formula_safe(session, office):
    tasks.create_task(session, actor=office, data=task_input(
        "E-1", [unit_id(session)], title="=HYPERLINK(\"http://x\")"))
    sheet = load_workbook(BytesIO(tasks.export_excel(session, actor=office))).active
    cell = next(c for c in sheet["B"] if c.value and str(c.value).startswith("=HYPER"))
    assert cell.data_type == "s" and cell.quotePrefix


# ---- who sees what ------------------------------------------------------------------------

def test_a_unit_sees_and_reports_only_its_own_tasks(session, office):
    fgj, zjj = unit_id(session, "区发改局"), unit_id(session, "区住建局")
    led = tasks.create_task(session, actor=office, data=task_input("V-1", [fgj]))
    shared = tasks.create_task(session, actor=office, data=task_input(
        "V-2", [zjj], support_unit_ids=[fgj]))
    other = tasks.create_task(session, actor=office, data=task_input("V-3", [zjj]))
    clerk = make_user(session, Role.UNIT, unit="区发改局")
    rows, total = tasks.list_tasks(session, actor=clerk)
    assert {r["number"] for r in rows} == {"V-1", "V-2"} and total == 2
    assert {r["number"]: r["my_role"] for r in rows} == {"V-1": "lead", "V-2": "support"}
    assert sum(tasks.state_counts(session, actor=clerk).values()) == 2
    for call in (lambda: tasks.get_task(session, actor=clerk, task_id=other.id),
                 lambda: tasks.progress_history(session, actor=clerk, task_id=other.id),
                 lambda: tasks.submit_progress(session, actor=clerk, task_id=other.id,
                                               data=tasks.ProgressInput("进展", 10))):
        with pytest.raises(PermissionDenied):
            call()
    tasks.submit_progress(session, actor=clerk, task_id=shared.id,
                          data=tasks.ProgressInput("配合完成材料梳理", 30))
    assert tasks.get_task(session, actor=clerk, task_id=led.id)["leads"] == ["区发改局"]
    company = make_user(session, Role.COMPANY)
    with pytest.raises(PermissionDenied):
        tasks.list_tasks(session, actor=company)
    with pytest.raises(PermissionDenied):  # the office reviews; it does not report
        tasks.submit_progress(session, actor=office, task_id=led.id,
                              data=tasks.ProgressInput("进展", 10))


# ---- the state rules ----------------------------------------------------------------------

def _hand_made(session, number: str, *, due: date, next_due: date | None, percent: int = 0,
               done: date | None = None) -> None:
    task = KeyTask(number=number, title=number, start_on=date(2026, 1, 1), due_on=due,
                   next_report_due=next_due, percent=percent, done_on=done)
    session.add(task)
    session.flush()
    session.add(KeyTaskUnit(task_id=task.id, unit_id=unit_id(session), role="lead"))
    session.commit()


STATE_CASES = {  # number: (deadline, next report due, percent, done) -> state
    "S-ok": ((2027, 6, 30), (2026, 12, 11), 0, None, "on_track"),  # report in 4 working days
    "S-report-soon": ((2027, 6, 30), (2026, 12, 10), 0, None, "at_risk"),  # in 3
    "S-report-today": ((2027, 6, 30), (2026, 12, 7), 0, None, "at_risk"),
    "S-deadline-soon": ((2026, 12, 21), None, 79, None, "at_risk"),  # 10 working days, < 80%
    "S-deadline-soon-80": ((2026, 12, 21), None, 80, None, "on_track"),
    "S-deadline-later": ((2026, 12, 22), None, 10, None, "on_track"),
    "S-missed-report": ((2027, 6, 30), (2026, 12, 4), 50, None, "overdue"),
    "S-past-deadline": ((2026, 12, 4), None, 99, None, "overdue"),
    "S-past-deadline-100": ((2026, 12, 4), None, 100, None, "on_track"),  # awaiting review
    "S-done": ((2026, 12, 4), (2026, 11, 10), 100, (2026, 12, 1), "done"),
}


def test_the_state_rules_on_hand_made_dates(session, office):
    for number, (due, next_due, percent, done, _state) in STATE_CASES.items():
        _hand_made(session, number, due=date(*due), next_due=date(*next_due) if next_due else None,
                   percent=percent, done=date(*done) if done else None)
    rows, _ = tasks.list_tasks(session, actor=office, search="S-", page_size=50)
    assert {r["number"]: r["state"] for r in rows} == {
        number: case[-1] for number, case in STATE_CASES.items()}
    assert [r["state"] for r in rows][:2] == ["overdue", "overdue"]  # the worst first
    overdue, _ = tasks.list_tasks(session, actor=office, state="overdue", search="S-")
    assert {r["number"] for r in overdue} == {"S-missed-report", "S-past-deadline"}
    assert tasks.state_counts(session, actor=office) == {"on_track": 4, "at_risk": 3,
                                                         "overdue": 2, "done": 1}


def test_overdue_tasks_names_the_lead_units_and_the_missed_date(session, office):
    _hand_made(session, "O-report", due=date(2027, 6, 30), next_due=date(2026, 12, 4))
    _hand_made(session, "O-deadline", due=date(2026, 11, 30), next_due=None, percent=60)
    _hand_made(session, "O-fine", due=date(2027, 6, 30), next_due=date(2026, 12, 10))
    ids = dict(session.exec(select(KeyTask.number, KeyTask.id)).all())
    rows = tasks.overdue_tasks(session, today=TODAY)
    assert rows == [(ids["O-report"], unit_id(session), date(2026, 12, 4)),
                    (ids["O-deadline"], unit_id(session), date(2026, 11, 30))]


def test_a_list_page_costs_the_same_queries_for_5_rows_as_for_25(session, office, engine):
    for n in range(25):
        _hand_made(session, f"Q-{n:02d}", due=date(2027, 6, 30), next_due=date(2026, 12, 10))
    counted = []
    tasks.list_tasks(session, actor=office, search="Q-", page_size=1)  # the session warmed up

    def count(*_args):  # noqa: ANN002
        counted[-1] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        for size in (5, 25):
            counted.append(0)
            tasks.list_tasks(session, actor=office, search="Q-", page_size=size)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert counted[0] == counted[1]


# ---- schedule, report, review -------------------------------------------------------------

def test_report_return_resubmit_and_accept(session, office):
    fgj = unit_id(session)
    task = tasks.create_task(session, actor=office, data=task_input("R-1", [fgj]))
    assert task.next_report_due == date(2026, 12, 10)  # November's report
    clerk = make_user(session, Role.UNIT)
    first = tasks.submit_progress(session, actor=clerk, task_id=task.id, data=tasks.ProgressInput(
        "完成方案起草", 40, problems="部门意见未反馈", evidence="方案初稿",
        uploads=[Upload("方案.png", PNG)]))
    assert (first.period_due, first.late, first.status) == (date(2026, 12, 10), False, "pending")
    session.refresh(task)
    assert (task.next_report_due, task.percent) == (date(2027, 1, 11), 40)
    with pytest.raises(ValidationError) as waiting:
        tasks.submit_progress(session, actor=clerk, task_id=task.id,
                              data=tasks.ProgressInput("再报", 50))
    assert waiting.value.key == "error.task_progress_pending"
    queue, total = tasks.review_queue(session, actor=office)
    assert total == 1 and queue[0]["number"] == "R-1" and queue[0]["unit"] == "区发改局"
    with pytest.raises(ValidationError):
        tasks.return_progress(session, actor=office, progress_id=first.id, reason="  ")
    tasks.return_progress(session, actor=office, progress_id=first.id, reason="请补充会议纪要")
    session.refresh(task)
    assert (task.next_report_due, task.percent) == (date(2026, 12, 10), 0)
    history = tasks.progress_history(session, actor=clerk, task_id=task.id)
    assert (history[0]["status"], history[0]["review_note"]) == ("returned", "请补充会议纪要")
    assert history[0]["files"][0]["filename"] == "方案.png"
    file = tasks.progress_file(session, actor=clerk, file_id=history[0]["files"][0]["id"])
    assert file.data == PNG
    final = tasks.submit_progress(session, actor=clerk, task_id=task.id,
                                  data=tasks.ProgressInput("全部完成", 100))
    session.refresh(task)
    assert task.next_report_due is None and task.done_on is None
    tasks.accept_progress(session, actor=office, progress_id=final.id)
    session.refresh(task)
    assert task.done_on == TODAY
    assert tasks.get_task(session, actor=clerk, task_id=task.id)["state"] == "done"
    with pytest.raises(ValidationError) as done:
        tasks.submit_progress(session, actor=clerk, task_id=task.id,
                              data=tasks.ProgressInput("又一次", 100))
    assert done.value.key == "error.task_done"
    with pytest.raises(ValidationError):
        tasks.accept_progress(session, actor=office, progress_id=final.id)  # reviewed already


def test_accepting_less_than_100_keeps_the_task_open(session, office):
    task = tasks.create_task(session, actor=office, data=task_input("R-2", [unit_id(session)]))
    clerk = make_user(session, Role.UNIT)
    report = tasks.submit_progress(session, actor=clerk, task_id=task.id,
                                   data=tasks.ProgressInput("推进中", 60))
    tasks.accept_progress(session, actor=office, progress_id=report.id)
    session.refresh(task)
    assert task.done_on is None and task.percent == 60
    assert session.get(TaskProgress, report.id).status == "accepted"


def test_a_late_report_is_flagged_and_the_schedule_ends_at_the_deadline(session, office):
    task = tasks.create_task(session, actor=office, data=task_input(
        "R-3", [unit_id(session)], start_on=date(2026, 9, 1), due_on=date(2026, 11, 30)))
    assert task.next_report_due == date(2026, 10, 10)  # a Saturday made a working day (调休)
    assert tasks.get_task(session, actor=office, task_id=task.id)["state"] == "overdue"
    clerk = make_user(session, Role.UNIT)
    report = tasks.submit_progress(session, actor=clerk, task_id=task.id,
                                   data=tasks.ProgressInput("补报九月进展", 70))
    assert report.late
    session.refresh(task)
    assert task.next_report_due == date(2026, 11, 10)  # October's; November's is the last


def test_progress_input_is_checked(session, office):
    task = tasks.create_task(session, actor=office, data=task_input("R-4", [unit_id(session)]))
    clerk = make_user(session, Role.UNIT)
    with pytest.raises(FormInvalid) as invalid:
        tasks.submit_progress(session, actor=clerk, task_id=task.id, data=tasks.ProgressInput(
            "", 101, uploads=[Upload("x.exe", b"MZ\x90\x00")]))
    assert set(invalid.value.errors) == {"progress", "percent", "uploads"}
    assert invalid.value.errors["uploads"].key == "error.file_type"


def test_hand_entry_is_checked_and_edits_move_the_schedule(session, office):
    with pytest.raises(FormInvalid) as invalid:
        tasks.create_task(session, actor=office, data=task_input(
            "", [], due_on=date(2026, 1, 1), start_on=date(2026, 2, 1), cadence="weekly"))
    assert set(invalid.value.errors) == {"number", "leads", "start_on", "cadence"}
    task = tasks.create_task(session, actor=office, data=task_input("H-1", [unit_id(session)]))
    with pytest.raises(FormInvalid) as taken:
        tasks.create_task(session, actor=office, data=task_input("H-1", [unit_id(session)]))
    assert taken.value.errors["number"].key == "error.task_number_exists"
    tasks.update_task(session, actor=office, task_id=task.id, data=task_input(
        "H-1", [unit_id(session)], cadence="quarterly"))
    session.refresh(task)
    assert task.next_report_due == date(2027, 1, 11)
    clerk = make_user(session, Role.UNIT)
    with pytest.raises(PermissionDenied):
        tasks.update_task(session, actor=clerk, task_id=task.id,
                          data=task_input("H-1", [unit_id(session)]))
