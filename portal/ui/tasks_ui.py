"""Sections of the key-task pages (#14): the ledger table, a task's details and progress
history, the hand-entry form, 挂图作战, the Excel import, the review queue and the unit's report
form. Thin: each reads, calls one service, shows the result; user text only as text."""

from datetime import date

import streamlit as st

from portal import clock, escalation, exports, tasks, units
from portal.attachments import MAX_MB, Upload
from portal.errors import PortalError
from portal.i18n import format_date, format_datetime, t
from portal.roles import Actor, Role
from portal.ui import report_actions
from portal.ui.context import audited, db, lang, show_error, tr
from portal.ui.text import plain, show_field, show_text
from portal.ui.widgets import act, ask_to_confirm, pager, pick_row

PAGE_SIZE = 20
STATE_COLOURS = {tasks.ON_TRACK: "#2e7d32", tasks.AT_RISK: "#f9a825", tasks.OVERDUE: "#c62828",
                 tasks.DONE: "#1565c0"}
STATE_CELLS = {tasks.ON_TRACK: "background-color:#2e7d32;color:#ffffff",
               tasks.AT_RISK: "background-color:#f9a825;color:#000000",
               tasks.OVERDUE: "background-color:#c62828;color:#ffffff;font-weight:bold",
               tasks.DONE: "background-color:#1565c0;color:#ffffff"}


def _date(value: date | None, empty: str = "—") -> str:
    return format_date(value, lang()) if value else empty


def _names(names: list[str]) -> str:
    return "、".join(names) or "—"


def rules_caption() -> None:
    st.caption(tr("task.rules", day=tasks.REPORT_DAY, report=tasks.RISK_REPORT_DAYS,
                  deadline=tasks.RISK_DEADLINE_DAYS, percent=tasks.RISK_PERCENT))


def counts_line(counts: dict[str, int]) -> None:
    columns = st.columns(len(tasks.STATES))
    for column, state in zip(columns, (tasks.OVERDUE, tasks.AT_RISK, tasks.ON_TRACK, tasks.DONE),
                             strict=True):
        column.metric(tr(f"task.state.{state}"), counts[state])


def styled(records: list[dict]):  # noqa: ANN201
    """The table with its state column coloured (no emoji font needed)."""
    import pandas as pd

    column = tr("task.field.state")
    colours = {tr(f"task.state.{s}"): style for s, style in STATE_CELLS.items()}
    frame = pd.DataFrame(records)
    if column not in frame.columns:
        return frame
    return frame.style.map(lambda value: colours.get(value, ""), subset=[column])


def task_records(rows: list[dict], *, mine: bool = False) -> list[dict]:
    records = []
    for r in rows:
        record = {tr("task.field.number"): r["number"], tr("task.field.title"): r["title"],
                  tr("task.field.state"): tr(f"task.state.{r['state']}")}
        if mine:
            record[tr("task.field.my_role")] = tr(f"task.role.{r['my_role']}")
        record.update({
            tr("task.field.leads"): _names(r["leads"]),
            tr("task.field.due_on"): _date(r["due_on"]),
            tr("task.field.percent"): f"{r['percent']}%",
            tr("task.field.next_report_due"): _date(r["next_report_due"],
                                                    tr("task.no_more_reports")),
            tr("task.field.pending"): tr("common.yes") if r["pending"] else tr("common.no")})
        records.append(record)
    return records


def filters(prefix: str, me: Actor) -> dict:
    """State, 专项行动, unit and search; the office's ledger, chart and export share them."""
    with db() as session:
        area_names = tasks.areas(session)
        unit_list = [(u.id, u.name) for u in units.list_units(session)]
    unit_names = dict(unit_list)
    state_col, area_col, unit_col, search_col = st.columns([1, 1, 1, 2])
    state = state_col.selectbox(tr("task.filter.state"), [None, *tasks.STATES],
                                format_func=lambda s: tr(f"task.state.{s}") if s
                                else tr("common.all"), key=f"{prefix}_state")
    area = area_col.selectbox(tr("task.filter.area"), [None, *area_names],
                              format_func=lambda a: a or tr("common.all"), key=f"{prefix}_area")
    unit_id = unit_col.selectbox(tr("task.filter.unit"), [None, *unit_names],
                                 format_func=lambda u: unit_names[u] if u else tr("common.all"),
                                 key=f"{prefix}_unit")
    search = search_col.text_input(tr("task.filter.search"), key=f"{prefix}_search")
    return {"state": state, "area": area, "unit_id": unit_id, "search": search}


