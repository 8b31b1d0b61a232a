"""The escalation ladder (三单一函): notices, their SLA windows, and each report's current deadline.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("number", sa.String(30), nullable=False, unique=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False,
                  index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("issued_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("issued_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("overdue_days", sa.Integer, nullable=False),
        sa.Column("deadline", sa.Date, nullable=True),
        sa.Column("deadline_estimated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("complied", sa.Boolean, nullable=True),
        sa.Column("settled_at", sa.DateTime, nullable=True),
        sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("withdrawn_reason", sa.Text, nullable=False, server_default=""),
        sa.Column("withdrawn_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    op.create_index("ix_notices_kind_withdrawn", "notices", ["kind", "withdrawn"])
    sla = sa.table("sla_windows", sa.column("name", sa.String),
                   sa.column("working_days", sa.Integer), sa.column("label", sa.String))
    op.bulk_insert(sla, [
        {"name": "reminder", "working_days": 2, "label": "提醒单整改期限（工作日）"},
        {"name": "urging", "working_days": 2, "label": "催办单落实期限（工作日）"},
        {"name": "supervision", "working_days": 3, "label": "督办单办结期限（工作日）"},
    ])
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("current_due", sa.Date, nullable=True))
        batch.create_index("ix_reports_current_due", ["current_due"])
    op.execute("UPDATE reports SET current_due = CASE "
               "WHEN status = 'assigned' AND responded_at IS NULL THEN respond_due "
               "WHEN status IN ('assigned', 'acknowledged', 'reopened') THEN reply_due "
               "ELSE NULL END")


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_current_due")
        batch.drop_column("current_due")
    op.execute("DELETE FROM sla_windows WHERE name IN ('reminder', 'urging', 'supervision')")
    op.drop_table("notices")
