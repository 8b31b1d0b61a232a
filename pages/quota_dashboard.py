from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from portal import cases, catalogue, clock, exports, quotas, selfcheck
from portal.errors import PortalError
from portal.i18n import format_date
from portal.roles import Role
from portal.ui import quota_forecast_ui
from portal.ui.context import audited, db, lang, show_error, tr
from portal.ui.guard import require_login
from portal.ui.navigation import PAGES, link
from portal.ui.widgets import flash, show_flash

me = require_login(Role.DISCIPLINE, Role.SUPERVISOR)
office = me.has(Role.DISCIPLINE)

st.title(tr("page.quota_dashboard"))
show_flash()
if not office:
    st.caption(tr("quota.counts_only"))
left, right = st.columns(2)
today = clock.today()
year = left.number_input(tr("quota.year"), 2021, 2100, today.year, step=1, key="quota_year")
on = right.date_input(tr("quota.date"), value=today, format="YYYY/MM/DD", key="quota_date")
with db() as session:
    rows = quotas.dashboard(session, actor=me, year=int(year), on=on)
    by_category = cases.verified_by_category(session, actor=me, year=int(year)) if office else {}
    untrue = selfcheck.untrue_answers(session, actor=me, year=int(year))
    categories = catalogue.list_categories(session, year=int(year))
areas = {e.number: e.area for e in categories}



def short_category(number: int) -> str:
    """A category by number and the start of its text, never a bare number."""
    text = next((e.text for e in categories if e.number == number), "")
    return f"{number} {text[:12]}{'…' if len(text) > 12 else ''}"


def case_workbook() -> bytes:
    """The case list, read when the button is pressed (up to 10,000 cases, never per run)."""
    with db() as session:
        case_rows = cases.list_cases(session, actor=me, page=1, page_size=10_000)[0]
    return exports.workbook(
        "典型案例", ["单位", "类别", "标题", "状态", "来源", "处理结果", "发现日期", "办结日期",
                 "处理人数"],
        [[c["unit"], short_category(c["category_number"]), c["title"],
          tr(f"case.status.{c['status']}"), tr(f"case.source.{c['source']}"),
          "、".join(tr(f"case.outcome.{o}") for o in c["outcomes"]),
          str(c["found_on"]), str(c["concluded_on"] or ""), c["persons_handled"]]
         for c in case_rows])


labels = list(quotas.LABELS.values())
wanted = st.multiselect(tr("quota.filter"), labels, placeholder=tr("common.all"),
                        key="quota_filter")
table = []
for row in rows:
    if wanted and not {c["status"] for c in row["checkpoints"]} & set(wanted):
        continue
    marks = {tr("quota.col.checkpoint", date=date.fromisoformat(c["date"])):
             tr("quota.cell", status=c["status"], cases=c["cases"], need=c["required_cases"],
                sanctioned=c["sanctioned"], need_sanctioned=c["required_sanctioned"])
             # the counts say what is missing; an exemption's reason is said beside it (#11)
             + (f"（{c['reason']}）" if c["exempt"] and c["reason"] else "")
             for c in row["checkpoints"]}
    table.append({tr("quota.col.unit"): row["unit"], tr("quota.col.cases"): row["cases"],
                  tr("quota.col.sanctioned"): row["sanctioned"], **marks,
                  tr("quota.col.days_left"): tr("quota.days", n=row["days_to_next"])
                  if row["days_to_next"] is not None else ""})
st.dataframe(table, hide_index=True, use_container_width=True)

quota_forecast_ui.render(me, year=int(year), on=on)

st.subheader(tr("quota.chart"))
points = pd.DataFrame([{"unit": r["unit"], "checkpoint": format_date(date.fromisoformat(c["date"]),
                                                                  lang()),
                        "cases": c["cases"], "required": c["required_cases"],
                        "line": tr("quota.chart_required")}
                       for r in rows for c in r["checkpoints"]])
if not points.empty:
    count_axis = alt.Axis(format="d", tickMinStep=1)
    bars = alt.Chart(points).mark_bar().encode(
        x=alt.X("unit:N", title=None, sort=None, axis=alt.Axis(labelAngle=-45, labelLimit=90)),
        y=alt.Y("cases:Q", title=tr("quota.col.cases"), axis=count_axis),
        color=alt.Color("checkpoint:N", title=tr("quota.chart_checkpoint")),
        xOffset="checkpoint:N",
        tooltip=[alt.Tooltip("unit:N", title=tr("quota.col.unit")),
                 alt.Tooltip("checkpoint:N", title=tr("quota.chart_checkpoint")),
                 alt.Tooltip("cases:Q", title=tr("quota.col.cases")),
                 alt.Tooltip("required:Q", title=tr("quota.chart_required"))])
    lines = alt.Chart(points).mark_tick(thickness=2, size=18).encode(
        x=alt.X("unit:N", sort=None), y="required:Q", xOffset="checkpoint:N",
        stroke=alt.Stroke("line:N", title=None,
                          scale=alt.Scale(range=["#b4232a"])))
    st.altair_chart((bars + lines).properties(title=tr("quota.chart_title", year=int(year))),
                    use_container_width=True)

