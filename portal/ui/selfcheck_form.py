"""The quarterly self-check as a form a clerk can fill: one block per category, area by area.

Each field is a widget whose key names the form, the category and the field, so the answers
live in `st.session_state` between reruns and are read back as `RowInput`s for the service.
"""

from datetime import date

import streamlit as st

from portal import cards
from portal.i18n import format_date
from portal.selfcheck import PROGRESS, RISK_LEVELS, RowInput
from portal.ui.context import lang, tr

FIELDS = ("has_problem", "description", "risk", "risk_level", "measure", "department", "person",
          "deadline", "progress")
REQUIRED = ("description", "risk_level", "measure", "person", "deadline")
BADGE_COLOUR = {cards.RED: "red", cards.YELLOW: "orange"}


def _key(form_id: int, number: int, field: str) -> str:
    return f"selfcheck_{form_id}_{number}_{field}"


def _prefix(form_id: int) -> str:
    return f"selfcheck_{form_id}_"


def load(form_id: int, rows: list[dict], *, version: int) -> None:
    """Put the stored answers into the widgets' state, once per loaded version of the form."""
    marker = f"selfcheck_loaded_{form_id}"
    if st.session_state.get(marker) == version:
        return
    forget(form_id)
    for row in rows:
        for field in FIELDS:
            value = row[field]
            if field == "risk_level" and value not in RISK_LEVELS:
                value = None  # the radio shows nothing chosen yet
            st.session_state[_key(form_id, row["category_number"], field)] = value
    st.session_state[marker] = version


def forget(form_id: int) -> None:
    """Drop this form's widget state, so the next `load` shows what is stored."""
    for key in [k for k in st.session_state if str(k).startswith(_prefix(form_id))]:
        del st.session_state[key]
    st.session_state.pop(f"selfcheck_loaded_{form_id}", None)


def current_rows(form_id: int, rows: list[dict]) -> list[RowInput]:
    """The answers as the clerk has them on screen now."""
    state = st.session_state
    result = []
    for row in rows:
        number = row["category_number"]
        values = {field: state.get(_key(form_id, number, field), row[field]) for field in FIELDS}
        result.append(RowInput(
            category_number=number, has_problem=values["has_problem"],
            description=values["description"] or "", risk=values["risk"] or "",
            measure=values["measure"] or "", person=values["person"] or "",
            deadline=values["deadline"] if isinstance(values["deadline"], date) else None,
            progress=values["progress"] if values["progress"] in PROGRESS else "open",
            risk_level=values["risk_level"] if values["risk_level"] in RISK_LEVELS else "",
            department=values["department"] or ""))
    return result


def differs(rows: list[dict], on_screen: list[RowInput]) -> bool:
    """Whether the screen holds answers that are not saved yet."""
    stored = {r["category_number"]: r for r in rows}
    for row in on_screen:
        saved = stored[row.category_number]
        if any((getattr(row, f) or None) != (saved[f] or None) for f in FIELDS
               if f not in ("has_problem", "progress")):
            return True
        if row.has_problem != saved["has_problem"] or row.progress != saved["progress"]:
            return True
    return False


def carried_notice(rows: list[dict]) -> None:
    """Problems carried over from an earlier quarter, named at the top of the form."""
    carried = [r for r in rows if r["carried"]]
    if carried:
        st.warning(tr("selfcheck.carried_intro", count=len(carried)) + "\n\n" + "\n".join(
            "- " + tr("selfcheck.carried_item", number=r["category_number"],
                      category=r["category"], origin=r["history"],
                      progress=tr(f"selfcheck.progress.{r['progress']}"))
            for r in carried))


def render(form_id: int, rows: list[dict], *, editable: bool,
           errors: dict[int, list[str]]) -> None:
    """The 5 areas as tabs; in each, one bordered block per category."""
    areas: dict[str, list[dict]] = {}
    for row in rows:
        areas.setdefault(row["area"], []).append(row)
    on_screen = {r.category_number: r for r in current_rows(form_id, rows)}
    labels = []
    for area, members in areas.items():
        answered = sum(on_screen[r["category_number"]].has_problem is not None for r in members)
        flagged = sum(r["category_number"] in errors for r in members)
        label = tr("selfcheck.area_tab", area=area, answered=answered, total=len(members))
        labels.append(label + (tr("selfcheck.area_tab_errors", count=flagged) if flagged else ""))
    for tab, members in zip(st.tabs(labels), areas.values(), strict=True):
        with tab:
            for row in members:
                _category_block(form_id, row, editable=editable,
                                missing=errors.get(row["category_number"], []))