def task_detail(task: dict) -> None:
    st.subheader(f"{plain(task['number'])}　{plain(task['title'])}")
    st.badge(tr(f"task.state.{task['state']}"),
             color={tasks.ON_TRACK: "green", tasks.AT_RISK: "orange", tasks.OVERDUE: "red",
                    tasks.DONE: "blue"}[task["state"]])
    if task["content"]:
        show_text(task["content"])
    show_field(tr("task.field.area"), task["area"] or "—")
    show_field(tr("task.field.leads"), _names(task["leads"]))
    show_field(tr("task.field.supports"), _names(task["supports"]))
    if task["other_parties"]:
        show_field(tr("task.field.other_parties"), task["other_parties"])
    kind = tr("task.kind.recurring" if task["recurring"] else "task.kind.deadline")
    show_field(tr("task.field.due_on"), f"{_date(task['due_on'])}（{kind}，"
                                       f"{tr('task.cadence.' + task['cadence'])}报送进展）")
    show_field(tr("task.field.start_on"), _date(task["start_on"]))
    show_field(tr("task.field.percent"), f"{task['percent']}%")
    show_field(tr("task.field.next_report_due"),
               _date(task["next_report_due"], tr("task.no_more_reports")))
    if task["done_on"]:
        show_field(tr("task.field.done_on"), _date(task["done_on"]))
    if task["indicator"]:
        show_field(tr("task.field.indicator"), task["indicator"])
    if task["source"]:
        show_field(tr("task.field.source"), task["source"])


def _file_button(me: Actor, file: dict, key: str) -> None:
    def data(file_id: int = file["id"]) -> bytes:
        with db() as session:
            return tasks.progress_file(session, actor=me, file_id=file_id).data

    st.download_button(tr("task.download", name=plain(file["filename"])),
                       data=audited(data, f"task file {file['id']}: {file['filename']}"),
                       file_name=file["filename"], key=f"{key}_{file['id']}")


def history(me: Actor, task_id: int, prefix: str) -> None:
    st.markdown(f"**{tr('task.history')}**")
    with db() as session:
        reports = tasks.progress_history(session, actor=me, task_id=task_id)
    if not reports:
        st.caption(tr("task.history_none"))
        return
    for report in reports:
        with st.container(border=True):
            status = tr(f"task.progress.{report['status']}")
            late = f"，{tr('task.field.late')}" if report["late"] else ""
            st.caption(f"{format_datetime(report['submitted_at'], lang())}　{plain(report['unit'])}"
                       f"　{report['percent']}%　{status}{late}")
            show_field(tr("task.field.progress"), report["progress"])
            if report["problems"]:
                show_field(tr("task.field.problems"), report["problems"])
            if report["evidence"]:
                show_field(tr("task.field.evidence"), report["evidence"])
            if report["review_note"]:
                show_field(tr("task.field.review_note"), report["review_note"])
            for file in report["files"]:
                _file_button(me, file, f"{prefix}_file_{report['id']}")


# ---- office -------------------------------------------------------------------------------

def ledger(me: Actor, chosen_filters: dict) -> None:
    with db() as session:
        counts = tasks.state_counts(session, actor=me, area=chosen_filters["area"],
                                    unit_id=chosen_filters["unit_id"])
        rows, total = tasks.list_tasks(session, actor=me, page=int(st.session_state.get(
            "tasks_page", 1)), page_size=PAGE_SIZE, **chosen_filters)
    counts_line(counts)
    rules_caption()
    st.download_button(tr("task.export"), mime=exports.MIME, file_name="重点任务清单.xlsx",
                       data=audited(lambda: _export(me, chosen_filters), "重点任务清单.xlsx"),
                       key="tasks_export")
    if not rows:
        st.info(tr("task.none_listed"))
        return
    st.caption(tr("task.pick_hint"))
    by_id = {r["id"]: r for r in rows}
    chosen = pick_row(styled(task_records(rows)), list(by_id), key="tasks_table")
    pager(total=total, page_size=PAGE_SIZE, key="tasks_page")
    if chosen is None:
        return
    with db() as session:
        task = tasks.get_task(session, actor=me, task_id=chosen)
    task_detail(task)
    task_notices(me, task, "tasks")
    with st.expander(tr("task.edit")):
        task_form(f"tasks_edit_{chosen}", me, task)
    history(me, chosen, "tasks")


