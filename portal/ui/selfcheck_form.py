"""The quarterly self-check as a form a clerk can fill: one block per category, area by area.

Each field is a widget whose key names the form, the category and the field, so the answers
live in `st.session_state` between reruns and are read back as `RowInput`s for the service.
"""

from datetime import date

import streamlit as st

from portal import cards
from portal.i18n import format_date
from portal.selfcheck import MAX_PROBLEMS, PROGRESS, RISK_LEVELS, RowInput, missing_fields
from portal.ui.context import lang, tr

FIELDS = ("has_problem", "description", "risk", "risk_level", "measure", "department", "person",
          "deadline", "progress")
PROBLEM_FIELDS = FIELDS[1:]  # per problem; 存在/不存在 is answered once per category
BLANK = {"description": "", "risk": "", "risk_level": None, "measure": "", "department": "",
         "person": "", "deadline": None, "progress": "open"}
REQUIRED = ("description", "risk_level", "measure", "person", "deadline")
BADGE_COLOUR = {cards.RED: "red", cards.YELLOW: "orange"}


def _key(form_id: int, number: int, field: str, position: int = 1) -> str:
    """A widget's key; the first problem keeps the plain key of a one-problem category."""
    base = f"selfcheck_{form_id}_{number}_{field}"
    return base if position == 1 else f"{base}_{position}"


def _count_key(form_id: int, number: int) -> str:
    return f"selfcheck_{form_id}_{number}_count"


def _prefix(form_id: int) -> str:
    return f"selfcheck_{form_id}_"


def by_category(rows: list[dict]) -> dict[int, list[dict]]:
    """{category number: its stored rows by position}, in catalogue order."""
    grouped: dict[int, list[dict]] = {}
    for row in rows:
        grouped.setdefault(row["category_number"], []).append(row)
    return grouped


def load(form_id: int, rows: list[dict], *, version: int) -> None:
    """Put the stored answers into the widgets' state, once per loaded version of the form."""
    marker = f"selfcheck_loaded_{form_id}"
    if st.session_state.get(marker) == version:
        return
    forget(form_id)
    for number, members in by_category(rows).items():
        st.session_state[_count_key(form_id, number)] = len(members)
        st.session_state[_key(form_id, number, "has_problem")] = members[0]["has_problem"]
        for row in members:
            for field in PROBLEM_FIELDS:
                value = row[field]
                if field == "risk_level" and value not in RISK_LEVELS:
                    value = None  # the radio shows nothing chosen yet
                st.session_state[_key(form_id, number, field, row["position"])] = value
    st.session_state[marker] = version


def forget(form_id: int) -> None:
    """Drop this form's widget state, so the next `load` shows what is stored."""
    for key in [k for k in st.session_state if str(k).startswith(_prefix(form_id))]:
        del st.session_state[key]
    st.session_state.pop(f"selfcheck_loaded_{form_id}", None)


def _count(form_id: int, number: int, stored: list[dict]) -> int:
    return st.session_state.get(_count_key(form_id, number), len(stored))


def current_rows(form_id: int, rows: list[dict]) -> list[RowInput]:
    """The answers as the clerk has them on screen now: one `RowInput` per problem."""
    state = st.session_state
    result = []
    for number, members in by_category(rows).items():
        has_problem = state.get(_key(form_id, number, "has_problem"), members[0]["has_problem"])
        stored = {r["position"]: r for r in members}
        for position in range(1, _count(form_id, number, members) + 1):
            saved = stored.get(position, BLANK)
            values = {field: state.get(_key(form_id, number, field, position), saved[field])
                      for field in PROBLEM_FIELDS}
            result.append(RowInput(
                category_number=number, position=position, has_problem=has_problem,
                description=values["description"] or "", risk=values["risk"] or "",
                measure=values["measure"] or "", person=values["person"] or "",
                deadline=values["deadline"] if isinstance(values["deadline"], date) else None,
                progress=values["progress"] if values["progress"] in PROGRESS else "open",
                risk_level=values["risk_level"] if values["risk_level"] in RISK_LEVELS else "",
                department=values["department"] or ""))
    return result


