"""claim dossier: company facts (SME, location), the 数电票 date, the dossier's digest on a claim

Revision ID: 0010
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('companies', sa.Column('is_sme', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('companies', sa.Column('sme_source', sa.String(200), server_default='', nullable=False))
    op.add_column('companies', sa.Column('sme_checked_on', sa.Date(), nullable=True))
    op.add_column('companies', sa.Column('in_hohhot', sa.Boolean(), server_default=sa.true(), nullable=False))
    op.add_column('invoices', sa.Column('fapiao_issued_on', sa.Date(), nullable=True))
    op.add_column('subsidy_claims', sa.Column('dossier_sha256', sa.String(64), nullable=True))


COLUMNS = (('subsidy_claims', 'dossier_sha256'), ('invoices', 'fapiao_issued_on'), ('companies', 'in_hohhot'),
           ('companies', 'sme_checked_on'), ('companies', 'sme_source'), ('companies', 'is_sme'))


def downgrade() -> None:
    # plain DROP COLUMN (SQLite 3.35+): a batch copy of invoices would break the triggers that freeze them
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column}')
