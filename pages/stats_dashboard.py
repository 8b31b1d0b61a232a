import streamlit as st

from portal import dashboard, stats
from portal.errors import PortalError
from portal.i18n import format_date
from portal.roles import Role
from portal.ui import stats_ui
from portal.ui.context import db_read, lang, show_error, tr
from portal.ui.guard import require_login

me = require_login(Role.SUPERVISOR, Role.DISCIPLINE)

st.title(tr("page.stats_dashboard"))
st.caption(tr("stats.intro"))
start, end = stats_ui.period_picker("stats")
by = st.radio(tr("stats.trend_by"), ("month", "week"), horizontal=True, key="stats_trend_by",
              format_func=lambda k: tr(f"stats.by.{k}"))
try:
    with db_read() as session:
        board = dashboard.office_dashboard(session, actor=me, start=start, end=end, trend_by=by)
except PortalError as error:
    show_error(error)
    st.stop()

st.subheader(tr("stats.district", start=format_date(start, lang()), end=format_date(end, lang())))
stats_ui.kpi_cards(board["total"])
st.caption(tr("stats.footnote", n=5))

stats_ui.table_block(tr("stats.trend"), [{tr("stats.period_start"): r["period"],
                                          **stats_ui.figure_columns(r)} for r in board["trend"]],
                     "stats_trend_xlsx", stats_ui.trend_chart(board["trend"]))

figure = st.selectbox(tr("stats.chart_figure"), (*stats.RATES, *stats.COUNTS), key="stats_figure",
                      format_func=lambda k: tr(f"stats.{k}"))
stats_ui.table_block(tr("stats.units"), stats_ui.sorted_units(board["units"], figure),
                     "stats_units_xlsx", stats_ui.unit_rate_chart(board["units"], figure)
                     if figure in stats.RATES else None)
st.caption(tr("stats.sort_hint", n=stats.MIN_DENOMINATOR))

stats_ui.table_block(tr("stats.areas"), [{tr("stats.area"): r["area"],
                                          **stats_ui.figure_columns(r)} for r in board["areas"]],
                     "stats_areas_xlsx")
stats_ui.table_block(tr("stats.heat"), [{tr("stats.unit"): c["unit"], tr("stats.area"): c["area"],
                                         tr("stats.accepted"): c["accepted"],
                                         tr("stats.closing_rate"): stats_ui.rate_text(
                                             c["closing_rate"])} for c in board["heat"]],
                     "stats_heat_xlsx", stats_ui.heat_chart(board["heat"]))

st.subheader(tr("stats.notices_title"))
for column, kind in zip(st.columns(4), ("reminder", "urging", "supervision", "transfer"),
                        strict=True):
    column.metric(tr(f"notice.kind.{kind}"), board["total"]["notices"][kind])
stats_ui.table_block(tr("stats.notices_by_item"), stats_ui.notice_item_rows(board["notices_by_item"]),
                     "stats_notice_items_xlsx")

stats_ui.table_block(tr("stats.overdue", n=board["red_count"]),
                     stats_ui.report_table(board["overdue"]), "stats_overdue_xlsx")

st.subheader(tr("stats.ledger"))
st.caption(tr("stats.ledger_hint"))
stats_ui.ledger_download(me, start, end)

stats_ui.scoring_section(me)

st.subheader(tr("bulletin.title"))
st.caption(tr("bulletin.contents"))
stats_ui.bulletin_form(me)
