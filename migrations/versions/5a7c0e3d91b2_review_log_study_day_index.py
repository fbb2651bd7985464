"""review log: a covering index for the statistics (answers per study day)

Revision ID: 5a7c0e3d91b2
Revises: 36320f7395c2
Create Date: 2026-12-04 18:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '5a7c0e3d91b2'
down_revision = '36320f7395c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.create_index(
            'ix_review_logs_user_study_day',
            ['user_id', 'study_day', 'undone', 'state_before', 'rating', 'duration_ms'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_index('ix_review_logs_user_study_day')
