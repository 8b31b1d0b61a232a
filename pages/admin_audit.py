import streamlit as st

from portal import audit
from portal.i18n import MESSAGES, format_datetime
from portal.roles import Role
from portal.ui.audit_text import action_label, detail_text, entity_label
from portal.ui.context import db, lang, tr
from portal.ui.guard import require_login
from portal.ui.widgets import current_page, pager

me = require_login(Role.ADMIN)
PAGE_SIZE = 50

st.title(tr("page.admin_audit"))
admin_tab, reports_tab = st.tabs([tr("audit.tab_admin"), tr("audit.tab_reports")])
with admin_tab:
    with db() as session:
        events, total = audit.list_events(session, actor=me, page=current_page("audit_page"),
                                          page_size=PAGE_SIZE)
    st.dataframe(
        [{tr("audit.col.at"): format_datetime(e["at"], lang()), tr("audit.col.actor"): e["actor"],
          tr("audit.col.action"): action_label(e["action"]),
          tr("audit.col.entity"): entity_label(e["entity"], e["entity_id"]),
          tr("audit.col.detail"): detail_text(e["detail"])} for e in events],
        hide_index=True, use_container_width=True,
    )
    pager(total=total, page_size=PAGE_SIZE, key="audit_page")
def status(code: str | None) -> str:
    """A status by its Chinese name, never its code."""
    return tr(f"status.{code}") if code else "—"


def step(action: str) -> str:
    """A report step by its Chinese name where the catalogue has one."""
    key = f"event.{action}"
    return action if key not in MESSAGES else tr(key, unit="").replace("  ", " ").strip()


with reports_tab:
    with db() as session:
        steps, total = audit.list_report_events(session, actor=me,
                                                page=current_page("audit_report_page"),
                                                page_size=PAGE_SIZE)
    st.dataframe(
        [{tr("audit.col.at"): format_datetime(e["at"], lang()), tr("audit.col.actor"): e["actor"],
          tr("queue.col.no"): e["tracking_no"],
          tr("audit.col.action"): step(e["action"]),
          tr("audit.col.change"): f"{status(e['from'])} → {status(e['to'])}",
          tr("audit.col.detail"): e["note"]} for e in steps],
        hide_index=True, use_container_width=True,
    )
    pager(total=total, page_size=PAGE_SIZE, key="audit_report_page")
