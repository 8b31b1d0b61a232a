"""What the 三单一函 ladder supervises (#14), in one shape: an item with an owner unit, the
deadline it missed and what a notice demands of the unit.

Kinds today: complaint reports, key tasks (重点任务), stage reports (报送事项, one item per
addressed unit) and self-check problems (自查问题整改, the 整改台账 of portal/rectification.py).
portal/escalation.py runs the one ladder
over the items of every kind; a kind only says which of its items are overdue and how it is named.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from portal.models import KeyTask, Report, StageReport, StageRequest
from portal.report_types import OFFICE_WAITING, WITH_UNIT, Status

REPORT, TASK, STAGE, PROBLEM = "report", "task", "stage_report", "problem"
KINDS = (REPORT, TASK, STAGE, PROBLEM)
KIND_TEXT = {REPORT: "反映问题", TASK: "重点任务", STAGE: "报送事项", PROBLEM: "自查问题整改"}
TITLE_CHARS = 30


@dataclass(frozen=True)
class Item:
    kind: str
    id: int
    unit_id: int
    due: date | None  # the deadline the unit missed (the SLA or schedule, before any notice)
    demands: str  # respond, reply (reports); progress, finish (tasks); submit (stage reports);
    # rectify (self-check problems)
    ref: str  # 受理编号 or 任务编号
    title: str
    window: str | None = None  # a report's SLA window behind `due` (respond, reply, reopen)


def report_due(report: Report) -> date | None:
    """The SLA deadline that applies now: the one of the window the report is in."""
    window = report_window(report.status, report.responded_at)
    if window is None:
        return None
    return {"intake": report.office_due, "respond": report.respond_due}.get(
        window, report.reply_due)


def report_item(report: Report) -> Item:
    """A report with its unit as an item (its status is one of WITH_UNIT)."""
    return _report_item(report.id, report.unit_id, report.status, report.responded_at,
                        report.respond_due, report.reply_due, report.tracking_no, report.title)


REPORT_COLUMNS = (Report.id, Report.unit_id, Report.status, Report.responded_at,
                  Report.respond_due, Report.reply_due, Report.tracking_no, Report.title)


def report_window(status: str, responded_at: object) -> str | None:
    """The SLA window a report is in: the office's while it waits for triage, then the unit's
    respond window until it responds, then its reply (or reopen) window; none once replied."""
    if status in OFFICE_WAITING:
        return "intake"
    if status not in WITH_UNIT:
        return None
    if status == Status.ASSIGNED and responded_at is None:
        return "respond"
    return "reopen" if status == Status.REOPENED else "reply"


def _report_item(report_id: int, unit_id: int, status: str, responded_at: object,
                 respond_due: date | None, reply_due: date | None, tracking_no: str,
                 title: str) -> Item:
    window = report_window(status, responded_at)
    demands = "respond" if window == "respond" else "reply"
    return Item(kind=REPORT, id=report_id, unit_id=unit_id,
                due=respond_due if demands == "respond" else reply_due, demands=demands,
                ref=tracking_no, title=title, window=window)


def _task_item(task: KeyTask, unit_id: int, today: date) -> Item:
    missed = task.next_report_due is not None and task.next_report_due < today
    return Item(kind=TASK, id=task.id, unit_id=unit_id,
                due=task.next_report_due if missed else task.due_on,
                demands="progress" if missed else "finish", ref=task.number, title=task.title)


def task_item(session: Session, *, task_id: int | None, unit_id: int | None,
              today: date) -> Item | None:
    """An open task as an item of one of its lead units; None when it is done or not found."""
    from portal.tasks import lead_unit_ids

    task = session.get(KeyTask, task_id) if task_id is not None else None
    if task is None or task.done_on is not None or unit_id not in lead_unit_ids(session, task.id):
        return None
    return _task_item(task, unit_id, today)


def _stage_item(row: StageReport, request: StageRequest) -> Item:
    return Item(kind=STAGE, id=row.id, unit_id=row.unit_id, due=row.due_on, demands="submit",
                ref=request.number, title=request.title)


def stage_item(session: Session, *, stage_report_id: int | None) -> Item | None:
    """An addressed unit that still owes its stage report, as an item; None once submitted."""
    from portal.stage_reports import OPEN

    row = session.get(StageReport, stage_report_id) if stage_report_id is not None else None
    if row is None or row.status not in OPEN:
        return None
    return _stage_item(row, session.get(StageRequest, row.request_id))
def short(text: str, limit: int = TITLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def problem_ref(year: int, quarter: int, category_number: int) -> str:
    return f"{year}年第{quarter}季度-第{category_number}类"


def _problem_items(session: Session, *, today: date | None, row_id: int | None = None
                   ) -> list[Item]:
    """Open self-check problems of the ledger (each once, as its latest submitted row): past
    their deadline before `today`, or the one row `row_id` when it is open."""
    from portal import rectification as rect
    from portal.models import SelfcheckCampaign, SelfcheckForm, SelfcheckRow

    query = (select(SelfcheckRow, SelfcheckForm.unit_id, SelfcheckCampaign.year,
                    SelfcheckCampaign.quarter)
             .join(SelfcheckForm, col(SelfcheckForm.id) == SelfcheckRow.form_id)
             .join(SelfcheckCampaign, col(SelfcheckCampaign.id) == SelfcheckForm.campaign_id)
             .where(col(SelfcheckRow.has_problem).is_(True),
                    col(SelfcheckForm.status).in_(rect.SHOWN), rect.latest_row(),
                    SelfcheckRow.rectify_status == rect.OPEN))
    if row_id is not None:
        query = query.where(SelfcheckRow.id == row_id)
    if today is not None:
        query = query.where(col(SelfcheckRow.deadline) < today)
    rows = session.exec(query.order_by(SelfcheckRow.deadline, SelfcheckRow.id)).all()
    return [Item(kind=PROBLEM, id=row.id, unit_id=unit_id, due=row.deadline, demands="rectify",
                 ref=problem_ref(year, quarter, row.category_number),
                 title=short(row.description)) for row, unit_id, year, quarter in rows]


def problem_item(session: Session, *, row_id: int | None) -> Item | None:
    """An open problem of the ledger as an item; None when it is 待销号, 已销号 or not found."""
    if row_id is None:
        return None
    found = _problem_items(session, today=None, row_id=row_id)
    return found[0] if found else None


def overdue(session: Session, *, today: date, kinds: tuple[str, ...] = KINDS) -> list[Item]:
    """Every item whose deadline (a running notice's included, for reports) passed before
    today: reports first, by deadline; then tasks, once per lead unit; then stage reports,
    once per addressed unit that has not submitted (or was returned); then open self-check
    problems (not 待销号 or 已销号) past their 整改时限."""
    from portal.stage_reports import overdue_rows
    from portal.tasks import overdue_tasks

    items: list[Item] = []
    if PROBLEM in kinds:
        problems = _problem_items(session, today=today)
    else:
        problems = []
    if REPORT in kinds:
        # `status || ''`: SQLite then searches the index on current_due (the few overdue
        # rows, already in order) instead of every open report by status, 6× slower
        rows = session.exec(select(*REPORT_COLUMNS).where(
            col(Report.status).concat("").in_(list(WITH_UNIT)), col(Report.current_due) < today)
            .order_by(Report.current_due, Report.id)).all()
        items += [_report_item(*row) for row in rows]
    if TASK in kinds:
        rows = overdue_tasks(session, today=today)
        tasks = {task.id: task for task in session.exec(
            select(KeyTask).where(col(KeyTask.id).in_({task_id for task_id, _, _ in rows}))
        ).all()}
        items += [_task_item(tasks[task_id], unit_id, today) for task_id, unit_id, _ in rows]
    if STAGE in kinds:
        items += [_stage_item(row, request)
                  for row, request in overdue_rows(session, today=today)]
    return items + problems


def reason(item: Item, title: str) -> str:
    """The reason the system writes on a notice it issues."""
    if item.kind == STAGE:
        return f"报送事项 {item.ref}“{item.title}”未按时报送，系统自动发出{title}。"
    if item.kind == PROBLEM:
        return f"自查发现的问题（{item.ref}）已超过整改时限，系统自动发出{title}。"
    if item.kind == TASK:
        missed = "未按时报送进展情况" if item.demands == "progress" else "已超过完成时限"
        return f"重点任务 {item.ref} {missed}，系统自动发出{title}。"
    return f"{item.ref} 已超过办理期限，系统自动发出{title}。"
