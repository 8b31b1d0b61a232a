"""Drawing a report: summary, timeline and attachments, for filers and for staff."""

import streamlit as st

from portal.i18n import format_date, format_datetime
from portal.reports import ReportView
from portal.ui.context import lang, tr
from portal.ui.text import plain, show_field, show_text


def category_label(number: int | None, text: str | None, width: int = 18) -> str:
    """A category as its number and short name: "14 办事拖拉、推诿扯皮…" (never a bare number)."""
    if number is None:
        return "—"
    text = (text or "").strip()
    return f"{number} {text[:width]}…" if len(text) > width else f"{number} {text}".strip()


def status_label(code: str) -> str:
    return tr(f"status.{code}")


def summary(view: ReportView) -> None:
    st.subheader(f"{view.tracking_no}　{plain(view.title)}")
    cols = st.columns(4)
    cols[0].metric(tr("track.status"), status_label(view.status))
    cols[1].metric(tr("queue.col.kind"), tr(f"kind.{view.kind}"))
    cols[2].metric(tr("track.unit"), view.unit or "—")
    cols[3].metric(tr("track.reply_due"),
                   format_date(view.reply_due, lang()) if view.reply_due else "—")
    if view.deadline_estimated and view.reply_due:
        st.warning(tr("detail.estimated"))


def answer(view: ReportView) -> None:
    """The unit's latest answer, large and first, for the filer: what they came to read."""
    replies = [e for e in view.events if e.action == "reply" and e.note]
    if not replies:
        return
    latest = replies[-1]
    with st.container(border=True, key="report_answer"):
        st.subheader(tr("track.answer_title", unit=plain(latest.unit or view.unit or "")))
        st.caption(tr("track.answer_at", at=format_datetime(latest.at, lang())))
        st.text(latest.note)


def deadlines(view: ReportView) -> None:
    """The promises that apply to this report, with the dates they fall on."""
    parts = []
    if view.respond_due and view.status in ("assigned",):
        parts.append(tr("track.respond_by", due=format_date(view.respond_due, lang())))
    if view.reply_due and view.status in ("assigned", "acknowledged", "reopened"):
        parts.append(tr("track.reply_by", due=format_date(view.reply_due, lang())))
    if parts:
        st.info("；".join(parts) + ("　" + tr("detail.estimated") if view.deadline_estimated
                                    else ""))


def event_text(event) -> str:  # noqa: ANN001
    return tr(f"event.{event.action}", unit=event.unit or "")


def timeline(view: ReportView) -> None:
    st.markdown(f"**{tr('track.timeline')}**")
    for event in view.events:
        line = f"{format_datetime(event.at, lang())}　{event_text(event)}"
        if event.actor:
            line += f"（{event.actor}）"
        show_text(f"• {line}")
        if event.note:
            show_text(f"　　{event.note}")


def details(view: ReportView) -> None:
    """The full content for staff, with the filer's identity unless it must stay hidden."""
    show_text(view.description)
    facts = [
        (tr("report.channel"), tr(f"channel.{view.channel}")),
        (tr("queue.col.created"), format_datetime(view.created_at, lang())),
        (tr("report.unit"), view.concerned_unit or "—"),
        (tr("report.category"), f"{view.category_number}. {view.category_text}"
         if view.category_number else "—"),
        (tr("report.occurred_on"), format_date(view.occurred_on, lang()) if view.occurred_on
         else "—"),
        (tr("report.place"), view.place or "—"),
        (tr("queue.col.respond_due"), format_date(view.respond_due, lang()) if view.respond_due
         else "—"),
    ]
    for label, value in facts:
        show_field(label, value)
    if view.anonymous:
        show_field(tr("detail.filer"), tr("detail.anonymous"))
    elif view.identity_hidden:
        st.info(tr("detail.identity_hidden"))
    else:
        who = "，".join(v for v in (view.contact_name, view.contact_mobile, view.company_name,
                                    view.credit_code) if v)
        show_field(tr("detail.filer"), who)
