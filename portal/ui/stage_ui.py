"""Sections of the 报送事项 pages (#14): the office's list of requests, a request's status per
unit with the submissions to accept or return and the notices, the form of a new request; the
unit's list, the request it opens and its submission form. User text only as text."""

from datetime import date

import streamlit as st

from portal import clock, escalation, stage_reports, units
from portal.attachments import MAX_MB, Upload
from portal.i18n import format_date, format_datetime
from portal.roles import Actor, Role
from portal.ui import report_actions
from portal.ui.context import audited, db, lang, tr
from portal.ui.text import plain, show_field, show_text
from portal.ui.widgets import act, ask_to_confirm, card_styled, pager, pick_row

PAGE_SIZE = 20
ALL = 0  # the "全部单位" choice of the units multiselect
BADGE = {stage_reports.NOT_SUBMITTED: "red", stage_reports.ON_TIME: "green",
         stage_reports.LATE: "orange", stage_reports.RETURNED: "violet",
         stage_reports.ACCEPTED: "blue"}


def _date(value: date | None) -> str:
    return format_date(value, lang()) if value else "—"


def _card(card: str | None) -> str:
    return tr(f"card.{card}") if card else ""


def _state(state: str) -> str:
    return tr(f"stage.state.{state}")


def rules_caption() -> None:
    st.caption(tr("stage.rules", days=stage_reports.RESUBMIT_DAYS))


def _request_file_button(me: Actor, file: dict, key: str) -> None:
    def data(file_id: int = file["id"]) -> bytes:
        with db() as session:
            return stage_reports.request_file(session, actor=me, file_id=file_id).data

    st.download_button(tr("stage.download", name=plain(file["filename"])),
                       data=audited(data, f"stage request file {file['id']}: {file['filename']}"),
                       file_name=file["filename"], key=f"{key}_{file['id']}")


def _submission_file_button(me: Actor, file: dict, key: str) -> None:
    def data(file_id: int = file["id"]) -> bytes:
        with db() as session:
            return stage_reports.submission_file(session, actor=me, file_id=file_id).data

    st.download_button(tr("stage.download", name=plain(file["filename"])),
                       data=audited(data, f"stage report file {file['id']}: {file['filename']}"),
                       file_name=file["filename"], key=f"{key}_{file['id']}")


def request_detail(me: Actor, request: dict, prefix: str) -> None:
    st.subheader(f"{plain(request['number'])}　{plain(request['title'])}")
    show_field(tr("stage.field.due_on"), _date(request["due_on"]))
    if request["content"]:
        show_text(request["content"])
    if request["files"]:
        st.markdown(f"**{tr('stage.request_files')}**")
        for file in request["files"]:
            _request_file_button(me, file, f"{prefix}_reqfile")


def _submission(me: Actor, shown: dict, prefix: str) -> None:
    if shown["submitted_at"]:
        show_field(tr("stage.field.submitted_at"),
                   format_datetime(shown["submitted_at"], lang()))
        show_field(tr("stage.field.submission"), shown["content"])
        for file in shown["files"]:
            _submission_file_button(me, file, f"{prefix}_subfile_{shown['id']}")
    if shown["review_note"]:
        show_field(tr("stage.field.review_note"), shown["review_note"])
    for earlier in shown.get("earlier", []):
        with st.expander(tr("stage.earlier", round=earlier["round"])):
            show_field(tr("stage.field.submitted_at"),
                       format_datetime(earlier["submitted_at"], lang())
                       if earlier["submitted_at"] else "—")
            show_field(tr("stage.field.submission"), earlier["content"])
            for file in earlier["files"]:
                _submission_file_button(me, file, f"{prefix}_oldfile_{shown['id']}")
            show_field(tr("stage.field.review_note"), earlier["review_note"] or "—")


# ---- office -------------------------------------------------------------------------------

