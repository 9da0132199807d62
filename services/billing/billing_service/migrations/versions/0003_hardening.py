"""one active plan per account; payment links count declines

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "uq_one_active_plan_per_account",
        "payment_plans",
        ["account_id"],
        unique=True,
        sqlite_where=sa.text("status = 'active'"),
        postgresql_where=sa.text("status = 'active'"),
    )
    with op.batch_alter_table("payment_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declined_count", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("payment_links", schema=None) as batch_op:
        batch_op.drop_column("declined_count")
    op.drop_index("uq_one_active_plan_per_account", table_name="payment_plans")
