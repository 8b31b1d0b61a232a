"""Category hints for the filer and the triage form, and the office's retrain button."""

import streamlit as st

from portal import suggest
from portal.errors import PortalError
from portal.i18n import format_datetime
from portal.roles import Actor
from portal.ui.context import db, lang, show_error, tr
from portal.ui.widgets import flash

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