def differs(rows: list[dict], on_screen: list[RowInput]) -> bool:
    """Whether the screen holds answers that are not saved yet."""
    stored = {(r["category_number"], r["position"]): r for r in rows}
    if set(stored) != {(r.category_number, r.position) for r in on_screen}:
        return True
    for row in on_screen:
        saved = stored[(row.category_number, row.position)]
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
    areas: dict[str, list[list[dict]]] = {}
    for members in by_category(rows).values():
        areas.setdefault(members[0]["area"], []).append(members)
    on_screen = {(r.category_number, r.position): r for r in current_rows(form_id, rows)}
    labels = []
    for area, categories in areas.items():
        answered = sum(on_screen[(m[0]["category_number"], 1)].has_problem is not None
                       for m in categories)
        flagged = sum(m[0]["category_number"] in errors for m in categories)
        label = tr("selfcheck.area_tab", area=area, answered=answered, total=len(categories))
        labels.append(label + (tr("selfcheck.area_tab_errors", count=flagged) if flagged else ""))
    for tab, categories in zip(st.tabs(labels), areas.values(), strict=True):
        with tab:
            for members in categories:
                number = members[0]["category_number"]
                _category_block(form_id, members, editable=editable, flagged=number in errors,
                                on_screen=on_screen)


def _worst_card(members: list[dict]) -> str | None:
    found = {r["card"] for r in members}
    return cards.RED if cards.RED in found else (cards.YELLOW if cards.YELLOW in found else None)


def _category_block(form_id: int, members: list[dict], *, editable: bool, flagged: bool,
                    on_screen: dict) -> None:
    first = members[0]
    number = first["category_number"]
    with st.container(border=True, key=f"selfcheck_category_{number}"):
        head, badges = st.columns([5, 1])
        head.markdown(f"**{tr('selfcheck.category_head', number=number)}**　{first['category']}")
        if card := _worst_card(members):
            badges.badge(tr(f"card.{card}"), color=BADGE_COLOUR[card])
        st.radio(tr("selfcheck.question"), [True, False], key=_key(form_id, number, "has_problem"),
                 format_func=lambda v: tr("selfcheck.exists") if v else tr("selfcheck.not_exists"),
                 horizontal=True, disabled=not editable)
        answer = st.session_state.get(_key(form_id, number, "has_problem"))
        if answer:
            stored = {r["position"]: r for r in members}
            count = _count(form_id, number, members)
            for position in range(1, count + 1):
                _problem(form_id, number, position, count=count, stored=stored.get(position),
                         editable=editable,
                         missing=missing_fields(on_screen[(number, position)]) if flagged
                         else [])
            if editable and count < MAX_PROBLEMS:
                st.button(tr("selfcheck.add_problem"), icon=":material/add:",
                          key=f"selfcheck_{form_id}_{number}_add", on_click=_add_problem,
                          args=(form_id, number, count))
        if first["review_note"]:
            st.warning(tr("selfcheck.review_note", note=first["review_note"]))
        if flagged and answer is None:
            st.error(tr("selfcheck.row_missing", fields=tr("selfcheck.col.has_problem")))


