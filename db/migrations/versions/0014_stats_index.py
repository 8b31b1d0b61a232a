"""Indexes for the offices' figures (#13), measured with scripts/benchmark.py at 1,000,000 reports.

- `ix_reports_figures`: `portal/stats.py` selects `merged_into_id IS NULL AND accepted_on BETWEEN …`
  and reads only these columns. Leading with `merged_into_id` lets that equality and the range on
  `accepted_on` both seek into this one index, so SQLite (with or without ANALYZE statistics) no
  longer walks the reports through `ix_reports_merged_into` or `ix_reports_unit_status`; the
  trailing columns make it covering, so the table rows themselves are never read.
- `ix_report_events_action_at`: 不予受理 counts the period's `reject` events, which otherwise
  means reading every event.
- `ix_notices_issued_on`: the period's notices by kind and unit, likewise without a full scan.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_reports_figures": ("reports", [
        "merged_into_id", "accepted_on", "unit_id", "status", "respond_due", "responded_at",
        "first_reply_due", "first_replied_at", "reply_outcome", "category_id"]),
    "ix_report_events_action_at": ("report_events", ["action", "at", "report_id"]),
    "ix_notices_issued_on": ("notices", ["issued_on", "withdrawn", "unit_id", "kind",
                                         "report_id"]),
}


def upgrade() -> None:
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
