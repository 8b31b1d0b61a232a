"""Security: login and tracking throttles in the database; a hash-chained audit log.

`throttles` counts failures per (scope, key): an account, a client (a keyed hash of what
identifies the browser, never a raw address) or a tracking number. Audit rows get the hash
of the previous row and their own; `audit_chain` holds the head (last id, last hash, count),
the row writers lock so that concurrent writers never fork the chain. Existing rows are
chained here in id order.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def _row_hash(prev: str, at, actor_id, action, entity, entity_id, detail) -> str:  # noqa: ANN001
    # The same canonical form as portal.audit.row_hash (kept here so the migration is frozen).
    content = json.dumps([prev, at.isoformat(sep=" "), actor_id, action, entity, entity_id,
                          detail], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.create_table(
        "throttles",
        sa.Column("scope", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_failure_at", sa.DateTime, nullable=True),
        sa.Column("locked_until", sa.DateTime, nullable=True),
    )
    op.create_index("ix_throttles_last_failure_at", "throttles", ["last_failure_at"])
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(64), nullable=False,
                                            server_default=""))
    op.add_column("audit_events", sa.Column("row_hash", sa.String(64), nullable=False,
                                            server_default=""))
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("last_id", sa.Integer, nullable=True),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
    )
    events = sa.table("audit_events", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                      sa.column("actor_id", sa.Integer), sa.column("action", sa.String),
                      sa.column("entity", sa.String), sa.column("entity_id", sa.Integer),
                      sa.column("detail", sa.String), sa.column("prev_hash", sa.String),
                      sa.column("row_hash", sa.String))
    bind = op.get_bind()
    prev, last_id, count = GENESIS, None, 0
    rows = bind.execute(sa.select(events.c.id, events.c.at, events.c.actor_id, events.c.action,
                                  events.c.entity, events.c.entity_id, events.c.detail)
                        .order_by(events.c.id)).all()
    for row in rows:
        own = _row_hash(prev, row.at, row.actor_id, row.action, row.entity, row.entity_id,
                        row.detail)
        bind.execute(events.update().where(events.c.id == row.id)
                     .values(prev_hash=prev, row_hash=own))
        prev, last_id, count = own, row.id, count + 1
    chain = sa.table("audit_chain", sa.column("id", sa.Integer), sa.column("last_id", sa.Integer),
                     sa.column("last_hash", sa.String), sa.column("count", sa.Integer))
    bind.execute(chain.insert().values(id=1, last_id=last_id, last_hash=prev, count=count))


def downgrade() -> None:
    op.drop_table("audit_chain")
    with op.batch_alter_table("audit_events") as batch:
        batch.drop_column("row_hash")
        batch.drop_column("prev_hash")
    op.drop_table("throttles")