def _export(me: Actor, chosen: dict) -> bytes:
    with db() as session:
        return tasks.export_excel(session, actor=me, state=chosen["state"], area=chosen["area"],
                                  unit_id=chosen["unit_id"])


def task_form(prefix: str, me: Actor, task: dict | None) -> None:
    """Add a task by hand, or edit one."""
    with db() as session:
        unit_names = {u.id: u.name for u in units.list_units(session)}
    today = clock.today()
    with st.form(prefix, clear_on_submit=task is None):
        left, right = st.columns(2)
        number = left.text_input(tr("task.field.number"), value=task["number"] if task else "",
                                 max_chars=20)
        area = right.text_input(tr("task.field.area"), value=task["area"] if task else "",
                                max_chars=40)
        title = st.text_input(tr("task.field.title"), value=task["title"] if task else "",
                              max_chars=100)
        content = st.text_area(tr("task.field.content"), value=task["content"] if task else "")
        leads = st.multiselect(tr("task.field.leads"), list(unit_names),
                               default=task["lead_ids"] if task else [],
                               format_func=unit_names.get, placeholder=tr("common.choose"))
        supports = st.multiselect(tr("task.field.supports"), list(unit_names),
                                  default=task["support_ids"] if task else [],
                                  format_func=unit_names.get, placeholder=tr("common.choose"))
        other = st.text_input(tr("task.field.other_parties"),
                              value=task["other_parties"] if task else "", max_chars=200)
        left, middle, right = st.columns(3)
        start_on = left.date_input(tr("task.field.start_on"),
                                   value=task["start_on"] if task else today)
        due_on = middle.date_input(tr("task.field.due_on"),
                                   value=task["due_on"] if task else date(today.year, 12, 31))
        cadence = right.selectbox(tr("task.field.cadence"), list(tasks.CADENCES),
                                  index=list(tasks.CADENCES).index(task["cadence"]) if task else 0,
                                  format_func=lambda c: tr(f"task.cadence.{c}"))
        recurring = st.checkbox(tr("task.field.recurring"),
                                value=task["recurring"] if task else False)
        indicator = st.text_area(tr("task.field.indicator"),
                                 value=task["indicator"] if task else "")
        source = st.text_input(tr("task.field.source"), value=task["source"] if task else "",
                               max_chars=200)
        submitted = st.form_submit_button(tr("task.save" if task else "task.create"),
                                          type="primary")
    if not submitted:
        return
    data = tasks.TaskInput(number=number, title=title, lead_unit_ids=leads, due_on=due_on,
                           support_unit_ids=supports, content=content, area=area,
                           start_on=start_on, recurring=recurring, cadence=cadence,
                           indicator=indicator, source=source, other_parties=other)
    if task is None:
        act(lambda s: tasks.create_task(s, actor=me, data=data),
            lambda made: tr("task.created", number=made.number))
    else:
        act(lambda s: tasks.update_task(s, actor=me, task_id=task["id"], data=data),
            lambda saved: tr("task.saved", number=saved.number))


def chart(me: Actor, chosen_filters: dict) -> None:
    """挂图作战: every task from its start to its deadline, by lead unit, coloured by state."""
    import altair as alt
    import pandas as pd

    with db() as session:
        rows = tasks.chart_rows(session, actor=me, area=chosen_filters["area"],
                                unit_id=chosen_filters["unit_id"])
    if not rows:
        st.info(tr("task.chart_none"))
        return
    labels = [tr(f"task.state.{s}") for s in STATE_COLOURS]
    frame = pd.DataFrame([{
        "unit": r["unit"], "task": f"{r['unit']}｜{r['number']} {r['title']}",
        "start": pd.Timestamp(r["start_on"]), "due": pd.Timestamp(r["due_on"]),
        "state": tr(f"task.state.{r['state']}"), "percent": r["percent"],
        "number": r["number"]} for r in rows])
    order = list(dict.fromkeys(frame["task"]))
    bars = alt.Chart(frame).mark_bar(height=12).encode(
        x=alt.X("start:T", title=None, axis=alt.Axis(format="%m月")),
        x2="due:T",
        y=alt.Y("task:N", sort=order, title=None, axis=alt.Axis(labelLimit=360)),
        color=alt.Color("state:N", title=tr("task.field.state"),
                        scale=alt.Scale(domain=labels, range=list(STATE_COLOURS.values())),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("task:N", title=tr("task.field.title")),
                 alt.Tooltip("start:T", title=tr("task.chart_start"), format="%Y-%m-%d"),
                 alt.Tooltip("due:T", title=tr("task.chart_due"), format="%Y-%m-%d"),
                 alt.Tooltip("state:N", title=tr("task.field.state")),
                 alt.Tooltip("percent:Q", title=tr("task.field.percent"))])
    today = alt.Chart(pd.DataFrame({"day": [pd.Timestamp(clock.today())]})).mark_rule(
        color="#444", strokeDash=[4, 3]).encode(x="day:T")
    st.altair_chart((bars + today).properties(
        title=tr("task.chart_title", today=clock.today()), height=max(160, 22 * len(order))),
        use_container_width=True)


