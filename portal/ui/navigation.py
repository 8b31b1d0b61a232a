"""Which pages exist and who may see them; app.py builds `st.navigation` from this table."""

from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from portal.roles import Actor, Role
from portal.ui.context import tr

PUBLIC = "public"  # everyone, logged in or not
ANONYMOUS = "anonymous"  # only when logged out
SIGNED_IN = "signed_in"  # any logged-in account


@dataclass(frozen=True)
class PageSpec:
    script: str
    title_key: str
    icon: str
    section: str
    audience: str | frozenset[Role]

    def visible_to(self, actor: Actor | None) -> bool:
        if self.audience == PUBLIC:
            return True
        if self.audience == ANONYMOUS:
            return actor is None
        if self.audience == SIGNED_IN:
            return actor is not None
        return actor is not None and actor.has(*self.audience)


ADMIN = frozenset({Role.ADMIN})

PAGES = (
    PageSpec("pages/portal_home.py", "page.portal_home", ":material/account_balance:",
             "nav.public", ANONYMOUS),
    PageSpec("pages/home.py", "page.home", ":material/home:", "nav.account", SIGNED_IN),
    PageSpec("pages/login.py", "page.login", ":material/login:", "nav.account", ANONYMOUS),
    PageSpec("pages/register.py", "page.register", ":material/domain_add:", "nav.account",
             ANONYMOUS),
    PageSpec("pages/my_reports.py", "page.my_reports", ":material/inbox:", "nav.account",
             frozenset({Role.COMPANY})),
    PageSpec("pages/intake.py", "page.intake", ":material/move_to_inbox:", "nav.reports",
             frozenset({Role.SUPERVISOR, Role.DISCIPLINE})),
    PageSpec("pages/intake_entry.py", "page.intake_entry", ":material/call:", "nav.reports",
             frozenset({Role.SUPERVISOR})),
    PageSpec("pages/return_requests.py", "page.return_requests", ":material/undo:",
             "nav.reports", frozenset({Role.SUPERVISOR})),
    PageSpec("pages/followup.py", "page.followup", ":material/phone_callback:", "nav.reports",
             frozenset({Role.SUPERVISOR})),
    PageSpec("pages/import_12345.py", "page.import_12345", ":material/upload_file:",
             "nav.reports", frozenset({Role.SUPERVISOR})),
    PageSpec("pages/knowledge.py", "page.knowledge", ":material/menu_book:", "nav.reports",
             frozenset({Role.SUPERVISOR, Role.ADMIN, Role.UNIT, Role.DISCIPLINE})),
    PageSpec("pages/transfers.py", "page.transfers", ":material/gavel:", "nav.reports",
             frozenset({Role.DISCIPLINE})),
    PageSpec("pages/unit_reports.py", "page.unit_reports", ":material/assignment:",
             "nav.reports", frozenset({Role.UNIT})),
    PageSpec("pages/my_tasks.py", "page.my_tasks", ":material/task_alt:", "nav.tasks",
             frozenset({Role.UNIT})),
    PageSpec("pages/tasks.py", "page.tasks", ":material/view_timeline:", "nav.tasks",
             frozenset({Role.SUPERVISOR, Role.ADMIN})),
    PageSpec("pages/my_stage_reports.py", "page.my_stage_reports", ":material/outbox:",
             "nav.tasks", frozenset({Role.UNIT})),
    PageSpec("pages/stage_reports.py", "page.stage_reports", ":material/assignment_turned_in:",
             "nav.tasks", frozenset({Role.SUPERVISOR, Role.ADMIN})),
    PageSpec("pages/my_rectify.py", "page.my_rectify", ":material/build_circle:", "nav.tasks",
             frozenset({Role.UNIT})),
    PageSpec("pages/rectify.py", "page.rectify", ":material/checklist_rtl:", "nav.tasks",
             frozenset({Role.SUPERVISOR, Role.ADMIN})),
    PageSpec("pages/selfcheck.py", "page.selfcheck", ":material/fact_check:", "nav.selfcheck",
             frozenset({Role.UNIT})),
    PageSpec("pages/selfcheck_review.py", "page.selfcheck_review", ":material/rule:",
             "nav.selfcheck", frozenset({Role.SUPERVISOR, Role.DISCIPLINE})),
    PageSpec("pages/cases.py", "page.cases", ":material/folder_shared:", "nav.discipline",
             frozenset({Role.UNIT, Role.DISCIPLINE})),
    PageSpec("pages/quota_dashboard.py", "page.quota_dashboard", ":material/monitoring:",
             "nav.discipline", frozenset({Role.DISCIPLINE, Role.SUPERVISOR})),
    PageSpec("pages/stats_dashboard.py", "page.stats_dashboard", ":material/analytics:",
             "nav.discipline", frozenset({Role.SUPERVISOR, Role.DISCIPLINE})),
    PageSpec("pages/dispatch.py", "page.dispatch", ":material/today:", "nav.reports",
             frozenset({Role.SUPERVISOR, Role.DISCIPLINE})),
    PageSpec("pages/report.py", "page.report", ":material/edit_note:", "nav.public", PUBLIC),
    PageSpec("pages/track.py", "page.track", ":material/search:", "nav.public", PUBLIC),
    PageSpec("pages/faq.py", "page.faq", ":material/quiz:", "nav.public", PUBLIC),
    PageSpec("pages/board.py", "page.board", ":material/leaderboard:", "nav.public", PUBLIC),
    PageSpec("pages/account.py", "page.account", ":material/key:", "nav.account", SIGNED_IN),
    PageSpec("pages/inbox.py", "page.inbox", ":material/notifications:", "nav.account",
             SIGNED_IN),
    PageSpec("pages/admin_users.py", "page.admin_users", ":material/group:", "nav.admin", ADMIN),
    PageSpec("pages/admin_units.py", "page.admin_units", ":material/apartment:", "nav.admin",
             ADMIN),
    PageSpec("pages/admin_catalogue.py", "page.admin_catalogue", ":material/list:", "nav.admin",
             ADMIN),
    PageSpec("pages/admin_calendar.py", "page.admin_calendar", ":material/calendar_month:",
             "nav.admin", ADMIN),
    PageSpec("pages/admin_quotas.py", "page.admin_quotas", ":material/flag:", "nav.admin",
             ADMIN),
    PageSpec("pages/admin_scoring.py", "page.admin_scoring", ":material/scoreboard:",
             "nav.admin", ADMIN),
    PageSpec("pages/admin_audit.py", "page.admin_audit", ":material/history:", "nav.admin",
             ADMIN),
    PageSpec("pages/admin_notifications.py", "page.admin_notifications", ":material/campaign:",
             "nav.admin", ADMIN),
)

