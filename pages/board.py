import streamlit as st

from portal import board
from portal.i18n import format_date
from portal.ui.context import db, lang, tr
from portal.ui.text import plain, show_text

st.title(tr("page.board"))
st.caption(tr("board.intro"))
with db() as session:
    figures = board.public_board(session)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


st.dataframe([{tr("board.col.unit"): f["unit"], tr("board.col.accepted"): f["accepted"],
               tr("board.col.closed"): f["closed"],
               tr("board.col.close_rate"): percent(f["close_rate"]),
               tr("board.col.satisfaction"): percent(f["satisfaction"])}
              for f in figures["units"]], hide_index=True, use_container_width=True)
st.subheader(tr("board.exposed"))
if not figures["cases"]:
    st.info(tr("case.none"))
for item in figures["cases"]:
    concluded = format_date(item["concluded_on"], lang()) if item["concluded_on"] else ""
    st.markdown(f"**{plain(item['unit'])}**　{tr('case.col.category')} {item['category_number']}　"
                f"{concluded}")
    show_text(item["public_summary"])
