"""entry search columns

Revision ID: 0d415cbf5d2c
Revises: e1eb67b88f90
Create Date: 2026-11-21 06:05:14.215198

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0d415cbf5d2c'
down_revision = 'e1eb67b88f90'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get "" until `decks load` fills them in (it compares these columns too).
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_pinyin', sa.String(length=255), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('search_numbered', sa.String(length=255), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_entries_search_pinyin'), ['search_pinyin'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    # Existing rows get "" until `decks load` fills them in (it compares these columns too).
    with op.batch_alter_table('entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_entries_search_pinyin'))
        batch_op.drop_column('search_numbered')
        batch_op.drop_column('search_pinyin')

    # ### end Alembic commands ###
