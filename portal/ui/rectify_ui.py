"""Sections of the 整改台账 pages (#14): the ledger table with filters and counts, a problem's
details, evidence and notices, the unit's evidence form and the office's 销号 / 退回. Thin:
each reads, calls one service, shows the result; user text only as text."""

from datetime import date

import streamlit as st

from portal import escalation, exports, rectification, units
from portal.attachments import MAX_MB, Upload
from portal.i18n import format_date, format_datetime
from portal.roles import Actor, Role
from portal.ui import report_actions
from portal.ui.context import audited, db, lang, tr
from portal.ui.text import plain, show_field, show_text
from portal.ui.widgets import act, ask_to_confirm, pager, pick_row

PAGE_SIZE = 20
CARD_CELLS = {"red": "background-color:#c62828;color:#ffffff;font-weight:bold",
              "yellow": "background-color:#f9a825;color:#000000"}
STATUS_COLOUR = {rectification.OPEN: "orange", rectification.PENDING: "blue",
                 rectification.CLOSED: "green"}


def _date(value: date | None) -> str:
    return format_date(value, lang()) if value else "—"


def filters(prefix: str, *, office: bool) -> dict:
    """Status, quarter of origin and (for the office) unit."""
    with db() as session:
        quarters = {q["id"]: q["name"] for q in rectification.quarters(session)}
        unit_names = {u.id: u.name for u in units.list_units(session)} if office else {}
    columns = st.columns(3 if office else 2)
    status = columns[0].selectbox(tr("rectify.filter.status"), [None, *rectification.FILTERS],
                                  format_func=lambda s: tr(f"rectify.status.{s}") if s
                                  else tr("common.all"), key=f"{prefix}_status")
    campaign_id = columns[1].selectbox(tr("rectify.filter.quarter"), [None, *quarters],
                                       format_func=lambda q: quarters[q] if q
                                       else tr("common.all"), key=f"{prefix}_quarter")
    chosen = {"status": status, "campaign_id": campaign_id}
    if office:
        chosen["unit_id"] = columns[2].selectbox(
            tr("rectify.filter.unit"), [None, *unit_names],
            format_func=lambda u: unit_names[u] if u else tr("common.all"), key=f"{prefix}_unit")
    return chosen


def counts_line(counts: dict[str, int]) -> None:
    columns = st.columns(len(rectification.FILTERS))
    for column, status in zip(columns, rectification.FILTERS, strict=True):
        column.metric(tr(f"rectify.status.{status}"), counts[status])


def _card_text(card: str | None) -> str:
    return tr(f"card.{card}") if card else ""


def records(rows: list[dict], *, office: bool):  # noqa: ANN201
    """The ledger table, its card column coloured (no emoji font needed)."""
    import pandas as pd

    table = []
    for r in rows:
        record = {tr("rectify.col.card"): _card_text(r["card"])}
        if office:
            record[tr("rectify.col.unit")] = r["unit"]
        record.update({
            tr("rectify.col.origin"): r["origin"],
            tr("rectify.col.category"): _number(r),
            tr("rectify.col.description"): r["description"],
            tr("rectify.col.risk_level"): tr(f"rectify.risk.{r['risk_level']}")
            if r["risk_level"] else "—",
            tr("rectify.col.department"): r["department"] or "—",
            tr("rectify.col.person"): r["person"] or "—",
            tr("rectify.col.deadline"): _date(r["deadline"]),
            tr("rectify.col.status"): tr(f"rectify.status.{r['status']}"),
            tr("rectify.col.age"): r["age_days"]})
        table.append(record)
    frame = pd.DataFrame(table)
    colours = {tr(f"card.{c}"): style for c, style in CARD_CELLS.items()}
    return frame.style.map(lambda value: colours.get(value, ""),
                           subset=[tr("rectify.col.card")])


