"""review log: why an answer sent from an offline device was not applied (kept in the history, undone)

Revision ID: 7d1f0c9e4a21
Revises: 5d2565106786
Create Date: 2026-12-10 10:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "7d1f0c9e4a21"
down_revision = "5d2565106786"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_applied", sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_column("not_applied")