def _category_block(form_id: int, row: dict, *, editable: bool, missing: list[str]) -> None:
    number = row["category_number"]
    key = lambda field: _key(form_id, number, field)  # noqa: E731
    with st.container(border=True, key=f"selfcheck_category_{number}"):
        head, badges = st.columns([5, 1])
        head.markdown(f"**{tr('selfcheck.category_head', number=number)}**　{row['category']}")
        if row["card"]:
            badges.badge(tr(f"card.{row['card']}"), color=BADGE_COLOUR[row["card"]])
        if row["carried"]:
            badges.badge(tr("selfcheck.carried_badge", origin=row["history"]), color="blue")
        st.radio(tr("selfcheck.question"), [True, False], key=key("has_problem"),
                 format_func=lambda v: tr("selfcheck.exists") if v else tr("selfcheck.not_exists"),
                 horizontal=True, disabled=not editable)
        if st.session_state.get(key("has_problem")):
            left, right = st.columns(2)
            left.text_area(_required(tr("selfcheck.col.description")), key=key("description"),
                           max_chars=1000, disabled=not editable, height=90)
            right.text_area(_required(tr("selfcheck.col.measure")), key=key("measure"),
                            max_chars=1000, disabled=not editable, height=90)
            risk, level = st.columns([2, 1])
            risk.text_input(tr("selfcheck.col.risk"), key=key("risk"), max_chars=1000,
                            disabled=not editable)
            level.radio(_required(tr("selfcheck.col.risk_level")), RISK_LEVELS,
                        key=key("risk_level"), horizontal=True, disabled=not editable,
                        format_func=lambda v: tr(f"rectify.risk.{v}"))
            department, person, deadline, progress = st.columns(4)
            department.text_input(tr("selfcheck.col.department"), key=key("department"),
                                  max_chars=40, disabled=not editable)
            person.text_input(_required(tr("selfcheck.col.person")), key=key("person"),
                              max_chars=40, disabled=not editable)
            deadline.date_input(_required(tr("selfcheck.col.deadline")), key=key("deadline"),
                                format="YYYY/MM/DD", disabled=not editable)
            progress.selectbox(tr("selfcheck.col.progress"), PROGRESS, key=key("progress"),
                               format_func=lambda p: tr(f"selfcheck.progress.{p}"),
                               disabled=not editable)
        if row["review_note"]:
            st.warning(tr("selfcheck.review_note", note=row["review_note"]))
        if missing:
            st.error(tr("selfcheck.row_missing", fields="、".join(
                tr("selfcheck.col.has_problem") if f == "has_problem" else tr(f"selfcheck.col.{f}")
                for f in missing)))


def _required(label: str) -> str:
    return f"{label} :red[*]"


def document(rows: list[dict]) -> None:
    """A submission read as a document: area, then category, then its problem."""
    areas: dict[str, list[dict]] = {}
    for row in rows:
        areas.setdefault(row["area"], []).append(row)
    for area, members in areas.items():
        found = [r for r in members if r["has_problem"]]
        st.markdown(f"#### {area}")
        st.caption(tr("selfcheck.doc_area_line", total=len(members), found=len(found)))
        for row in found:
            with st.container(border=True):
                st.markdown(f"**{tr('selfcheck.category_head', number=row['category_number'])}**"
                            f"　{row['category']}")
                if row["carried"]:
                    st.badge(tr("selfcheck.carried_badge", origin=row["history"]), color="blue")
                for field in ("description", "risk", "measure"):
                    if row[field]:
                        st.caption(tr(f"selfcheck.col.{field}"))
                        st.text(row[field])
                if row["risk_level"]:
                    st.text(tr("selfcheck.doc_risk_level",
                               level=tr(f"rectify.risk.{row['risk_level']}"),
                               department=row["department"] or "—"))
                st.text(tr("selfcheck.doc_owner", person=row["person"] or "—",
                           deadline=format_date(row["deadline"], lang())
                           if row["deadline"] else "—",
                           progress=tr(f"selfcheck.progress.{row['progress']}")))
        absent = [str(r["category_number"]) for r in members if r["has_problem"] is False]
        if absent:
            st.caption(tr("selfcheck.doc_absent", numbers="、".join(absent)))