def ledger(prefix: str, me: Actor, chosen: dict, *, office: bool) -> int | None:
    """Counts, the Excel button and a page of the ledger; the id of the problem picked."""
    page = int(st.session_state.get(f"{prefix}_page", 1))
    with db() as session:
        counts = rectification.status_counts(session, actor=me,
                                             unit_id=chosen.get("unit_id"),
                                             campaign_id=chosen["campaign_id"])
        if office:
            rows, total = rectification.office_ledger(session, actor=me, page=page,
                                                      page_size=PAGE_SIZE, **chosen)
        else:
            rows, total = rectification.unit_ledger(session, actor=me, page=page,
                                                    page_size=PAGE_SIZE, **chosen)
    counts_line(counts)
    st.caption(tr("rectify.rules", days=rectification.YELLOW_DAYS))
    st.download_button(tr("rectify.export"), mime=exports.MIME, file_name="问题整改台账.xlsx",
                       data=audited(lambda: _export(me, chosen), "问题整改台账.xlsx"),
                       key=f"{prefix}_export")
    if not rows:
        st.info(tr("rectify.none"))
        return None
    st.caption(tr("rectify.pick_hint"))
    by_id = {r["id"]: r for r in rows}
    picked = pick_row(records(rows, office=office), list(by_id), key=f"{prefix}_table")
    pager(total=total, page_size=PAGE_SIZE, key=f"{prefix}_page")
    return picked


def _export(me: Actor, chosen: dict) -> bytes:
    with db() as session:
        return rectification.export_excel(session, actor=me, **chosen)


def _number(problem: dict) -> str:
    """The category, and the problem's place in it when the category holds several: 21-2."""
    number = str(problem["category_number"])
    return number if problem["position"] == 1 else f"{number}-{problem['position']}"


def _reference(problem: dict) -> str:
    return f"{problem['origin']}-第{_number(problem)}类"


def detail(me: Actor, row_id: int) -> dict:
    with db() as session:
        problem = rectification.get_problem(session, actor=me, row_id=row_id)
    st.subheader(tr("rectify.detail_head", origin=problem["origin"], number=_number(problem)))
    badges = st.columns([1, 1, 4])
    badges[0].badge(tr(f"rectify.status.{problem['status']}"),
                    color=STATUS_COLOUR[problem["status"]])
    if problem["card"]:
        badges[1].badge(tr(f"card.{problem['card']}"),
                        color="red" if problem["card"] == "red" else "orange")
    show_text(problem["description"])
    show_field(tr("rectify.col.unit"), problem["unit"])
    show_field(tr("rectify.col.risk_level"), tr(f"rectify.risk.{problem['risk_level']}")
               if problem["risk_level"] else "—")
    if problem["risk"]:
        show_field(tr("selfcheck.col.risk"), problem["risk"])
    show_field(tr("rectify.col.measure"), problem["measure"] or "—")
    show_field(tr("rectify.col.department"), problem["department"] or "—")
    show_field(tr("rectify.col.person"), problem["person"] or "—")
    show_field(tr("rectify.col.deadline"), _date(problem["deadline"]))
    show_field(tr("rectify.col.age"), tr("rectify.age_days", days=problem["age_days"]))
    if problem["closed_on"]:
        show_field(tr("rectify.col.closed_on"), _date(problem["closed_on"]))
    return problem


def _file_button(me: Actor, file: dict, key: str) -> None:
    def data(file_id: int = file["id"]) -> bytes:
        with db() as session:
            return rectification.evidence_file(session, actor=me, file_id=file_id).data

    st.download_button(tr("rectify.download", name=plain(file["filename"])),
                       data=audited(data, f"rectify file {file['id']}: {file['filename']}"),
                       file_name=file["filename"], key=f"{key}_{file['id']}")


def evidence(me: Actor, problem: dict, prefix: str) -> None:
    """Every evidence submission, newest first; the office decides the one waiting."""
    st.markdown(f"**{tr('rectify.evidence')}**")
    if not problem["evidence"]:
        st.caption(tr("rectify.evidence_none"))
    for item in problem["evidence"]:
        with st.container(border=True):
            decision = tr(f"rectify.decision.{item['decision'] or 'waiting'}")
            st.caption(f"{format_datetime(item['submitted_at'], lang())}　{decision}")
            show_text(item["text"])
            if item["reason"]:
                show_field(tr("rectify.refuse_reason"), item["reason"])
            for file in item["files"]:
                _file_button(me, file, f"{prefix}_file_{item['id']}")
            if item["decision"] is None and me.has(Role.SUPERVISOR, Role.ADMIN):
                _decide(me, item, problem)


