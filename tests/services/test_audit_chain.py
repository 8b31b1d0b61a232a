"""The audit log is append-only and hash-chained: a hand edit is found and named."""

from sqlalchemy import text
from sqlmodel import select

from portal import audit, reports
from portal.models import AuditEvent, Report
from portal.roles import Role
from tests.factories import make_user
from tests.services.test_reports import valid_input


def add_rows(session, n=3):
    admin = make_user(session, Role.ADMIN)
    for i in range(n):
        audit.record(session, actor=admin, action="test.change", entity="unit", entity_id=i,
                     detail=f"第 {i} 次修改")
    session.commit()
    return list(session.exec(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_every_row_carries_the_hash_of_the_row_before(session):
    ids = add_rows(session)
    rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.row_hash and len(after.row_hash) == 64
    result = audit.verify(session)
    assert result.ok and result.count == len(ids)


def test_a_hand_edited_row_is_named(session):
    ids = add_rows(session)
    session.exec(text("UPDATE audit_events SET detail = '改过' WHERE id = :id"),
                 params={"id": ids[-2]})
    session.expire_all()
    result = audit.verify(session)
    assert not result.ok and result.broken_id == ids[-2]


def test_a_deleted_row_breaks_the_chain_at_the_next_one(session):
    ids = add_rows(session)
    session.exec(text("DELETE FROM audit_events WHERE id = :id"), params={"id": ids[-2]})
    session.expire_all()
    result = audit.verify(session)
    assert not result.ok and result.broken_id == ids[-1]


def test_deleting_the_newest_row_is_caught_by_the_chain_head(session):
    ids = add_rows(session)
    session.exec(text("DELETE FROM audit_events WHERE id = :id"), params={"id": ids[-1]})
    session.expire_all()
    result = audit.verify(session)
    assert not result.ok and result.reason == "head"


def test_an_anonymous_filing_is_audited_without_the_filers_identity(session):
    company = make_user(session, Role.COMPANY)
    for actor, data in ((None, valid_input(anonymous=True)), (None, valid_input()),
                        (company, valid_input(anonymous=True))):
        filed = reports.file_report(session, actor=actor, data=data)
        row = session.exec(select(AuditEvent).where(AuditEvent.action == "report.file",
                                                    AuditEvent.entity_id == filed.report_id)
                           ).one()
        assert row.actor_id is None and row.detail == "channel=web"
    details = " ".join(session.exec(select(AuditEvent.detail)).all())
    report = session.get(Report, filed.report_id)
    assert "赵强" not in details and "13912345678" not in details
    assert report.company_name is None and "恒达" not in details


def test_every_step_of_a_report_is_chained_naming_staff_and_never_the_filer(session):
    from portal import report_flow
    from portal.report_types import Rating
    from tests.factories import unit_id

    supervisor, unit = make_user(session, Role.SUPERVISOR), make_user(session, Role.UNIT)
    company = make_user(session, Role.COMPANY)
    filed = reports.file_report(session, actor=company, data=valid_input())
    report_flow.assign(session, actor=supervisor, report_id=filed.report_id,
                       unit_id=unit_id(session), category_number=None)
    report_flow.reply(session, actor=unit, report_id=filed.report_id, result="已办结",
                      outcome="resolved")
    report_flow.rate_as_owner(session, actor=company, report_id=filed.report_id,
                              rating=Rating.SATISFIED)
    rows = session.exec(select(AuditEvent.action, AuditEvent.actor_id).where(
        AuditEvent.entity == "report", AuditEvent.entity_id == filed.report_id)
        .order_by(AuditEvent.id)).all()
    assert [tuple(r) for r in rows] == [
        ("report.file", None), ("report.assign", supervisor.user_id),
        ("report.reply", unit.user_id), ("report.rate_satisfied", None)]
    assert audit.verify(session).ok
