"""What the office's dashboards show (#13): each page makes one call here. Figures come from
portal/stats.py; lists are bounded SQL queries, never whole tables."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import case
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, select

from portal import cards, clock, stats
from portal.duplicates import COUNTED, COUNTED_BY_OTHER_INDEX
from portal.errors import PermissionDenied
from portal.escalation import LADDER
from portal.exports import put
from portal.i18n import t
from portal.models import (
    Category,
    Notice,
    Report,
    ReportRating,
    SelfcheckCampaign,
    SelfcheckCampaignUnit,
    SelfcheckForm,
    Unit,
)
from portal.roles import Actor, Role
from portal.workdays import add_working_days

LIST_LIMIT = 200  # the longest list a dashboard shows; the ledger export has every row
OPEN = ("assigned", "acknowledged", "reopened", "replied", "submitted", "returned")
IDENTITY_ROLES = (Role.SUPERVISOR, Role.DISCIPLINE)  # who may read a confidential filer (staff_view)


def _require_office(actor: Actor) -> None:
    if not actor.has(*stats.OFFICE_ROLES):
        raise PermissionDenied()


def _report_rows(session: Session, condition, *, order, limit: int = LIST_LIMIT) -> list[dict]:
    """Reports as rows with their unit and card today (title is user text: shown as text)."""
    today = clock.today()
    yellow_until = add_working_days(today, 1, session=session)
    rows = session.exec(select(Report.id, Report.tracking_no, Report.title, Unit.name,
                               Report.status, Report.current_due, Report.due_window,
                               Report.created_at)
                        .outerjoin(Unit, col(Unit.id) == Report.unit_id)
                        .where(condition, COUNTED_BY_OTHER_INDEX).order_by(*order)
                        .limit(limit)).all()
    return [{"report_id": rid, "tracking_no": number, "title": title, "unit": unit or "",
             "status": status, "due": due, "created_at": created,
             "card": cards.classify(due, today, yellow_until, window),
             "overdue_days": (today - due).days if due and due < today else 0}
            for rid, number, title, unit, status, due, window, created in rows]


def office_dashboard(session: Session, *, actor: Actor, start: date, end: date,
                     trend_by: str = "month") -> dict:
    """The office and discipline dashboard: figures, areas, trend, heat map, red cards."""
    _require_office(actor)
    figures = stats.compute(session, start=start, end=end)
    today = clock.today()
    return {
        **figures,
        "areas": stats.area_figures(session, actor=actor, start=start, end=end),
        "trend": stats.trend(session, actor=actor, start=start, end=end, by=trend_by),
        "heat": stats.unit_area(session, actor=actor, start=start, end=end),
        "notices_by_item": stats.notices_by_item(session, actor=actor, start=start, end=end),
        "overdue": _report_rows(session, cards.condition(cards.RED, today, session=session),
                                order=[col(Report.current_due), col(Report.id)]),
        "red_count": session.exec(select(func.count()).select_from(Report).where(
            cards.condition(cards.RED, today, session=session), COUNTED_BY_OTHER_INDEX)).one(),
    }


def daily_dispatch(session: Session, *, actor: Actor) -> dict:
    """日调度 at 8:30: today's new reports, reports due today or the next working day, red
    cards, and the notices issued this morning."""
    _require_office(actor)
    today = clock.today()
    midnight = datetime.combine(today, time())
    tomorrow = add_working_days(today, 1, session=session)
    notices = session.exec(
        select(Notice.number, Notice.kind, Unit.name, Report.tracking_no, Notice.overdue_days)
        .join(Unit, col(Unit.id) == Notice.unit_id).join(Report, col(Report.id) == Notice.report_id)
        .where(col(Notice.issued_at) >= midnight,
               col(Notice.issued_at) < midnight + timedelta(hours=12),
               col(Notice.withdrawn).is_(False))
        .order_by(col(Notice.id)).limit(LIST_LIMIT)).all()
    return {
        "today": today, "next_working_day": tomorrow,
        "new": _report_rows(session, col(Report.created_at) >= midnight,
                            order=[col(Report.created_at).desc()]),
        "due_today": _report_rows(session, Report.current_due == today,
                                  order=[col(Report.id)]),
        "due_next": _report_rows(session, Report.current_due == tomorrow,
                                 order=[col(Report.id)]),
        "red": _report_rows(session, cards.condition(cards.RED, today, session=session),
                            order=[col(Report.current_due), col(Report.id)]),
        "notices": [{"number": number, "kind": kind, "unit": unit, "tracking_no": tracking,
                     "overdue_days": days} for number, kind, unit, tracking, days in notices],
    }


def unit_home(session: Session, *, actor: Actor, start: date, end: date) -> dict:
    """A unit's own figures beside the district's for the unit home page."""
    if not actor.has(Role.UNIT) or actor.unit_id is None:
        raise PermissionDenied()
    from portal import quotas
    from portal.selfcheck import campaign_name

    figures = stats.period_figures(session, actor=actor, start=start, end=end)
    latest = session.exec(
        select(SelfcheckCampaign, SelfcheckForm.status)
        .join(SelfcheckCampaignUnit, col(SelfcheckCampaignUnit.campaign_id) == SelfcheckCampaign.id)
        .outerjoin(SelfcheckForm, (SelfcheckForm.campaign_id == SelfcheckCampaign.id)
                   & (SelfcheckForm.unit_id == actor.unit_id))
        .where(SelfcheckCampaignUnit.unit_id == actor.unit_id)
        .order_by(col(SelfcheckCampaign.year).desc(), col(SelfcheckCampaign.quarter).desc())
        .limit(1)).first()
    quota = next((row for row in quotas.compute(session, year=end.year, on=clock.today())
                  if row["unit_id"] == actor.unit_id), None)
    return {"from": figures["from"], "to": figures["to"], "unit": figures["units"][0],
            "total": figures["total"],
            "selfcheck": None if latest is None else {
                "campaign": campaign_name(latest[0].year, latest[0].quarter),
                "due": latest[0].due_date, "status": latest[1] or "missing"},
            "quota": None if quota is None else [
                {"date": c["date"], "status": c["status"], "cases": c["cases"],
                 "required": c["required_cases"]} for c in quota["checkpoints"]]}


LEDGER_HEADERS = ("受理编号", "提交日期", "受理日期", "责任单位", "问题类别", "状态", "响应期限",
                  "响应时间", "按时响应", "答复期限（首次）", "首次答复时间", "按时答复", "首次评价",
                  "最新评价", "差评整改次数", "解决情况", "提醒单", "催办单", "督办单", "移交函",
                  "反映人", "联系电话", "企业名称")


def _flag(done: datetime | None, due: date | None, today: date) -> str:
    if done is not None and due is not None:
        return "是" if done.date() <= due else "否"
    if due is not None and due < today:
        return "否"
    return ""


def ledger_rows(session: Session, *, actor: Actor, start: date, end: date,
                batch: int = 2000):
    """The period's 台账, one row per accepted report, streamed in batches (never the whole
    table at once). Confidential or anonymous filers are shown only to the roles that may
    read them; everyone else gets （保密）."""
    _require_office(actor)
    stats._check_period(start, end)
    today = clock.today()
    may_see = actor.has(*IDENTITY_ROLES)
    per_report = (select(ReportRating.report_id.label("report_id"),
                         func.min(ReportRating.id).label("first_id"),
                         func.max(ReportRating.id).label("last_id"))
                  .join(Report, col(Report.id) == ReportRating.report_id)
                  .where(col(Report.accepted_on) >= start, col(Report.accepted_on) <= end)
                  .group_by(ReportRating.report_id).subquery())
    counts = (select(Notice.report_id.label("report_id"),
                     *(func.sum(case((Notice.kind == kind, 1), else_=0)).label(kind)
                       for kind in LADDER))
              .join(Report, col(Report.id) == Notice.report_id)
              .where(col(Report.accepted_on) >= start, col(Report.accepted_on) <= end,
                     col(Notice.withdrawn).is_(False))
              .group_by(Notice.report_id).subquery())
    first, last = aliased(ReportRating), aliased(ReportRating)
    query = (select(Report, Unit.name, Category.number, first.rating, last.rating,
                    *(counts.c[kind] for kind in LADDER))
             .outerjoin(Unit, col(Unit.id) == Report.unit_id)
             .outerjoin(Category, col(Category.id) == Report.category_id)
             .outerjoin(per_report, per_report.c.report_id == Report.id)
             .outerjoin(first, col(first.id) == per_report.c.first_id)
             .outerjoin(last, col(last.id) == per_report.c.last_id)
             .outerjoin(counts, counts.c.report_id == Report.id)
             .where(col(Report.accepted_on) >= start, col(Report.accepted_on) <= end, COUNTED)
             .order_by(col(Report.accepted_on), col(Report.id)))
    for r, unit, category, first_rating, last_rating, *notices in session.exec(
            query.execution_options(yield_per=batch)):
        hidden = (r.confidential or r.anonymous) and not may_see
        yield [r.tracking_no, r.created_at.date().isoformat(),
               r.accepted_on.isoformat() if r.accepted_on else "", unit or "", category or "",
               t(f"status.{r.status}"), _day(r.respond_due), _moment(r.responded_at),
               _flag(r.responded_at, r.respond_due, today), _day(r.first_reply_due),
               _moment(r.first_replied_at), _flag(r.first_replied_at, r.first_reply_due, today),
               t(f"rating.{first_rating}") if first_rating else "",
               t(f"rating.{last_rating}") if last_rating else "", r.reopen_count,
               t(f"outcome.{r.reply_outcome}") if r.reply_outcome else "",
               *(int(n or 0) for n in notices),
               "（保密）" if hidden else (r.contact_name or ""),
               "（保密）" if hidden else (r.contact_mobile or ""),
               "（保密）" if hidden else (r.company_name or "")]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def ledger_workbook(session: Session, *, actor: Actor, start: date, end: date) -> bytes:
    """The 台账 as Excel; the rows come from the database in batches."""
    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for column, header in enumerate(LEDGER_HEADERS, start=1):
        put(sheet, 1, column, header).font = Font(bold=True)
    for number, row in enumerate(ledger_rows(session, actor=actor, start=start, end=end),
                                 start=2):
        for column, value in enumerate(row, start=1):
            put(sheet, number, column, value)
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
