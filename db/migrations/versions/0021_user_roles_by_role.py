"""#17: the holders of a role are found by an index (the office's messages on every filing,
the discipline office's on every 移交函), not by reading every account's roles — 100,000
company accounts made each filing 4 ms slower.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_user_roles_role", "user_roles", ["role", "user_id"])


def downgrade() -> None:
    op.drop_index("ix_user_roles_role", table_name="user_roles")