def import_section(me: Actor) -> None:
    st.caption(tr("task.template_columns", headers="、".join(tasks.HEADERS)))
    st.download_button(tr("task.template"), data=tasks.template_excel(), mime=exports.MIME,
                       file_name="重点任务导入模板.xlsx", key="tasks_template")
    upload = st.file_uploader(tr("task.upload"), type=["xlsx"], key="tasks_import_file",
                              max_upload_size=MAX_MB)
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with db() as session:
            checked = tasks.check_workbook(session, actor=me, data=data)
    except PortalError as error:
        show_error(error)
        return
    bad = [r for r in checked if r.errors]
    st.dataframe([{tr("task.col.row"): r.number, tr("task.field.number"): r.values["编号"],
                   tr("task.field.title"): r.values["任务名称"],
                   tr("task.field.leads"): r.values["牵头单位"] or "—",
                   tr("task.field.due_on"): r.values["完成时限"] or "—",
                   tr("task.col.check"): "；".join(_row_error(k, p) for k, p in r.errors)
                   or tr("task.check_ok")}
                  for r in sorted(checked, key=lambda r: (not r.errors, r.number))],
                 hide_index=True, use_container_width=True)
    if bad:
        st.error(tr("task.preview_bad", count=len(checked), bad=len(bad)))
        return
    st.success(tr("task.preview_ok", count=len(checked)))
    if st.button(tr("task.import"), type="primary", key="tasks_import"):
        act(lambda s: tasks.import_workbook(s, actor=me, data=data),
            lambda count: tr("task.imported", count=count))


def _row_error(key: str, params: dict) -> str:
    text = t(key, lang(), **params)
    field = params.get("field")
    return f"{tr('task.field.' + field)}：{text}" if field else text


def review(me: Actor) -> None:
    with db() as session:
        rows, total = tasks.review_queue(session, actor=me, page=int(st.session_state.get(
            "tasks_review_page", 1)), page_size=PAGE_SIZE)
    if not rows:
        st.info(tr("task.review_none"))
        return
    st.caption(tr("task.review_pick"))
    by_id = {r["id"]: r for r in rows}
    records = [{tr("task.field.number"): r["number"], tr("task.field.title"): r["title"],
                tr("task.field.unit"): r["unit"], tr("task.field.percent"): f"{r['percent']}%",
                tr("task.field.submitted_at"): format_datetime(r["submitted_at"], lang()),
                tr("task.field.period_due"): _date(r["period_due"]),
                tr("task.field.late"): tr("common.yes") if r["late"] else tr("common.no")}
               for r in rows]
    chosen = pick_row(records, list(by_id), key="tasks_review_table")
    pager(total=total, page_size=PAGE_SIZE, key="tasks_review_page")
    if chosen is None:
        return
    report = by_id[chosen]
    st.subheader(f"{plain(report['number'])}　{plain(report['title'])}")
    show_field(tr("task.field.unit"), report["unit"])
    show_field(tr("task.field.percent"), f"{report['percent']}%")
    show_field(tr("task.field.progress"), report["progress"])
    show_field(tr("task.field.problems"), report["problems"] or "—")
    show_field(tr("task.field.evidence"), report["evidence"] or "—")
    with db() as session:
        files = next(h["files"] for h in tasks.progress_history(
            session, actor=me, task_id=report["task_id"]) if h["id"] == chosen)
    for file in files:
        _file_button(me, file, "tasks_review_file")
    if st.button(tr("task.accept"), type="primary", key=f"tasks_accept_{chosen}"):
        act(lambda s: tasks.accept_progress(s, actor=me, progress_id=chosen),
            tr("task.accepted", number=report["number"]))
    with st.form(f"tasks_return_{chosen}"):
        reason = st.text_area(tr("task.field.reason"), max_chars=500)
        if st.form_submit_button(tr("task.return")):
            act(lambda s: tasks.return_progress(s, actor=me, progress_id=chosen, reason=reason),
                tr("task.returned", number=report["number"]))