def _decide(me: Actor, item: dict, problem: dict) -> None:
    if st.button(tr("rectify.accept"), type="primary", key=f"rectify_accept_{item['id']}"):
        act(lambda s: rectification.accept(s, actor=me, evidence_id=item["id"]),
            tr("rectify.accepted", ref=_reference(problem)))
    with st.form(f"rectify_refuse_{item['id']}"):
        reason = st.text_area(tr("rectify.refuse_reason"), max_chars=500,
                              key=f"rectify_reason_{item['id']}")
        if st.form_submit_button(tr("rectify.refuse")):
            act(lambda s: rectification.refuse(s, actor=me, evidence_id=item["id"],
                                               reason=reason),
                tr("rectify.refused"))


def evidence_form(me: Actor, problem: dict) -> None:
    """The unit asks for 销号 with text and files; only while the problem is 整改中."""
    if problem["status"] == rectification.CLOSED:
        st.success(tr("rectify.closed_note"))
        return
    if problem["status"] == rectification.PENDING:
        st.info(tr("rectify.waiting_note"))
        return
    refused = next((e for e in problem["evidence"] if e["decision"] == "refused"), None)
    if refused is not None:
        st.error(tr("rectify.refused_note", reason=plain(refused["reason"])))
    st.markdown(f"**{tr('rectify.evidence_form')}**")
    with st.form(f"myrectify_evidence_{problem['id']}", clear_on_submit=True):
        text = st.text_area(tr("rectify.evidence_text") + " :red[*]",
                            max_chars=rectification.MAX_TEXT, key="myrectify_text")
        files = st.file_uploader(tr("rectify.evidence_files"), type=["pdf", "jpg", "jpeg", "png"],
                                 accept_multiple_files=True, max_upload_size=MAX_MB,
                                 key="myrectify_files")
        submitted = st.form_submit_button(tr("rectify.submit"), type="primary")
    if submitted:
        data = rectification.EvidenceInput(
            text=text, uploads=[Upload(f.name, f.getvalue()) for f in files or []])
        act(lambda s: rectification.submit_evidence(s, actor=me, row_id=problem["id"],
                                                    data=data),
            tr("rectify.submitted"))


def notices(me: Actor, problem: dict, prefix: str) -> None:
    """The problem's 三单一函; the office issues the next rung by hand."""
    with db() as session:
        rows = rectification.problem_notices(session, actor=me, row_id=problem["id"])
        rung = (escalation.next_rung(session, problem["id"], "problem")
                if me.has(Role.SUPERVISOR) and problem["status"] == rectification.OPEN else None)
    st.markdown(f"**{tr('notice.section')}**")
    if rows:
        report_actions.notice_table(rows)
        report_actions.notice_downloads(f"{prefix}_{problem['id']}", rows)
    else:
        st.caption(tr("notice.none"))
    if rung is None:
        return
    ref = _reference(problem)
    with st.form(f"{prefix}_issue_{problem['id']}", clear_on_submit=True):
        reason = st.text_input(tr("notice.issue_reason"), key=f"{prefix}_issue_reason")
        if st.form_submit_button(tr("rectify.notice_issue", kind=tr(f"notice.kind.{rung}"))):
            ask_to_confirm(
                tr("uirep.ask_issue", no=ref, kind=tr(f"notice.kind.{rung}"),
                   unit=problem["unit"], reason=reason.strip()),
                lambda s: escalation.issue_by_hand(s, actor=me, problem_id=problem["id"],
                                                   reason=reason),
                lambda n: tr("uirep.issued", number=n.number, no=ref,
                             deadline=_date(n.deadline)))
