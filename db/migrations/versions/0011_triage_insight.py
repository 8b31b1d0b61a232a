"""Triage insight (#16): the category suggester's trained models, stored as data.

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
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


def downgrade() -> None:
    op.drop_table("suggester_models")