def _problem(form_id: int, number: int, position: int, *, count: int, stored: dict | None,
             editable: bool, missing: list[str]) -> None:
    """One problem's fields; several problems of a category are numbered and removable."""
    key = lambda field: _key(form_id, number, field, position)  # noqa: E731
    carried = bool(stored and stored["carried"])
    if position > 1:
        st.divider()
    if count > 1 or carried:
        title, side = st.columns([5, 1])
        title.markdown(f"**{tr('selfcheck.problem_head', position=position)}**")
        if carried:
            side.badge(tr("selfcheck.carried_badge", origin=stored["history"]), color="blue")
        elif editable and count > 1:
            side.button(tr("selfcheck.remove_problem", position=position),
                        key=f"selfcheck_{form_id}_{number}_remove_{position}",
                        on_click=_remove_problem, args=(form_id, number, position, count))
    left, right = st.columns(2)
    left.text_area(_required(tr("selfcheck.col.description")), key=key("description"),
                   max_chars=1000, disabled=not editable, height=90)
    right.text_area(_required(tr("selfcheck.col.measure")), key=key("measure"),
                    max_chars=1000, disabled=not editable, height=90)
    risk, level = st.columns([2, 1])
    risk.text_input(tr("selfcheck.col.risk"), key=key("risk"), max_chars=1000,
                    disabled=not editable)
    level.radio(_required(tr("selfcheck.col.risk_level")), RISK_LEVELS, index=None,
                key=key("risk_level"), horizontal=True, disabled=not editable,
                format_func=lambda v: tr(f"rectify.risk.{v}"))
    department, person, deadline, progress = st.columns(4)
    department.text_input(tr("selfcheck.col.department"), key=key("department"),
                          max_chars=40, disabled=not editable)
    person.text_input(_required(tr("selfcheck.col.person")), key=key("person"),
                      max_chars=40, disabled=not editable)
    deadline.date_input(_required(tr("selfcheck.col.deadline")), key=key("deadline"),
                        value=None, format="YYYY/MM/DD", disabled=not editable)
    progress.selectbox(tr("selfcheck.col.progress"), PROGRESS, key=key("progress"),
                       format_func=lambda p: tr(f"selfcheck.progress.{p}"),
                       disabled=not editable)
    if missing:
        st.error(tr("selfcheck.row_missing", fields="、".join(
            tr(f"selfcheck.col.{f}") for f in missing)))


def _add_problem(form_id: int, number: int, count: int) -> None:
    """A further problem in the category, starting blank."""
    for field, value in BLANK.items():
        st.session_state[_key(form_id, number, field, count + 1)] = value
    st.session_state[_count_key(form_id, number)] = count + 1


def _remove_problem(form_id: int, number: int, position: int, count: int) -> None:
    """Drop one problem; the ones after it move up one place (saved with the next save)."""
    state = st.session_state
    for later in range(position, count):
        for field in PROBLEM_FIELDS:
            state[_key(form_id, number, field, later)] = state.get(
                _key(form_id, number, field, later + 1), BLANK[field])
    for field in PROBLEM_FIELDS:
        state.pop(_key(form_id, number, field, count), None)
    state[_count_key(form_id, number)] = count - 1


def _required(label: str) -> str:
    return f"{label} :red[*]"


def document(rows: list[dict]) -> None:
    """A submission read as a document: area, then category, then its problems."""
    areas: dict[str, list[list[dict]]] = {}
    for members in by_category(rows).values():
        areas.setdefault(members[0]["area"], []).append(members)
    for area, categories in areas.items():
        found = [m for m in categories if m[0]["has_problem"]]
        st.markdown(f"#### {area}")
        st.caption(tr("selfcheck.doc_area_line", total=len(categories), found=len(found)))
        for members in found:
            with st.container(border=True):
                first = members[0]
                st.markdown(f"**{tr('selfcheck.category_head', number=first['category_number'])}**"
                            f"　{first['category']}")
                for row in members:
                    _document_problem(row, count=len(members))
        absent = [str(m[0]["category_number"]) for m in categories if m[0]["has_problem"] is False]
        if absent:
            st.caption(tr("selfcheck.doc_absent", numbers="、".join(absent)))


def _document_problem(row: dict, *, count: int) -> None:
    if count > 1:
        st.markdown(f"**{tr('selfcheck.doc_problem_head', position=row['position'], count=count)}**")
    if row["carried"]:
        st.badge(tr("selfcheck.carried_badge", origin=row["history"]), color="blue")
    for field in ("description", "risk", "measure"):
        if row[field]:
            st.caption(tr(f"selfcheck.col.{field}"))
            st.text(row[field])
    if row["risk_level"]:
        st.text(tr("selfcheck.doc_risk_level", level=tr(f"rectify.risk.{row['risk_level']}"),
                   department=row["department"] or "—"))
    st.text(tr("selfcheck.doc_owner", person=row["person"] or "—",
               deadline=format_date(row["deadline"], lang()) if row["deadline"] else "—",
               progress=tr(f"selfcheck.progress.{row['progress']}")))
