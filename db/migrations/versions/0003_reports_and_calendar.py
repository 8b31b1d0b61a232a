"""Reports from companies and citizens, their events and attachments; calendar overrides,
SLA windows, numbering sequences; company details on accounts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("is_working_day", sa.Boolean, nullable=False),
        sa.Column("note", sa.String(100), nullable=False, server_default=""),
    )
    op.create_table(
        "sla_windows",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("working_days", sa.Integer, nullable=False),
        sa.Column("label", sa.String(60), nullable=False),
    )
    sla = sa.table("sla_windows", sa.column("name", sa.String),
                   sa.column("working_days", sa.Integer), sa.column("label", sa.String))
    op.bulk_insert(sla, [
        {"name": "respond", "working_days": 1, "label": "责任单位响应时限（工作日）"},
        {"name": "reply", "working_days": 5, "label": "责任单位答复办结时限（工作日）"},
        {"name": "reopen", "working_days": 5, "label": "差评整改重新办理时限（工作日）"},
    ])
    op.create_table(
        "sequences",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.Integer, nullable=False),
    )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("company_name", sa.String(100), nullable=True))
        batch.add_column(sa.Column("credit_code", sa.String(18), nullable=True))
        batch.add_column(sa.Column("mobile", sa.String(11), nullable=True))
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("tracking_no", sa.String(20), nullable=False, unique=True),
        sa.Column("query_code_hash", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("concerned_unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
        sa.Column("category_id", sa.Integer, sa.ForeignKey("categories.id"), nullable=True),
        sa.Column("occurred_on", sa.Date, nullable=True),
        sa.Column("place", sa.String(100), nullable=False, server_default=""),
        sa.Column("anonymous", sa.Boolean, nullable=False),
        sa.Column("contact_name", sa.String(40), nullable=True),
        sa.Column("contact_mobile", sa.String(11), nullable=True),
        sa.Column("company_name", sa.String(100), nullable=True),
        sa.Column("credit_code", sa.String(18), nullable=True),
        sa.Column("confidential", sa.Boolean, nullable=False),
        sa.Column("filer_user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True,
                  index=True),
        sa.Column("entered_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
        sa.Column("respond_due", sa.Date, nullable=True),
        sa.Column("reply_due", sa.Date, nullable=True),
        sa.Column("deadline_estimated", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("responded_at", sa.DateTime, nullable=True),
        sa.Column("replied_at", sa.DateTime, nullable=True),
        sa.Column("rating", sa.String(16), nullable=True),
        sa.Column("reopen_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_unit_status", "reports", ["unit_id", "status"])
    op.create_table(
        "report_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False,
                  index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("from_status", sa.String(16), nullable=True),
        sa.Column("to_status", sa.String(16), nullable=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("note_public", sa.Boolean, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=False,
                  index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("attachments", "report_events", "reports", "sequences", "sla_windows",
                  "calendar_overrides"):
        op.drop_table(table)
    with op.batch_alter_table("users") as batch:
        batch.drop_column("mobile")
        batch.drop_column("credit_code")
        batch.drop_column("company_name")
