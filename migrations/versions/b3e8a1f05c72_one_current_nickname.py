"""nicknames: at most one current nickname per learner (a partial unique index); older duplicates left by
two picks at once stop being current (the newest stays)

Revision ID: b3e8a1f05c72
Revises: 7d1f0c9e4a21
Create Date: 2026-12-05 05:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b3e8a1f05c72"
down_revision = "7d1f0c9e4a21"
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        sa.text(
            "UPDATE nicknames SET current = false WHERE current AND id < "
            "(SELECT max(newer.id) FROM nicknames AS newer WHERE newer.user_id = nicknames.user_id "
            "AND newer.current)"
        )
    )
    op.create_index(
        "uq_nicknames_one_current",
        "nicknames",
        ["user_id"],
        unique=True,
        sqlite_where=sa.text("current"),
        postgresql_where=sa.text("current"),
    )


def downgrade():
    op.drop_index("uq_nicknames_one_current", table_name="nicknames")
