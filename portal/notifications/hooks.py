"""What each service calls when something worth telling happens: one line per event.

Every function only adds rows to the caller's session (through `enqueue`); the caller's commit
publishes the change and its messages together. Contexts carry only the fields of
events.EVENTS, never a filer's identity.
"""

from datetime import date

from sqlmodel import Session, col, select

from portal.i18n import format_date, t
from portal.models import Report, SelfcheckCampaign, SelfcheckForm, TypicalCase, Unit
from portal.notifications.outbox import Announcement, enqueue, enqueue_many, link
from portal.roles import Role
from portal.supervised import KIND_TEXT, Item

FILER_STATUS = {"filer_accepted": "已受理，正在办理", "filer_replied": "已答复",
                "filer_rejected": "不予受理"}


def _day(value) -> str:  # noqa: ANN001
    return format_date(value) if value else ""


def _unit_name(session: Session, unit_id: int | None) -> str:
    if not unit_id:
        return ""
    with session.no_autoflush:  # see outbox.enqueue: no flush of the caller's batch
        name = session.exec(select(Unit.name).where(Unit.id == unit_id)).first()
    return name or ""


def report_context(session: Session, report: Report, *, unit_id: int | None = None) -> dict:
    return {"tracking_no": report.tracking_no, "title": report.title,
            "unit": _unit_name(session, unit_id or report.unit_id),
            "deadline": _day(report.current_due or report.reply_due),
            "respond_due": _day(report.respond_due), "kind": t(f"kind.{report.kind}"),
            "link": link("unit_reports")}


def _filer(session: Session, report: Report, event: str) -> None:
    enqueue(session, event=event, filer=report,
            context={"tracking_no": report.tracking_no, "status": FILER_STATUS[event],
                     "link": link("track")})


def report_filed(session: Session, report: Report) -> None:
    context = {**report_context(session, report), "link": link("intake")}
    enqueue(session, event="report_filed", context=context, roles=[Role.SUPERVISOR])


def report_assigned(session: Session, report: Report) -> None:
    context = {**report_context(session, report), "deadline": _day(report.reply_due)}
    enqueue(session, event="report_assigned", context=context, units=[report.unit_id])
    _filer(session, report, "filer_accepted")


def report_rejected(session: Session, report: Report) -> None:
    _filer(session, report, "filer_rejected")


def report_replied(session: Session, report: Report) -> None:
    _filer(session, report, "filer_replied")


def report_reopened(session: Session, report: Report) -> None:
    context = {**report_context(session, report), "deadline": _day(report.reply_due)}
    enqueue(session, event="report_reopened", context=context, units=[report.unit_id])


def report_returned(session: Session, report: Report, *, unit_id: int, reason: str) -> None:
    context = {**report_context(session, report, unit_id=unit_id), "reason": reason.strip(),
               "link": link("intake")}
    enqueue(session, event="report_returned", context=context, roles=[Role.SUPERVISOR])


def followup_due(session: Session, *, today: date, count: int) -> None:
    """The office's daily word on replies waiting for a 回访 call, once a day."""
    enqueue(session, event="followup_due", context={"count": count, "link": link("followup")},
            roles=[Role.SUPERVISOR], dedupe_key=f"followup:{today.isoformat()}")


def notices_issued(session: Session, issued: list[tuple[dict, Item]]) -> None:
    """Rungs of 三单一函 (rows of the notices table with their items) to their units, each with
    the link to its Word file; a 移交函 also to discipline. One batch for the whole morning run."""
    with session.no_autoflush:
        names = dict(session.exec(select(Unit.id, Unit.name).where(
            col(Unit.id).in_({notice["unit_id"] for notice, _ in issued}))).all())
    to_units, to_discipline = [], []
    titles = {kind: t(f"notice.kind.{kind}") for kind in {notice["kind"] for notice, _ in issued}}
    for notice, item in issued:
        deadline = _day(notice["deadline"])
        context = {"tracking_no": item.ref, "title": item.title,
                   "unit": names.get(notice["unit_id"], ""), "kind": KIND_TEXT[item.kind],
                   "notice_title": titles[notice["kind"]],
                   "number": notice["number"], "deadline": deadline,
                   "deadline_text": f"新期限为{deadline}。" if deadline else "",
                   "link": link(f"inbox?notice={notice['id']}")}
        to_units.append(Announcement(context, units=frozenset({notice["unit_id"]})))
        if notice["kind"] == "transfer":
            to_discipline.append(Announcement(context, roles=frozenset({Role.DISCIPLINE})))
    enqueue_many(session, event="notice_issued", announcements=to_units)
    enqueue_many(session, event="transfer_letter", announcements=to_discipline)


def card(session: Session, report: Report, which: str) -> None:
    """A yellow or red card, once per episode: the same card on the same deadline is one."""
    context = report_context(session, report)
    enqueue(session, event=f"card_{which}", context=context, units=[report.unit_id],
            dedupe_key=f"card:{which}:{report.id}:{report.current_due}")


def selfcheck_opened(session: Session, campaign: SelfcheckCampaign, unit_ids: list[int],
                     name: str) -> None:
    for unit_id in unit_ids:
        enqueue(session, event="selfcheck_opened", units=[unit_id],
                context={"campaign": name, "unit": _unit_name(session, unit_id),
                         "deadline": _day(campaign.due_date), "link": link("selfcheck")})


def selfcheck_due(session: Session, campaign: SelfcheckCampaign, unit_id: int,
                  name: str) -> None:
    enqueue(session, event="selfcheck_due", units=[unit_id],
            dedupe_key=f"selfcheck_due:{campaign.id}:{unit_id}",
            context={"campaign": name, "unit": _unit_name(session, unit_id),
                     "deadline": _day(campaign.due_date), "link": link("selfcheck")})


def selfcheck_returned(session: Session, form: SelfcheckForm, name: str) -> None:
    enqueue(session, event="selfcheck_returned", units=[form.unit_id],
            context={"campaign": name, "unit": _unit_name(session, form.unit_id),
                     "comment": form.review_comment, "link": link("selfcheck")})


def selfcheck_submitted(session: Session, form: SelfcheckForm, name: str) -> None:
    enqueue(session, event="selfcheck_submitted", roles=[Role.SUPERVISOR],
            context={"campaign": name, "unit": _unit_name(session, form.unit_id),
                     "late_text": "（逾期提交）" if form.late else "",
                     "link": link("selfcheck_review")})


def case_awaiting_review(session: Session, case: TypicalCase) -> None:
    enqueue(session, event="case_review", roles=[Role.DISCIPLINE],
            context={"case_title": case.title, "unit": _unit_name(session, case.unit_id),
                     "link": link("cases")})


def quota_at_risk(session: Session, *, unit_id: int, unit: str, checkpoint, cases: int,  # noqa: ANN001
                  sanctioned: int) -> None:
    enqueue(session, event="quota_at_risk", roles=[Role.DISCIPLINE],
            dedupe_key=f"quota:{unit_id}:{checkpoint}",
            context={"unit": unit, "checkpoint": _day(checkpoint), "cases": cases,
                     "sanctioned": sanctioned, "link": link("quota_dashboard")})
