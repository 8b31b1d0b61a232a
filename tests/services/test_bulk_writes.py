"""The batch writers of the morning escalation (#17) write what the one-by-one writers wrote:
rows in order with their ids, audit rows chained as if appended singly, and the messages of
many events as `enqueue` makes them for each. Run on SQLite and on PostgreSQL (CI)."""

import itertools
from datetime import datetime

import pytest
from sqlmodel import select

from portal import audit, numbering
from portal.db import bulk_insert, insert_returning_ids
from portal.models import AuditEvent, Unit
from portal.notifications import admin, enqueue
from portal.notifications.outbox import Announcement, enqueue_many
from portal.notifications.tables import InboxMessage, NotificationEvent, OutboxMessage
from portal.roles import Role
from tests.factories import unit_id
from tests.services.test_notifications import monday_morning, people  # noqa: F401


def test_inserted_ids_come_back_in_the_order_of_the_rows(session):
    table = Unit.__table__
    names = [f"批量单位{n:02d}" for n in (5, 1, 4, 2, 3)]
    rows = [{"name": name, "quota_applies": False, "active": True, "sort_order": 900 + i,
             "created_at": datetime(2026, 11, 23)} for i, name in enumerate(names)]
    ids = insert_returning_ids(session, table, rows)
    assert ids == sorted(ids) and len(set(ids)) == 5
    assert [session.get(Unit, unit_id).name for unit_id in ids] == names


def test_bulk_insert_wants_every_column_a_default_would_fill(session):
    with pytest.raises(ValueError, match="created_at"):
        bulk_insert(session, Unit.__table__, [{"name": "缺列单位", "quota_applies": False,
                                               "active": True, "sort_order": 1}])


def test_bulk_insert_stores_dates_times_and_flags_as_the_orm_does(session):
    at = datetime(2026, 11, 23, 9, 30, 0)
    bulk_insert(session, AuditEvent.__table__, [
        {"at": at, "actor_id": None, "action": "test.bulk", "entity": "unit", "entity_id": n,
         "detail": "批量", "prev_hash": "", "row_hash": ""} for n in range(3)])
    stored = session.exec(select(AuditEvent).where(AuditEvent.action == "test.bulk")).all()
    assert [(row.at, row.entity_id, row.detail) for row in stored] == [
        (at, 0, "批量"), (at, 1, "批量"), (at, 2, "批量")]


def test_a_block_of_numbers_follows_the_counter(session):
    assert numbering.next_value(session, "test:block") == 1
    assert numbering.next_block(session, "test:block", 5) == 2  # 2 … 6 are this batch's
    assert numbering.next_value(session, "test:block") == 7
    assert numbering.next_block(session, "test:new", 3) == 1


def test_audit_rows_written_together_chain_like_rows_written_one_by_one(session):
    audit.record(session, actor=None, action="test.single", entity="unit", entity_id=1)
    audit.record_many(session, actor=None, events=[
        ("test.many", "unit", n, f"第{n}条") for n in range(1, 4)])
    audit.record(session, actor=None, action="test.single", entity="unit", entity_id=2)
    session.commit()
    assert audit.verify(session).ok
    rows = session.exec(select(AuditEvent).where(AuditEvent.action.startswith("test."))
                        .order_by(AuditEvent.id)).all()
    assert [row.action for row in rows] == ["test.single", *["test.many"] * 3, "test.single"]
    assert all(later.prev_hash == earlier.row_hash for earlier, later in itertools.pairwise(rows))


def messages_of(session, event_id):
    letters = session.exec(select(InboxMessage.user_id, InboxMessage.subject, InboxMessage.body)
                           .where(InboxMessage.event_id == event_id)
                           .order_by(InboxMessage.user_id)).all()
    sent = session.exec(select(OutboxMessage.channel, OutboxMessage.address,
                               OutboxMessage.body)
                        .where(OutboxMessage.event_id == event_id)
                        .order_by(OutboxMessage.channel, OutboxMessage.address)).all()
    return sorted(letters), sorted(sent)


def test_a_batch_of_events_gives_the_messages_enqueue_gives_each(session, people):  # noqa: F811
    admin.save_webhook(session, actor=people["admin"], unit_id=unit_id(session, "区发改局"),
                       kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=x")
    contexts = [({"tracking_no": f"YS2026-{n:04d}", "title": f"事项{n}", "unit": "区发改局",
                  "deadline": "2026年11月26日", "link": "http://x/inbox", "notice_title": "提醒单",
                  "number": f"提醒〔2026〕{n}号", "deadline_text": ""},
                 {"区发改局", "区住建局"} if n == 2 else {"区发改局"}) for n in (1, 2)]
    singles = [enqueue(session, event="notice_issued", context=context,
                       units=[unit_id(session, name) for name in names])
               for context, names in contexts]
    before = max(singles)
    enqueue_many(session, event="notice_issued", announcements=[
        Announcement(context, units=frozenset(unit_id(session, name) for name in names))
        for context, names in contexts])
    enqueue_many(session, event="transfer_letter", announcements=[
        Announcement(contexts[0][0], roles=frozenset({Role.DISCIPLINE}))])
    batch = session.exec(select(NotificationEvent.id).where(NotificationEvent.id > before)
                         .order_by(NotificationEvent.id)).all()
    assert len(batch) == 3
    for single, batched in zip(singles, batch[:2], strict=True):
        assert messages_of(session, batched) == messages_of(session, single)
        assert messages_of(session, single)[0]  # letters were written at all
    discipline_letters, _ = messages_of(session, batch[2])
    assert [user_id for user_id, *_ in discipline_letters] == [people["discipline"].user_id]