# ---- unit ---------------------------------------------------------------------------------

def report_form(me: Actor, task: dict) -> None:
    if task["state"] == tasks.DONE:
        st.info(tr("task.report_done"))
        return
    if task["pending"]:
        st.info(tr("task.report_waiting"))
        return
    st.markdown(f"**{tr('task.report_form')}**")
    if task["next_report_due"]:
        st.caption(tr("task.my_due", due=task["next_report_due"]))
    with st.form(f"mytasks_report_{task['id']}", clear_on_submit=True):
        progress = st.text_area(tr("task.field.progress"), max_chars=tasks.MAX_TEXT,
                                key="mytasks_progress")
        percent = st.number_input(tr("task.field.percent"), min_value=0, max_value=100,
                                  value=task["percent"], step=1, key="mytasks_percent")
        problems = st.text_area(tr("task.field.problems"), max_chars=tasks.MAX_TEXT,
                                key="mytasks_problems")
        evidence = st.text_area(tr("task.field.evidence"), max_chars=tasks.MAX_TEXT,
                                key="mytasks_evidence")
        files = st.file_uploader(tr("task.field.files"), type=["pdf", "jpg", "jpeg", "png"],
                                 accept_multiple_files=True, max_upload_size=MAX_MB,
                                 key="mytasks_files")
        submitted = st.form_submit_button(tr("task.report_submit"), type="primary")
    if submitted:
        data = tasks.ProgressInput(progress=progress, percent=int(percent), problems=problems,
                                   evidence=evidence,
                                   uploads=[Upload(f.name, f.getvalue()) for f in files or []])
        act(lambda s: tasks.submit_progress(s, actor=me, task_id=task["id"], data=data),
            tr("task.reported", number=task["number"]))


def my_tasks(me: Actor) -> None:
    with db() as session:
        counts = tasks.state_counts(session, actor=me)
        rows, total = tasks.list_tasks(session, actor=me, page=int(st.session_state.get(
            "mytasks_page", 1)), page_size=PAGE_SIZE)
    if not total:
        st.info(tr("task.mine_none"))
        return
    counts_line(counts)
    rules_caption()
    st.caption(tr("task.pick_hint"))
    by_id = {r["id"]: r for r in rows}
    chosen = pick_row(styled(task_records(rows, mine=True)), list(by_id), key="mytasks_table")
    pager(total=total, page_size=PAGE_SIZE, key="mytasks_page")
    if chosen is None:
        return
    with db() as session:
        task = tasks.get_task(session, actor=me, task_id=chosen)
    task_detail(task)
    task_notices(me, task, "mytasks")
    report_form(me, task)
    history(me, chosen, "mytasks")


def task_notices(me: Actor, task: dict, prefix: str) -> None:
    """The task's 三单一函 (the same table and Word files as a report's); the office issues the
    next rung to a lead unit by hand or withdraws one."""
    with db() as session:
        rows = escalation.notices_for_task(session, actor=me, task_id=task["id"])
        rungs = (escalation.task_next_rungs(session, actor=me, task_id=task["id"])
                 if me.has(Role.SUPERVISOR) else [])
    st.markdown(f"**{tr('notice.section')}**")
    if rows:
        report_actions.notice_table(rows)
        report_actions.notice_downloads(f"{prefix}_{task['id']}", rows)
    else:
        st.caption(tr("notice.none"))
    if not rungs:
        return
    by_unit = {rung["unit_id"]: rung for rung in rungs}
    with st.form(f"{prefix}_issue_{task['id']}", clear_on_submit=True):
        unit = st.selectbox(tr("task.notice_unit"), list(by_unit),
                            format_func=lambda i: f"{by_unit[i]['unit']}："
                            f"{tr('notice.kind.' + by_unit[i]['kind'])}",
                            key=f"{prefix}_issue_unit")
        reason = st.text_input(tr("notice.issue_reason"), key=f"{prefix}_issue_reason")
        if st.form_submit_button(tr("task.notice_issue")):
            kind = tr(f"notice.kind.{by_unit[unit]['kind']}")
            ask_to_confirm(
                tr("uirep.ask_issue", no=task["number"], kind=kind, unit=by_unit[unit]["unit"],
                   reason=reason.strip()),
                lambda s: escalation.issue_by_hand(s, actor=me, task_id=task["id"],
                                                   unit_id=unit, reason=reason),
                lambda n: tr("uirep.issued", number=n.number, no=task["number"],
                             deadline=_date(n.deadline)))
