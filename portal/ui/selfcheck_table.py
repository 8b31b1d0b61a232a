"""The 32-row self-check grid: form rows <-> the editor's table, with labels in one place."""

import pandas as pd
import streamlit as st

from portal import cards
from portal.selfcheck import RowInput
from portal.ui.context import tr

COLUMNS = ("card", "number", "area", "category", "has_problem", "description", "risk",
           "measure", "person", "deadline", "progress", "carried")
CARD_MARK = {cards.RED: "🔴", cards.YELLOW: "🟡"}
PROGRESS = ("open", "in_progress", "done")


def _labels() -> dict[str, str]:
    return {name: tr("card.col") if name == "card" else tr(f"selfcheck.col.{name}")
            for name in COLUMNS}


def _card(which: str | None) -> str:
    return f"{CARD_MARK[which]} {tr('card.' + which)}" if which else ""


def to_frame(rows: list[dict]) -> pd.DataFrame:
    yes, no = tr("selfcheck.exists"), tr("selfcheck.not_exists")
    labels = _labels()
    data = [{labels["card"]: _card(r["card"]), labels["number"]: r["category_number"], labels["area"]: r["area"],
             labels["category"]: r["category"],
             labels["has_problem"]: {True: yes, False: no, None: ""}[r["has_problem"]],
             labels["description"]: r["description"], labels["risk"]: r["risk"],
             labels["measure"]: r["measure"], labels["person"]: r["person"],
             labels["deadline"]: r["deadline"],
             labels["progress"]: tr(f"selfcheck.progress.{r['progress']}"),
             labels["carried"]: r["history"] if r["carried"] else ""} for r in rows]
    frame = pd.DataFrame(data)
    frame[labels["deadline"]] = pd.to_datetime(frame[labels["deadline"]]).dt.date
    return frame


def from_frame(frame: pd.DataFrame) -> list[RowInput]:
    labels = _labels()
    yes, no = tr("selfcheck.exists"), tr("selfcheck.not_exists")
    progress = {tr(f"selfcheck.progress.{p}"): p for p in PROGRESS}
    rows = []
    for record in frame.to_dict("records"):
        deadline = record[labels["deadline"]]
        rows.append(RowInput(
            category_number=int(record[labels["number"]]),
            has_problem={yes: True, no: False}.get(record[labels["has_problem"]]),
            description=_text(record[labels["description"]]), risk=_text(record[labels["risk"]]),
            measure=_text(record[labels["measure"]]), person=_text(record[labels["person"]]),
            deadline=None if deadline is None or pd.isna(deadline) else pd.Timestamp(
                deadline).date(),
            progress=progress.get(record[labels["progress"]], "open")))
    return rows


def _text(value: object) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def editor(frame: pd.DataFrame, *, key: str, disabled: bool) -> pd.DataFrame:
    labels = _labels()
    yes, no = tr("selfcheck.exists"), tr("selfcheck.not_exists")
    config = {
        labels["card"]: st.column_config.TextColumn(width="small"),
        labels["number"]: st.column_config.NumberColumn(width="small"),
        labels["area"]: st.column_config.TextColumn(width="small"),
        labels["category"]: st.column_config.TextColumn(width="large"),
        labels["has_problem"]: st.column_config.SelectboxColumn(options=[yes, no]),
        labels["description"]: st.column_config.TextColumn(max_chars=1000, width="medium"),
        labels["risk"]: st.column_config.TextColumn(max_chars=1000),
        labels["measure"]: st.column_config.TextColumn(max_chars=1000, width="medium"),
        labels["person"]: st.column_config.TextColumn(max_chars=40),
        labels["deadline"]: st.column_config.DateColumn(format="YYYY-MM-DD"),
        labels["progress"]: st.column_config.SelectboxColumn(
            options=[tr(f"selfcheck.progress.{p}") for p in PROGRESS]),
        labels["carried"]: st.column_config.TextColumn(),
    }
    locked = [labels["card"], labels["number"], labels["area"], labels["category"],
              labels["carried"]]
    return st.data_editor(frame, key=key, hide_index=True, use_container_width=True,
                          num_rows="fixed", column_config=config,
                          disabled=True if disabled else locked, height=800)
