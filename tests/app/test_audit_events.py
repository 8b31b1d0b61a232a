"""Downloads and refusals leave audit rows (issue #10, audit)."""

from sqlmodel import select

from portal import audit
from portal.models import AuditEvent, User
from portal.ui import context


def test_a_download_is_audited_when_its_file_is_built(open_page, demo_session):
    open_page("pages/board.py")  # points the pages' engine at the demo database
    build = context.audited(lambda: b"PK...", "典型案例清单2026.xlsx")
    assert not demo_session.exec(select(AuditEvent).where(
        AuditEvent.detail == "典型案例清单2026.xlsx")).first()  # nothing until pressed
    assert build() == b"PK..."
    demo_session.commit()  # a fresh snapshot
    row = demo_session.exec(select(AuditEvent).where(
        AuditEvent.detail == "典型案例清单2026.xlsx")).one()
    assert row.action == "download"
    assert audit.verify(demo_session).ok


def test_a_refused_page_is_audited_with_who_tried(open_page, demo_session):
    app = open_page("pages/admin_users.py", "company")
    assert "您没有权限" in "".join(e.value for e in app.error) or app.error
    company = demo_session.exec(select(User.id).where(User.username == "company")).one()
    demo_session.commit()  # a fresh snapshot
    row = demo_session.exec(select(AuditEvent).where(AuditEvent.action == "refused")
                            .order_by(AuditEvent.id.desc())).first()
    assert row.actor_id == company and row.detail == "guard.forbidden"
