"""Triage insight (#16): the category suggester's trained models, stored as data; 并案
(a duplicate points at its main report) and links between related reports; 12345 工单
numbers (unique per channel, so re-imports are idempotent), original deadlines and the saved
column mappings per source; the 知识库 entries.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggester_models",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("trained_at", sa.DateTime, nullable=False),
        sa.Column("trained_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("catalogue_year", sa.Integer, nullable=False),
        sa.Column("examples", sa.Integer, nullable=False),
        sa.Column("confirmed", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("merged_into_id", sa.Integer, nullable=True))
        batch.create_foreign_key("fk_reports_merged_into", "reports", ["merged_into_id"], ["id"])
        batch.create_index("ix_reports_merged_into", ["merged_into_id"])
        batch.add_column(sa.Column("external_no", sa.String(40), nullable=True))
        batch.add_column(sa.Column("original_due", sa.Date, nullable=True))
        batch.create_index("ux_reports_channel_external_no", ["channel", "external_no"],
                           unique=True)
    # candidates for duplicates: the same company or filer, near in time
    op.create_index("ix_reports_credit_code_created", "reports", ["credit_code", "created_at"])
    op.create_index("ix_reports_filer_created", "reports", ["filer_user_id", "created_at"])
    op.create_table(
        "report_links",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("other_id", sa.Integer, sa.ForeignKey("reports.id"), primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.CheckConstraint("report_id < other_id", name="ck_report_links_ordered"),
    )
    op.create_index("ix_report_links_other", "report_links", ["other_id"])
    op.create_table(
        "import_mappings",
        sa.Column("source", sa.String(40), primary_key=True),
        sa.Column("mapping", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    )

    op.create_table(
        "kb_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("question", sa.String(500), nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("policy_basis", sa.Text, nullable=False, server_default=""),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=True),
        sa.Column("category_number", sa.Integer, nullable=True),
        sa.Column("valid_from", sa.Date, nullable=True),
        sa.Column("valid_until", sa.Date, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("source_report_id", sa.Integer, sa.ForeignKey("reports.id"), nullable=True),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reviewed_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("reviewed_at", sa.DateTime, nullable=True),
        sa.Column("review_note", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_kb_status_unit", "kb_entries", ["status", "unit_id", "id"])
    op.create_index("ix_kb_status_category", "kb_entries", ["status", "category_number", "id"])


def downgrade() -> None:
    op.drop_table("kb_entries")
    op.drop_table("import_mappings")
    op.drop_index("ix_report_links_other", table_name="report_links")
    op.drop_table("report_links")
    op.drop_index("ix_reports_filer_created", table_name="reports")
    op.drop_index("ix_reports_credit_code_created", table_name="reports")
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ux_reports_channel_external_no")
        batch.drop_column("original_due")
        batch.drop_column("external_no")
        batch.drop_index("ix_reports_merged_into")
        batch.drop_constraint("fk_reports_merged_into", type_="foreignkey")
        batch.drop_column("merged_into_id")
    op.drop_table("suggester_models")
