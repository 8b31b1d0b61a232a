import streamlit as st

from portal import board, clock, stats
from portal.i18n import format_date
from portal.ui import stats_ui
from portal.ui.context import db_read, lang, tr
from portal.ui.report_view import category_label
from portal.ui.text import plain, show_text

st.title(tr("page.board"))
st.caption(tr("board.intro"))
today = clock.today()
left, right = st.columns(2)
year = left.selectbox(tr("board.year"), list(range(today.year, today.year - 5, -1)),
                      key="board_year")
month = right.selectbox(tr("board.month"), [None, *range(1, 13)], key="board_month",
                        format_func=lambda m: tr("board.whole_year") if m is None
                        else tr("board.month_n", n=m), placeholder=tr("board.whole_year"))
with db_read() as session:
    figures = board.period_board(session, year=int(year), month=month)


def ratio(figure: dict) -> str:
    return f"{figure['num']}/{figure['den']}" if figure["den"] else "—"


total = figures["total"]
st.subheader(tr("board.district"))
cards = st.columns(5)
cards[0].metric(tr("board.col.accepted"), total["accepted"])
for column, name in zip(cards[1:4], board.BOARD_RATES, strict=True):
    stats_ui.rate_card(column, tr(f"stats.{name}"), total[name])
cards[4].metric(tr("board.col.selfcheck"), ratio(total["selfcheck"]))
st.caption(tr("board.quota_total", met=total["quota_met"], units=total["quota_units"]))
st.dataframe([{tr("board.col.unit"): u["unit"], tr("board.col.accepted"): u["accepted"],
               **{tr(f"stats.{name}"): stats.rate_label(u[name]) for name in board.BOARD_RATES},
               tr("board.col.selfcheck"): ratio(u["selfcheck"]),
               tr("board.col.quota"): u["quota"] or tr("board.quota_none")}
              for u in figures["units"]], hide_index=True, use_container_width=True)
st.caption(tr("stats.footnote", n=stats.MIN_DENOMINATOR))
st.subheader(tr("board.exposed"))
if not figures["cases"]:
    st.info(tr("case.none"))
for item in figures["cases"]:
    concluded = format_date(item["concluded_on"], lang()) if item["concluded_on"] else ""
    category = category_label(item["category_number"], item["category_text"], width=24)
    st.markdown(f"**{plain(item['unit'])}**　{plain(category)}　{concluded}")
    show_text(item["public_summary"])