SECTION_ORDER = ("nav.account", "nav.reports", "nav.selfcheck", "nav.tasks", "nav.discipline",
                 "nav.public", "nav.admin")


def visible_pages(actor: Actor | None) -> list[PageSpec]:
    return [spec for spec in PAGES if spec.visible_to(actor)]


def build(actor: Actor | None) -> dict[str, list]:
    """Sections of `st.Page`s for `st.navigation`; the first page is the default."""
    sections: dict[str, list] = {}
    # Visitors who are not logged in start at the portal home, staff at their workbench.
    order = SECTION_ORDER if actor is not None else ("nav.public", *SECTION_ORDER)
    for section in dict.fromkeys(order):
        pages = [st.Page(spec.script, title=tr(spec.title_key), icon=spec.icon,
                         url_path=spec.script.removeprefix("pages/").removesuffix(".py"))
                 for spec in visible_pages(actor) if spec.section == section]
        if pages:
            sections[tr(section)] = pages
    return sections


def link(spec: PageSpec) -> None:
    """A link to a page; a plain URL when the page runs outside `st.navigation` (legacy, tests)."""
    try:
        st.page_link(spec.script, label=tr(spec.title_key), icon=spec.icon)
    except StreamlitPageNotFoundError:
        url_path = spec.script.removeprefix("pages/").removesuffix(".py")
        st.markdown(f"- [{tr(spec.title_key)}](/{url_path})")


def action_link(script: str, label: str, icon: str, *, query: dict | None = None) -> None:
    """A large link to a page (with query parameters); a plain URL outside `st.navigation`."""
    try:
        st.page_link(script, label=label, icon=icon, query_params=query, width="stretch")
    except StreamlitPageNotFoundError:
        url_path = script.removeprefix("pages/").removesuffix(".py")
        suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
        st.markdown(f"[{label}](/{url_path}{suffix})")