def request_list(me: Actor) -> None:
    with db() as session:
        rows, total = stage_reports.list_requests(session, actor=me, page=int(
            st.session_state.get("stage_page", 1)), page_size=PAGE_SIZE)
    rules_caption()
    if not rows:
        st.info(tr("stage.none"))
        return
    st.caption(tr("stage.pick_hint"))
    records = [{tr("stage.field.number"): r["number"], tr("stage.field.title"): r["title"],
                tr("stage.field.due_on"): _date(r["due_on"]),
                tr("stage.field.addressed"): r["addressed"],
                tr("stage.field.submitted"): r["submitted"],
                tr("stage.field.late"): r["late"], tr("stage.field.overdue"): r["overdue"]}
               for r in rows]
    by_id = [r["id"] for r in rows]
    chosen = pick_row(records, by_id, key="stage_table")
    pager(total=total, page_size=PAGE_SIZE, key="stage_page")
    if chosen is None:
        return
    with db() as session:
        request = stage_reports.get_request(session, actor=me, request_id=chosen)
        counts = stage_reports.state_counts(session, actor=me, request_id=chosen)
    request_detail(me, request, "stage")
    columns = st.columns(len(stage_reports.STATES))
    for column, state in zip(columns, stage_reports.STATES, strict=True):
        column.metric(_state(state), counts[state])
    status_table(me, request)
    stage_notices(me, request, "stage")


def status_table(me: Actor, request: dict) -> None:
    st.markdown(f"**{tr('stage.status_title')}**")
    key = f"stage_status_page_{request['id']}"
    with db() as session:
        rows, total = stage_reports.request_status(
            session, actor=me, request_id=request["id"],
            page=int(st.session_state.get(key, 1)), page_size=PAGE_SIZE)
    st.caption(tr("stage.status_pick"))
    records = [{tr("card.col"): _card(r["card"]),
                tr("stage.field.unit"): r["unit"], tr("stage.field.state"): _state(r["state"]),
                tr("stage.field.due_on"): _date(r["due_on"]),
                tr("stage.field.submitted_at"): format_datetime(r["submitted_at"], lang())
                if r["submitted_at"] else "—"} for r in rows]
    chosen = pick_row(card_styled(records, tr("card.col")), [r["id"] for r in rows],
                      key=f"stage_status_{request['id']}")
    pager(total=total, page_size=PAGE_SIZE, key=key)
    if chosen is None:
        return
    with db() as session:
        shown = stage_reports.submission(session, actor=me, report_id=chosen)
    state = next(r["state"] for r in rows if r["id"] == chosen)
    with st.container(border=True):
        st.markdown(f"**{plain(shown['unit'])}**")
        st.badge(_state(state), color=BADGE[state])
        if not shown["submitted_at"]:
            st.caption(tr("stage.not_yet"))
        _submission(me, shown, "stage")
        if shown["status"] == stage_reports.SUBMITTED:
            _review(me, shown)


def _review(me: Actor, shown: dict) -> None:
    unit = shown["unit"]
    if st.button(tr("stage.accept"), type="primary", key=f"stage_accept_{shown['id']}"):
        act(lambda s: stage_reports.accept(s, actor=me, report_id=shown["id"]),
            tr("stage.accepted", unit=unit))
    with st.form(f"stage_return_{shown['id']}"):
        reason = st.text_area(tr("stage.field.reason"), max_chars=500,
                              key=f"stage_return_reason_{shown['id']}")
        if st.form_submit_button(tr("stage.return")):
            act(lambda s: stage_reports.return_report(s, actor=me, report_id=shown["id"],
                                                      reason=reason),
                tr("stage.returned", unit=unit))


def request_form(me: Actor) -> None:
    with db() as session:
        unit_names = {u.id: u.name for u in units.list_units(session)}
    choices = {ALL: tr("stage.all_units"), **unit_names}
    with st.form("stage_add", clear_on_submit=True):
        title = st.text_input(tr("stage.field.title"), max_chars=100, key="stage_add_title")
        content = st.text_area(tr("stage.field.content"), max_chars=stage_reports.MAX_TEXT,
                               key="stage_add_content")
        chosen = st.multiselect(tr("stage.field.units"), list(choices),
                                format_func=choices.get, placeholder=tr("common.choose"),
                                key="stage_add_units")
        due_on = st.date_input(tr("stage.field.due_on"), value=clock.today(),
                               key="stage_add_due")
        files = st.file_uploader(tr("stage.field.files"), type=["pdf", "jpg", "jpeg", "png"],
                                 accept_multiple_files=True, max_upload_size=MAX_MB,
                                 key="stage_add_files")
        submitted = st.form_submit_button(tr("stage.create"), type="primary")
    if not submitted:
        return
    data = stage_reports.RequestInput(
        title=title, due_on=due_on, content=content, all_units=ALL in chosen,
        unit_ids=[u for u in chosen if u != ALL],
        uploads=[Upload(f.name, f.getvalue()) for f in files or []])
    act(lambda s: stage_reports.create_request(s, actor=me, data=data),
        lambda made: tr("stage.created", number=made.number))


