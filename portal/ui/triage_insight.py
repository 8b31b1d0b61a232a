"""Category hints for the filer and the triage form, the office's retrain button, and the
duplicates panel (并案, related links) of a report's detail."""

import streamlit as st

from portal import duplicates, suggest
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.roles import Actor, Role
from portal.ui.context import db, lang, show_error, tr
from portal.ui.widgets import act, ask_to_confirm, flash

MIN_TEXT = 6  # below this a suggestion is a guess from nothing


def _suggestions(title: str, description: str) -> list[suggest.Suggestion]:
    text = suggest.report_text(title or "", description or "").strip("。 ")
    if len(text) < MIN_TEXT:
        return []
    with db() as session:
        return suggest.suggest(session, text=text)


def _line(item: suggest.Suggestion) -> str:
    words = "、".join(item.words) or "—"
    return tr("triage.suggest_line", number=item.number, text=item.text, words=words,
              score=round(item.score * 100))


def _pick(key: str, number: int) -> None:
    st.session_state[key] = number


def category_hint(prefix: str, *, category_key: str) -> None:
    """Under the filing form's category: when the filer picked 不清楚, the three likely ones."""
    state = st.session_state
    if state.get(category_key) is not None:
        return
    found = _suggestions(state.get(f"{prefix}_title", ""), state.get(f"{prefix}_description", ""))
    if not found:
        return
    with st.container(border=True):
        st.caption(tr("triage.hint_intro"))
        for item in found:
            st.text(_line(item))
            st.button(tr("triage.use_category", number=item.number),
                      key=f"{prefix}_use_category_{item.number}", on_click=_pick,
                      args=(category_key, item.number))


def triage_suggestions(view) -> int | None:  # noqa: ANN001
    """In the triage form: the three likely categories; returns the first for preselection."""
    found = _suggestions(view.title, view.description)
    if not found:
        return None
    st.markdown(f"**{tr('triage.suggest_title')}**")
    for item in found:
        st.text(_line(item))
    return found[0].number


def train_panel(actor: Actor) -> None:
    """When the suggester was last trained, and a button to retrain it now."""
    with db() as session:
        info = suggest.latest_training(session)
    with st.expander(tr("triage.model_title")):
        if info:
            st.caption(tr("triage.model_info", at=format_datetime(info["trained_at"], lang()),
                          examples=info["examples"], confirmed=info["confirmed"]))
        else:
            st.caption(tr("triage.model_untrained"))
        if st.button(tr("triage.retrain"), key="triage_retrain"):
            try:
                with st.spinner(tr("triage.retraining")):
                    with db() as session:
                        trained = suggest.train(session, actor=actor)
                flash(tr("triage.retrained", confirmed=trained.confirmed,
                         seconds=round(trained.seconds, 1)))
                st.rerun()
            except PortalError as error:
                show_error(error)


def _brief(items: list[dict]) -> str:
    return "、".join(f"{i['tracking_no']} {i['title']}" for i in items)


def similar_table(found: list[duplicates.Similar]) -> None:
    def why(s: duplicates.Similar) -> str:
        parts = [tr("triage.reason.text", score=s.text_score)]
        return "，".join(parts + [tr(f"triage.reason.{r}") for r in s.reasons])

    st.dataframe([{tr("queue.col.no"): s.tracking_no, tr("queue.col.title"): s.title,
                   tr("queue.col.status"): tr(f"status.{s.status}"),
                   tr("queue.col.unit"): s.unit or "",
                   tr("queue.col.created"): format_datetime(s.created_at, lang()),
                   tr("triage.col.score"): s.score, tr("triage.col.reasons"): why(s)}
                  for s in found], hide_index=True, use_container_width=True)


def similar_after_filing(actor: Actor, report_id: int) -> None:
    """On the office's entry page, right after a report is entered: earlier look-alikes."""
    with db() as session:
        found = duplicates.similar_reports(session, actor=actor, report_id=report_id)
    if found:
        st.markdown(f"**{tr('triage.similar_title')}**")
        similar_table(found)


def merged_notice(actor: Actor, view) -> bool:  # noqa: ANN001
    """Say that the report follows a main report; True when it does (no own actions then)."""
    with db() as session:
        main = duplicates.merged_into(session, actor=actor, report_id=view.id)
    if main is None:
        return False
    st.info(tr("triage.merged_into", no=main["tracking_no"], title=main["title"]))
    return True


def duplicates_panel(prefix: str, actor: Actor, view, *, merged: bool) -> None:  # noqa: ANN001
    """For the office: the merge group, related reports, and similar earlier reports."""
    if not actor.has(Role.SUPERVISOR, Role.DISCIPLINE):
        return
    with db() as session:
        group = duplicates.group(session, actor=actor, report_id=view.id)
        found = [] if merged else duplicates.similar_reports(session, actor=actor,
                                                              report_id=view.id)
    boss = actor.has(Role.SUPERVISOR)
    if group["duplicates"]:
        st.caption(tr("triage.duplicates", items=_brief(group["duplicates"])))
    if group["related"]:
        st.caption(tr("triage.related", items=_brief(group["related"])))
    if merged and boss:
        with st.form(f"{prefix}_unmerge_{view.id}", clear_on_submit=True):
            reason = st.text_input(tr("triage.unmerge_reason"), key=f"{prefix}_unmerge_reason")
            if st.form_submit_button(tr("triage.unmerge")):
                act(lambda s: duplicates.unmerge(s, actor=actor, duplicate_id=view.id,
                                                  reason=reason),
                     tr("uirep.unmerged", no=view.tracking_no))
    if boss and group["related"]:
        related = {r["id"]: r for r in group["related"]}
        left, right = st.columns([3, 1])
        chosen = left.selectbox(tr("triage.unlink_pick"), list(related),
                                format_func=lambda i: related[i]["tracking_no"],
                                key=f"{prefix}_unlink_pick")
        if right.button(tr("triage.unlink"), key=f"{prefix}_unlink"):
            act(lambda s: duplicates.unlink(s, actor=actor, report_id=view.id,
                                             other_id=chosen),
                 tr("uirep.unlinked", no=view.tracking_no, other=related[chosen]["tracking_no"]))
    if merged:
        return
    st.markdown(f"**{tr('triage.similar_title')}**")
    if not found:
        st.caption(tr("triage.similar_none", days=duplicates.WINDOW_DAYS))
        return
    similar_table(found)
    if not boss:
        return
    by_id = {s.report_id: s for s in found}
    chosen = st.selectbox(tr("triage.pick_similar"), list(by_id), key=f"{prefix}_similar_pick",
                          format_func=lambda i: f"{by_id[i].tracking_no}　{by_id[i].title}")
    left, right = st.columns(2)
    other = by_id[chosen].tracking_no
    if left.button(tr("triage.merge"), key=f"{prefix}_merge"):
        ask_to_confirm(tr("uirep.ask_merge", no=view.tracking_no, main=other),
                       lambda s: duplicates.merge(s, actor=actor, duplicate_id=view.id,
                                                  main_id=chosen),
                       tr("uirep.merged", no=view.tracking_no, main=other))
    if right.button(tr("triage.link"), key=f"{prefix}_link"):
        act(lambda s: duplicates.link(s, actor=actor, report_id=view.id, other_id=chosen),
             tr("uirep.linked", no=view.tracking_no, other=other))