if office:
    export_left, export_right = st.columns(2)
    export_left.download_button(
        tr("quota.export_table"), mime=exports.MIME, file_name=f"典型案例指标{int(year)}.xlsx",
        data=audited(lambda: exports.workbook("指标完成情况", list(table[0]) if table else [],
                                              [list(t.values()) for t in table]),
                     f"典型案例指标{int(year)}.xlsx"),
        key="quota_export_table")
    export_right.download_button(
        tr("quota.export_cases"), mime=exports.MIME, file_name=f"典型案例清单{int(year)}.xlsx",
        data=audited(case_workbook, f"典型案例清单{int(year)}.xlsx"), key="quota_export_cases")

    st.subheader(tr("quota.by_category"))
    verified = pd.DataFrame([{"area": areas.get(number, ""), "category": short_category(number),
                              "n": count} for number, count in by_category.items()])
    if not verified.empty:
        area_column, category_column = st.columns(2)
        for column, field, title in ((area_column, "area", tr("quota.by_area_title")),
                                     (category_column, "category",
                                      tr("quota.by_category_title"))):
            counted = verified.groupby(field, as_index=False)["n"].sum()
            column.altair_chart(alt.Chart(counted, title=title).mark_bar().encode(
                y=alt.Y(f"{field}:N", title=None, sort="-x", axis=alt.Axis(labelLimit=220)),
                x=alt.X("n:Q", title=tr("quota.col.cases"), axis=count_axis)),
                use_container_width=True)

    with st.expander(tr("quota.exempt")), st.form("quota_exempt"):
        names = {r["unit_id"]: r["unit"] for r in rows}
        unit_id = st.selectbox(tr("quota.exempt_unit"), list(names), format_func=names.get)
        checkpoint_days = [date.fromisoformat(c["date"]) for c in rows[0]["checkpoints"]] \
            if rows else []
        checkpoint = st.selectbox(tr("quota.exempt_checkpoint"), checkpoint_days,
                                  format_func=lambda d: format_date(d, lang()))
        reason = st.text_area(tr("quota.exempt_reason"), max_chars=500)
        if st.form_submit_button(tr("quota.exempt_submit")):
            try:
                with db() as session:
                    quotas.exempt_unit(session, actor=me, unit_id=unit_id,
                                       checkpoint=checkpoint, reason=reason)
                flash(tr("quota.exempted", unit=names[unit_id],
                         checkpoint=format_date(checkpoint, lang())))
                st.rerun()
            except PortalError as error:
                show_error(error)

if office:
    with db() as session:
        given = quotas.exemptions(session, actor=me, year=int(year))
    if given:
        st.subheader(tr("rules.quota_exemptions"))
        st.dataframe([{tr("quota.col.unit"): e["unit"],
                       tr("quota.exempt_checkpoint"): format_date(e["checkpoint"], lang()),
                       tr("quota.exempt_reason"): e["reason"],
                       tr("rules.quota_reason"): tr("rules.quota_revoked",
                                                    reason=e["revoke_reason"])
                       if e["revoked"] else ""} for e in given],
                     hide_index=True, use_container_width=True)
    live = [e for e in given if not e["revoked"]]
    if live:
        with st.expander(tr("rules.quota_revoke")), st.form("quota_revoke"):
            pick = st.selectbox(tr("rules.quota_revoke_pick"), range(len(live)),
                                format_func=lambda i: f"{live[i]['unit']}　"
                                f"{format_date(live[i]['checkpoint'], lang())}")
            why = st.text_area(tr("rules.quota_revoke_reason"), max_chars=500)
            if st.form_submit_button(tr("rules.quota_revoke_submit")):
                try:
                    with db() as session:
                        quotas.revoke_exemption(session, actor=me, unit_id=live[pick]["unit_id"],
                                                checkpoint=live[pick]["checkpoint"], reason=why)
                    flash(tr("rules.quota_revoked_done", unit=live[pick]["unit"],
                             checkpoint=format_date(live[pick]["checkpoint"], lang())))
                    st.rerun()
                except PortalError as error:
                    show_error(error)
    link(next(spec for spec in PAGES if spec.script == "pages/transfers.py"))

st.subheader(tr("quota.untrue"))
if untrue:
    st.dataframe([{tr("quota.col.unit"): u["unit"],
                   tr("case.col.category"): short_category(u["category_number"]),
                   tr("selfcheck.campaign"): "、".join(u["quarters"]),
                   tr("detail.title"): "；".join(u["evidence"])} for u in untrue],
                 hide_index=True, use_container_width=True)
else:
    st.caption(tr("quota.untrue_none"))
