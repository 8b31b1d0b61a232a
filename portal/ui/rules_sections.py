"""Report-detail sections of #11: reply with outcome, ratings (and the 差评 banner), return
requests with the office's decision. Thin: each reads, calls one service, shows the result."""

import streamlit as st

from portal import followup, report_flow, return_requests, units
from portal.i18n import format_date, format_datetime
from portal.report_types import ReplyOutcome, Status
from portal.reports import ReportView
from portal.roles import Actor, Role
from portal.ui.context import db, lang, tr


def reply_form(prefix: str, actor: Actor, view: ReportView, run) -> None:  # noqa: ANN001
    with st.form(f"{prefix}_reply_{view.id}", clear_on_submit=True):
        text = st.text_area(tr("action.reply_result"), max_chars=report_flow.MAX_NOTE,
                            key=f"{prefix}_reply_text")
        outcome = st.radio(tr("rules.reply_outcome"), [o.value for o in ReplyOutcome],
                           index=None, horizontal=True, key=f"{prefix}_reply_outcome",
                           format_func=lambda o: tr(f"outcome.{o}"))
        if st.form_submit_button(tr("action.reply")):
            run(lambda s: report_flow.reply(s, actor=actor, report_id=view.id, result=text,
                                            outcome=outcome))


def rating_table(rows: list[dict]) -> None:
    st.dataframe([{tr("rules.col.at"): format_datetime(r["at"], lang()),
                   tr("rules.col.round"): r["round"] + 1,
                   tr("rules.col.channel"): tr(f"rating.channel.{r['channel']}"),
                   tr("rules.col.rating"): tr(f"rating.{r['rating']}"),
                   tr("rules.col.comment"): r["comment"]} for r in rows],
                 hide_index=True, use_container_width=True)


def ratings(actor: Actor, view: ReportView) -> None:
    """The ratings the unit may see; a reopened report shows the 差评 comments on top."""
    if not actor.has(Role.UNIT, Role.SUPERVISOR, Role.DISCIPLINE):
        return
    with db() as session:
        rows = followup.for_report(session, actor=actor, report_id=view.id)
    if view.status == Status.REOPENED:
        complaints = followup.reopen_complaints(rows)
        st.error(tr("rules.reopen_banner") + ("\n\n" + "\n\n".join(complaints)
                                              if complaints else ""))
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
    st.dataframe([{tr("queue.col.no"): r["tracking_no"], tr("queue.col.title"): r["title"],
                   tr("queue.col.unit"): r["unit"], tr("rules.return_reason"): r["reason"],
                   tr("rules.return_requested_at"): format_datetime(r["requested_at"], lang()),
                   tr("rules.return_due"): format_date(r["office_due"], lang())
                   if r["office_due"] else "",
                   tr("card.col"): tr(f"card.{r['card']}") if r["card"] else "",
                   tr("rules.return_decision"): _decision(r),
                   tr("rules.return_note"): r["decision_note"]} for r in rows],
                 hide_index=True, use_container_width=True)


def decide_form(prefix: str, actor: Actor, request: dict, run) -> None:  # noqa: ANN001
    with db() as session:
        names = {u.id: u.name for u in units.list_units(session)}
    with st.form(f"{prefix}_decide_{request['id']}", clear_on_submit=True):
        choices = [None, *names]
        new_unit = st.selectbox(tr("rules.return_new_unit"), choices, key=f"{prefix}_new_unit",
                                format_func=lambda i: tr("rules.return_keep") if i is None
                                else names[i])
        note = st.text_area(tr("rules.return_note"), max_chars=2000, key=f"{prefix}_ret_note")
        approve, refuse = st.columns(2)
        if approve.form_submit_button(tr("rules.return_approve"), type="primary"):
            run(lambda s: return_requests.approve(s, actor=actor, request_id=request["id"],
                                                  note=note, new_unit_id=new_unit))
        if refuse.form_submit_button(tr("rules.return_refuse")):
            run(lambda s: return_requests.refuse(s, actor=actor, request_id=request["id"],
                                                 note=note))


def return_requests_section(prefix: str, actor: Actor, view: ReportView, run) -> None:  # noqa: ANN001
    with db() as session:
        rows = return_requests.for_report(session, actor=actor, report_id=view.id)
    if not rows:
        return
    st.markdown(f"**{tr('rules.return_requests')}**")
    request_table(rows)
    waiting = [r for r in rows if r["decision"] is None]
    if waiting and actor.has(Role.SUPERVISOR):
        decide_form(prefix, actor, waiting[0], run)
