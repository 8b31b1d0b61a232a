"""Small widgets pages share."""

import html
import json
import math
from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from portal.errors import FormInvalid, PortalError
from portal.ui.context import db, show_error, show_form_errors, tr
from portal.ui.text import plain


def current_page(key: str) -> int:
    """The page the pager below the list last chose (1 before it was ever touched)."""
    return int(st.session_state.get(key, 1))


def pager(*, total: int, page_size: int, key: str) -> None:
    """A page number input with an 'N in all' caption, rendered below its list."""
    pages = max(1, math.ceil(total / page_size))
    if current_page(key) > pages:
        st.session_state[key] = pages
    left, right = st.columns([1, 4])
    page = left.number_input(tr("pager.page"), min_value=1, max_value=pages, step=1, key=key)
    right.caption(tr("pager.total", total=total, page=page, pages=pages))


def rate_text(value: float | None) -> str:
    """A rate as 97.5%, or — when there is nothing to divide."""
    return "—" if value is None else f"{value:.1%}"


def yes_no(value: bool) -> str:
    return tr("common.yes") if value else tr("common.no")


def flash(message: str) -> None:
    """Keep a success message across reruns until the next action replaces it."""
    st.session_state["_flash"] = (st.session_state.get("_page"), message)


def show_flash() -> None:
    """The last action's confirmation, on the page where it happened; gone elsewhere."""
    stored = st.session_state.get("_flash")
    if not stored:
        return
    page, message = stored
    if page != st.session_state.get("_page"):
        del st.session_state["_flash"]
        return
    st.success(plain(message))  # may name a title, a unit or a file: shown as its characters


CONFIRM_KEY = "_confirm"


def act(call: Callable[[Session], object], say: str | Callable[[object], str]) -> None:
    """Run one service call in its own transaction, then say what it did (a text, or made from
    the call's result while its session is open) and rerun; a refusal is shown instead."""
    try:
        with db() as session:
            result = call(session)
            message = say(result) if callable(say) else say
    except FormInvalid as invalid:
        show_form_errors(invalid)
        return
    except PortalError as error:
        show_error(error)
        return
    flash(message)
    st.rerun()


def ask_to_confirm(question: str, call: Callable[[Session], object],
                   done: str | Callable[[object], str] | None) -> None:
    """Ask in a dialog before a bulk or irreversible action; `done` is said after it ran
    (or made from what the call returned, while its session is still open).

    The question is kept in the session so the dialog survives reruns until 确认 or 取消.
    """
    st.session_state[CONFIRM_KEY] = {"page": st.session_state.get("_page"),
                                     "question": question, "call": call, "done": done}
    st.rerun()


def pending_confirmation() -> None:
    """Show the dialog of a pending question on the page that asked it; run on 确认."""
    pending = st.session_state.get(CONFIRM_KEY)
    if not pending:
        return
    if pending["page"] != st.session_state.get("_page"):
        del st.session_state[CONFIRM_KEY]
        return
    st.dialog(tr("common.confirm_title"), on_dismiss=_drop_confirmation)(_confirm_body)(pending)


def _drop_confirmation() -> None:
    st.session_state.pop(CONFIRM_KEY, None)


def _confirm_body(pending: dict) -> None:
    st.text(pending["question"])  # names user text (titles, reasons): never Markdown
    yes, no = st.columns(2)
    if yes.button(tr("common.confirm"), type="primary", key="confirm_yes"):
        try:
            with db() as session:
                result = pending["call"](session)
                done = pending["done"]
                message = done(result) if callable(done) else done
        except PortalError as error:
            show_error(error)
            return
        _drop_confirmation()
        if message:  # None: the page itself reports (e.g. a long run with a progress bar)
            flash(message)
        st.rerun(scope="app")
    if no.button(tr("common.cancel"), key="confirm_no"):
        _drop_confirmation()
        st.rerun(scope="app")


def copy_button(text: str, *, label: str, done: str, failed: str) -> None:
    """A button that copies `text`, also on phones (clipboard API, else a selected textarea)."""
    payload = {name: json.dumps(value).replace("<", "\\u003c")
               for name, value in (("text", text), ("done", done), ("failed", failed))}
    st.html(f"""
<div class="copy-box">
  <button type="button" class="copy-button" style="font-size:1rem;padding:0.5rem 1.2rem;
    border-radius:0.5rem;border:1px solid #c00;background:#fff;color:#c00;cursor:pointer"
  >{html.escape(label)}</button>
  <span class="copy-state" style="margin-left:0.8rem;color:#2e7d32"></span>
</div>
<script>
(() => {{
  const box = document.currentScript.previousElementSibling;
  const state = box.querySelector('.copy-state');
  box.querySelector('.copy-button').addEventListener('click', async () => {{
    const text = {payload["text"]};
    let ok = false;
    try {{ await navigator.clipboard.writeText(text); ok = true; }} catch (error) {{
      const area = document.createElement('textarea');
      area.value = text; area.setAttribute('readonly', ''); area.style.position = 'fixed';
      area.style.opacity = '0'; document.body.appendChild(area);
      area.select(); area.setSelectionRange(0, text.length);
      try {{ ok = document.execCommand('copy'); }} catch (ignored) {{ ok = false; }}
      document.body.removeChild(area);
    }}
    state.textContent = ok ? {payload["done"]} : {payload["failed"]};
  }});
}})();
</script>""", unsafe_allow_javascript=True)


CARD_COLOURS = {"red": "background-color:#c62828;color:#ffffff;font-weight:bold",
                "yellow": "background-color:#f9a825;color:#000000;font-weight:bold"}


def card_styled(records: list[dict], column: str):  # noqa: ANN201
    """The rows as a table whose card column is a red or yellow cell: no emoji font needed."""
    import pandas as pd  # only where a table is drawn

    colours = {tr(f"card.{name}"): style for name, style in CARD_COLOURS.items()}
    frame = pd.DataFrame(records)
    if column not in frame.columns:
        return frame
    return frame.style.map(lambda value: colours.get(value, ""), subset=[column])


def card_badge(card: str | None) -> None:
    """A report's card outside tables, as a coloured badge."""
    if card:
        st.badge(tr(f"card.{card}"), color="red" if card == "red" else "orange")


ROW_PX = 35  # st.dataframe's row (and header) height


def pick_row(table, ids: list, *, key: str) -> object | None:  # noqa: ANN001
    """A table whose rows the user selects to open a record; the id of the open record.

    The chosen id is remembered, so the record stays open across reruns and after an action
    refreshes the list, as long as it is still listed; the highlighted row follows it.
    """
    remembered, seen = f"{key}__open", f"{key}__seen"
    rows = list((st.session_state.get(key) or {}).get("selection", {}).get("rows", []))
    if rows != st.session_state.get(seen, []):  # the user clicked a row (or cleared it)
        st.session_state[remembered] = ids[rows[0]] if rows and rows[0] < len(ids) else None
    chosen = st.session_state.get(remembered)
    wanted = [ids.index(chosen)] if chosen in ids else []
    if wanted != rows:
        st.session_state[key] = {"selection": {"rows": wanted, "columns": []}}
    st.session_state[seen] = wanted
    st.dataframe(table, on_select="rerun", selection_mode="single-row", key=key,
                 hide_index=True, use_container_width=True,
                 height=ROW_PX * (len(ids) + 1) + 3)  # the whole page of rows, no inner scroll
    return chosen if chosen in ids else None
