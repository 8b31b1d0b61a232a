"""The forecast section of the discipline dashboard."""

from datetime import date

import streamlit as st

from portal import quota_forecast
from portal.i18n import format_date
from portal.roles import Actor
from portal.ui.context import db_read, lang, tr


def render(actor: Actor, *, year: int, on) -> None:  # noqa: ANN001
    with db_read() as session:
        result = quota_forecast.forecast(session, actor=actor, year=year, on=on)
    st.subheader(tr("forecast.title"))
    st.caption(tr("forecast.intro", days=result["elapsed_days"]))
    if result["will_miss_next"]:
        st.warning(tr("forecast.will_miss", units="、".join(
            tr("forecast.miss_item", unit=m["unit"], date=m["checkpoint"],
               projected=m["projected_cases"], required=m["required_cases"])
            for m in result["will_miss_next"])))
    else:
        st.success(tr("forecast.all_on_track"))

    def cell(mark: dict) -> str:
        state = tr("forecast.counted") if mark["past"] else tr("forecast.projected")
        flag = tr("forecast.ok") if mark["on_track"] else tr("forecast.short")
        return (f"{state} {mark['projected_cases']:g}/{mark['required_cases']}，"
                f"{tr('forecast.sanctioned')} {mark['projected_sanctioned']:g}/"
                f"{mark['required_sanctioned']}（{flag}）")

    st.dataframe([{tr("quota.col.unit"): u["unit"],
                   **{tr("quota.col.checkpoint", date=format_date(date.fromisoformat(m["date"]), lang())): cell(m)
                      for m in u["checkpoints"]}} for u in result["units"]],
                 hide_index=True, use_container_width=True)
