"""Small widgets pages share."""

import html
import json
import math
from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from portal.errors import PortalError
from portal.ui.context import db, show_error, tr


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
    st.success(message)


CONFIRM_KEY = "_confirm"


def ask_to_confirm(question: str, call: Callable[[Session], object], done: str) -> None:
    """Ask in a dialog before a bulk or irreversible action; `done` is said after it ran.

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
    st.write(pending["question"])
    yes, no = st.columns(2)
    if yes.button(tr("common.confirm"), type="primary", key="confirm_yes"):
        try:
            with db() as session:
                pending["call"](session)
        except PortalError as error:
            show_error(error)
            return
        _drop_confirmation()
        flash(pending["done"])
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
