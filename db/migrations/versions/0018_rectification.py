"""The rectification ledger (整改台账, #14): 风险等级, 责任科室 and the 销号 state of a self-check
problem, the problem's identity across quarters (origin_id), and the units' evidence with files.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("selfcheck_rows") as batch:
        batch.add_column(sa.Column("origin_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("risk_level", sa.String(8), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("department", sa.String(40), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("rectify_status", sa.String(16), nullable=False,
                                   server_default="open"))
        batch.add_column(sa.Column("closed_on", sa.Date, nullable=True))
        batch.create_index("ix_selfcheck_rows_origin_id", ["origin_id"])
    # a carried row's origin is its source's origin (or the source itself); chains are short
    op.execute("UPDATE selfcheck_rows SET origin_id = carried_from_id "
               "WHERE carried_from_id IS NOT NULL")
    for _ in range(50):
        changed = op.get_bind().execute(sa.text(
            "UPDATE selfcheck_rows SET origin_id = (SELECT s.origin_id FROM selfcheck_rows s "
            "WHERE s.id = selfcheck_rows.origin_id) WHERE origin_id IS NOT NULL AND EXISTS "
            "(SELECT 1 FROM selfcheck_rows s WHERE s.id = selfcheck_rows.origin_id "
            "AND s.origin_id IS NOT NULL)")).rowcount
        if not changed:
            break
    op.execute("UPDATE selfcheck_rows SET rectify_status = 'closed' "
               "WHERE has_problem IS TRUE AND progress = 'done'")
    op.create_table(
        "rectification_evidence",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("row_id", sa.Integer, sa.ForeignKey("selfcheck_rows.id"), nullable=False,
                  index=True),
        sa.Column("problem_id", sa.Integer, nullable=False, index=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("units.id"), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("submitted_at", sa.DateTime, nullable=False),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("decided_at", sa.DateTime, nullable=True),
    )
    op.create_table(
        "rectification_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("evidence_id", sa.Integer, sa.ForeignKey("rectification_evidence.id"),
                  nullable=False, index=True),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(40), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.execute("DELETE FROM notices WHERE item_kind = 'problem'")
    op.drop_table("rectification_files")
    op.drop_table("rectification_evidence")
    with op.batch_alter_table("selfcheck_rows") as batch:
        batch.drop_index("ix_selfcheck_rows_origin_id")
        batch.drop_column("closed_on")
        batch.drop_column("rectify_status")
        batch.drop_column("department")
        batch.drop_column("risk_level")
        batch.drop_column("origin_id")
