"""Report-detail sections of #11: reply with outcome, ratings (and the 差评 banner), return
requests with the office's decision. Thin: each reads, calls one service, shows the result."""

import streamlit as st

from portal import followup, report_flow, return_requests, units
from portal.i18n import format_date, format_datetime
from portal.report_types import ReplyOutcome, Status
from portal.reports import ReportView
from portal.roles import Actor, Role
from portal.ui.context import db, lang, tr
from portal.ui.text import plain
from portal.ui.widgets import ask_to_confirm, card_styled


def reply_form(prefix: str, actor: Actor, view: ReportView, run, *,  # noqa: ANN001
               primary: bool = False) -> None:
    with st.form(f"{prefix}_reply_{view.id}", clear_on_submit=True):
        text = st.text_area(tr("action.reply_result"), max_chars=report_flow.MAX_NOTE,
                            key=f"{prefix}_reply_text")
        outcome = st.radio(tr("rules.reply_outcome"), [o.value for o in ReplyOutcome],
                           index=None, horizontal=True, key=f"{prefix}_reply_outcome",
                           format_func=lambda o: tr(f"outcome.{o}"))
        if st.form_submit_button(tr("action.reply"), type="primary" if primary else "secondary"):
            run(lambda s: report_flow.reply(s, actor=actor, report_id=view.id, result=text,
                                            outcome=outcome),
                lambda r: tr("uirep.replied", no=r.tracking_no,
                             outcome=tr(f"outcome.{r.reply_outcome}")))


def rating_table(rows: list[dict]) -> None:
    st.dataframe([{tr("rules.col.at"): format_datetime(r["at"], lang()),
                   tr("rules.col.round"): r["round"] + 1,
                   tr("rules.col.channel"): tr(f"rating.channel.{r['channel']}"),
                   tr("rules.col.rating"): tr(f"rating.{r['rating']}"),
                   tr("rules.col.comment"): r["comment"]} for r in rows],
                 hide_index=True, use_container_width=True)


def reopen_banner(actor: Actor, view: ReportView) -> None:
    """On top of a reopened report: what the filer said and the new reply deadline."""
    if view.status != Status.REOPENED or not actor.has(Role.UNIT, Role.SUPERVISOR,
                                                         Role.DISCIPLINE):
        return
    with db() as session:
        rows = followup.for_report(session, actor=actor, report_id=view.id)
    complaints = "；".join(plain(c) for c in followup.reopen_complaints(rows)) \
        or tr("uirep.no_comment")
    due = format_date(view.reply_due, lang()) if view.reply_due else "—"
    st.error(tr("uirep.reopen_banner", comments=complaints, due=due))


def ratings(actor: Actor, view: ReportView) -> None:
    """The ratings the unit may see (the 差评 banner of a reopened report is on top)."""
    if not actor.has(Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE):
        return
    with db() as session:
        rows = followup.for_report(session, actor=actor, report_id=view.id)
    st.markdown(f"**{tr('rules.ratings')}**")
    if rows:
        rating_table(rows)
    else:
        st.caption(tr("rules.ratings_none"))


def _decision(r: dict) -> str:
    if r["decision"] is None:
        return tr("rules.return_waiting")
    return tr(f"rules.return_{r['decision']}")


def request_table(rows: list[dict]) -> None:
    st.dataframe(request_records(rows), hide_index=True, use_container_width=True)


def request_records(rows: list[dict]):  # noqa: ANN201
    """Return requests as table rows, the card column coloured."""
    return card_styled([{tr("queue.col.no"): r["tracking_no"], tr("queue.col.title"): r["title"],
                   tr("queue.col.unit"): r["unit"], tr("rules.return_reason"): r["reason"],
                   tr("rules.return_requested_at"): format_datetime(r["requested_at"], lang()),
                   tr("rules.return_due"): format_date(r["office_due"], lang())
                   if r["office_due"] else "",
                   tr("card.col"): tr(f"card.{r['card']}") if r["card"] else "",
                   tr("rules.return_decision"): _decision(r),
                   tr("rules.return_note"): r["decision_note"]} for r in rows], tr("card.col"))


def decide_form(prefix: str, actor: Actor, request: dict) -> None:
    with db() as session:
        names = {u.id: u.name for u in units.list_units(session)}
    with st.form(f"{prefix}_decide_{request['id']}", clear_on_submit=True):
        choices = [None, *names]
        new_unit = st.selectbox(tr("rules.return_new_unit"), choices, key=f"{prefix}_new_unit",
                                format_func=lambda i: tr("rules.return_keep") if i is None
                                else names[i], placeholder=tr("rules.return_keep"))
        note = st.text_area(tr("rules.return_note"), max_chars=2000, key=f"{prefix}_ret_note")
        approve, refuse = st.columns(2)
        no, unit = request["tracking_no"], request["unit"]
        where = (tr("uirep.return_to", unit=names[new_unit]) if new_unit is not None
                 else tr("uirep.return_to_triage"))
        if approve.form_submit_button(tr("rules.return_approve"), type="primary"):
            ask_to_confirm(tr("uirep.ask_return_approve", no=no, unit=unit, where=where),
                           lambda s: return_requests.approve(s, actor=actor,
                                                             request_id=request["id"],
                                                             note=note, new_unit_id=new_unit),
                           tr("uirep.return_approved", no=no, where=where))
        if refuse.form_submit_button(tr("rules.return_refuse")):
            ask_to_confirm(tr("uirep.ask_return_refuse", no=no, unit=unit, note=note.strip()),
                           lambda s: return_requests.refuse(s, actor=actor,
                                                            request_id=request["id"], note=note),
                           tr("uirep.return_refused", no=no, unit=unit))


def return_requests_section(prefix: str, actor: Actor, view: ReportView, run) -> None:  # noqa: ANN001
    with db() as session:
        rows = return_requests.for_report(session, actor=actor, report_id=view.id)
    if not rows:
        return
    st.markdown(f"**{tr('rules.return_requests')}**")
    request_table(rows)
    waiting = [r for r in rows if r["decision"] is None]
    if waiting and actor.has(Role.SUPERVISOR):
        decide_form(prefix, actor, waiting[0])
