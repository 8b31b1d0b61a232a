"""Rules the offices are judged by (#11): office deadlines, notices discharged by the action they
demand, return requests, every rating its own record, official calendar years, revocable
exemptions and per-year quota units.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("office_due", sa.Date, nullable=True))
        batch.add_column(sa.Column("clock_start", sa.Date, nullable=True))
        batch.add_column(sa.Column("due_window", sa.Integer, nullable=True))
        batch.add_column(sa.Column("reply_outcome", sa.String(16), nullable=True))
        batch.create_index("ix_reports_clock_start", ["clock_start"])
    with op.batch_alter_table("notices") as batch:
        batch.add_column(sa.Column("demands", sa.String(16), nullable=True))
        batch.add_column(sa.Column("settled_by", sa.String(20), nullable=True))
        batch.add_column(sa.Column("overdue_calendar_days", sa.Integer, nullable=False,
                                   server_default="0"))
    with op.batch_alter_table("quota_exemptions") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime, nullable=True))
        batch.add_column(sa.Column("revoked_by_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("revoke_reason", sa.Text, nullable=False,
                                   server_default=""))
    op.create_table(
        "report_return_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False,
                  index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("requested_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("office_due", sa.Date, nullable=True),
        sa.Column("decision", sa.String(16), nullable=True, index=True),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
        sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
        sa.Column("new_unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
    )
    op.create_table(
        "report_ratings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False,
                  index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True, index=True),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("rating", sa.String(16), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "calendar_years",
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("official", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("marked_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("marked_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "unit_quota_years",
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("applies", sa.Boolean, nullable=False),
    )
    sla = sa.table("sla_windows", sa.column("name", sa.String),
                   sa.column("working_days", sa.Integer), sa.column("label", sa.String))
    op.bulk_insert(sla, [
        {"name": "intake", "working_days": 1, "label": "营商办受理分办、处理退回申请时限（工作日）"},
        {"name": "followup", "working_days": 3, "label": "答复后未评价转入回访（工作日）"},
        {"name": "close_unrated", "working_days": 10, "label": "答复后仍未评价按已办结（未评价）结案（工作日）"},
    ])
    # Earlier ratings become records; the clocks of open reports start at their last assignment
    # or reopening; reports waiting for the office get a deadline from their filing day.
    op.execute("INSERT INTO report_ratings (report_id, unit_id, round, at, actor_id, channel, "
               "rating, comment) SELECT report_id, unit_id, 0, at, actor_id, 'web', "
               "SUBSTR(action, 6), note FROM report_events WHERE action LIKE 'rate_%'")
    op.execute("UPDATE reports SET clock_start = (SELECT MAX(DATE(e.at)) FROM report_events e "
               "WHERE e.report_id = reports.id AND e.action IN ('assign', 'rate_unsatisfied')) "
               "WHERE status IN ('assigned', 'acknowledged', 'reopened')")
    op.execute("UPDATE reports SET clock_start = DATE(created_at) "
               "WHERE status IN ('submitted', 'returned')")
    op.execute("UPDATE reports SET office_due = current_date WHERE status IN ('submitted', "
               "'returned')")
    op.execute("UPDATE reports SET current_due = office_due WHERE status IN ('submitted', "
               "'returned')")


def downgrade() -> None:
    op.execute("DELETE FROM sla_windows WHERE name IN ('intake', 'followup', 'close_unrated')")
    for table in ("unit_quota_years", "calendar_years", "report_ratings",
                  "report_return_requests"):
        op.drop_table(table)
    with op.batch_alter_table("quota_exemptions") as batch:
        for column in ("revoke_reason", "revoked_by_id", "revoked_at"):
            batch.drop_column(column)
    with op.batch_alter_table("notices") as batch:
        for column in ("overdue_calendar_days", "settled_by", "demands"):
            batch.drop_column(column)
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_clock_start")
        for column in ("reply_outcome", "due_window", "clock_start", "office_due"):
            batch.drop_column(column)
