"""报送事项 (#14): the office asks units for a report by a date; one row per addressed unit with
its submission and the office's acceptance or return; the files of both.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _files(name: str, parent: str, parent_table: str) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(parent, sa.Integer, sa.ForeignKey(f"{parent_table}.id"), nullable=False,
                  index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
    )


def upgrade() -> None:
    op.create_table(
        "stage_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(30), nullable=False, unique=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("content", sa.Text, nullable=False, server_default=""),
        sa.Column("due_on", sa.Date, nullable=False, index=True),
        sa.Column("all_units", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )
    _files("stage_request_files", "request_id", "stage_requests")
    op.create_table(
        "stage_reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("stage_requests.id"), nullable=False,
                  index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("due_on", sa.Date, nullable=False, index=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending",
                  index=True),
        sa.Column("content", sa.Text, nullable=False, server_default=""),
        sa.Column("submitted_at", sa.DateTime, nullable=True),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("late", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("review_note", sa.Text, nullable=False, server_default=""),
        sa.UniqueConstraint("request_id", "unit_id"),
    )
    _files("stage_report_files", "stage_report_id", "stage_reports")


def downgrade() -> None:
    op.execute("DELETE FROM notices WHERE item_kind = 'stage_report'")
    op.drop_table("stage_report_files")
    op.drop_table("stage_reports")
    op.drop_table("stage_request_files")
    op.drop_table("stage_requests")