def stage_notices(me: Actor, request: dict, prefix: str) -> None:
    """The request's 三单一函 (the same table and Word files as a report's); the office issues
    the next rung to a unit that still owes the report."""
    with db() as session:
        rows = escalation.notices_for_stage(session, actor=me, request_id=request["id"])
        rungs = (escalation.stage_next_rungs(session, actor=me, request_id=request["id"])
                 if me.has(Role.SUPERVISOR) else [])
    st.markdown(f"**{tr('notice.section')}**")
    if rows:
        report_actions.notice_table(rows)
        report_actions.notice_downloads(f"{prefix}_{request['id']}", rows)
    else:
        st.caption(tr("notice.none"))
    if not rungs:
        return
    by_row = {rung["stage_report_id"]: rung for rung in rungs}
    with st.form(f"{prefix}_issue_{request['id']}", clear_on_submit=True):
        row_id = st.selectbox(tr("stage.notice_unit"), list(by_row),
                              format_func=lambda i: f"{by_row[i]['unit']}："
                              f"{tr('notice.kind.' + by_row[i]['kind'])}",
                              key=f"{prefix}_issue_unit")
        reason = st.text_input(tr("notice.issue_reason"), key=f"{prefix}_issue_reason")
        if st.form_submit_button(tr("stage.notice_issue")):
            rung = by_row[row_id]
            ask_to_confirm(
                tr("uirep.ask_issue", no=request["number"],
                   kind=tr(f"notice.kind.{rung['kind']}"), unit=rung["unit"],
                   reason=reason.strip()),
                lambda s: escalation.issue_by_hand(s, actor=me, stage_report_id=row_id,
                                                   reason=reason),
                lambda n: tr("uirep.issued", number=n.number, no=request["number"],
                             deadline=_date(n.deadline)))


# ---- unit ---------------------------------------------------------------------------------

def my_requests(me: Actor) -> None:
    with db() as session:
        rows = stage_reports.my_requests(session, actor=me)
    rules_caption()
    if not rows:
        st.info(tr("stage.mine_none"))
        return
    st.caption(tr("stage.mine_hint"))
    records = [{tr("card.col"): _card(r["mine"]["card"]),
                tr("stage.field.number"): r["number"], tr("stage.field.title"): r["title"],
                tr("stage.field.due_on"): _date(r["mine"]["due_on"]),
                tr("stage.field.state"): _state(r["mine"]["state"])} for r in rows]
    chosen = pick_row(card_styled(records, tr("card.col")), [r["id"] for r in rows],
                      key="mystage_table")
    if chosen is None:
        return
    with db() as session:
        request = stage_reports.get_request(session, actor=me, request_id=chosen)
        shown = stage_reports.submission(session, actor=me, report_id=request["mine"]["id"])
    request_detail(me, request, "mystage")
    state = next(r["mine"]["state"] for r in rows if r["id"] == chosen)
    st.badge(_state(state), color=BADGE[state])
    stage_notices(me, request, "mystage")
    if shown["status"] in stage_reports.OPEN:
        if shown["status"] == stage_reports.RETURNED:
            st.warning(tr("stage.returned_note", due=_date(shown["due_on"])))
            show_field(tr("stage.field.review_note"), shown["review_note"])
        submit_form(me, request, shown)
        return
    st.info(tr("stage.done" if shown["status"] == stage_reports.ACCEPTED else "stage.waiting"))
    st.markdown(f"**{tr('stage.my_submission')}**")
    _submission(me, shown, "mystage")


def submit_form(me: Actor, request: dict, shown: dict) -> None:
    st.markdown(f"**{tr('stage.submit_form')}**")
    st.caption(tr("stage.my_due", due=_date(shown["due_on"])))
    with st.form(f"mystage_submit_{request['id']}", clear_on_submit=True):
        content = st.text_area(tr("stage.field.submission"), max_chars=stage_reports.MAX_TEXT,
                               key="mystage_content")
        files = st.file_uploader(tr("stage.field.files"), type=["pdf", "jpg", "jpeg", "png"],
                                 accept_multiple_files=True, max_upload_size=MAX_MB,
                                 key="mystage_files")
        submitted = st.form_submit_button(tr("stage.submit"), type="primary")
    if submitted:
        data = stage_reports.SubmissionInput(
            content=content, uploads=[Upload(f.name, f.getvalue()) for f in files or []])
        act(lambda s: stage_reports.submit(s, actor=me, request_id=request["id"], data=data),
            tr("stage.submitted", number=request["number"]))
