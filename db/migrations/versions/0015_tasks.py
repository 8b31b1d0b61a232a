"""The key-task ledger (重点任务清单, #14): tasks with lead and responsible units, progress reports
the office accepts or returns, and their evidence files.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(20), nullable=False, unique=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False, server_default=""),
        sa.Column("area", sa.String(40), nullable=False, server_default=""),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False, index=True),
        sa.Column("recurring", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("cadence", sa.String(16), nullable=False, server_default="monthly"),
        sa.Column("indicator", sa.Text, nullable=False, server_default=""),
        sa.Column("source", sa.String(200), nullable=False, server_default=""),
        sa.Column("other_parties", sa.String(200), nullable=False, server_default=""),
        sa.Column("next_report_due", sa.Date, nullable=True, index=True),
        sa.Column("percent", sa.Integer, nullable=False, server_default="0"),
        sa.Column("done_on", sa.Date, nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "key_task_units",
        sa.Column("task_id", sa.Integer, sa.ForeignKey("key_tasks.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), primary_key=True,
                  index=True),
        sa.Column("role", sa.String(16), nullable=False),
    )
    op.create_table(
        "key_task_progress",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("key_tasks.id"), nullable=False,
                  index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False),
        sa.Column("period_due", sa.Date, nullable=True),
        sa.Column("next_due_before", sa.Date, nullable=True),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("percent", sa.Integer, nullable=False),
        sa.Column("problems", sa.Text, nullable=False, server_default=""),
        sa.Column("evidence", sa.Text, nullable=False, server_default=""),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("review_note", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "key_task_progress_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("progress_id", sa.Integer, sa.ForeignKey("key_task_progress.id"),
                  nullable=False, index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("key_task_progress_files")
    op.drop_table("key_task_progress")
    op.drop_table("key_task_units")
    op.drop_table("key_tasks")
