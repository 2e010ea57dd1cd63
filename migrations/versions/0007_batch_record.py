"""process data of a batch: saved tag mappings per vessel, upload versions, tags and compressed chunks

Revision ID: 0007
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tag_mappings',
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'], name=op.f('fk_tag_mappings_equipment_id_equipment')),
    sa.PrimaryKeyConstraint('equipment_id', name=op.f('pk_tag_mappings'))
    )
    op.create_table('process_data_sets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('booking_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('equipment_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booking_id'], ['bookings.id'], name=op.f('fk_process_data_sets_booking_id_bookings')),
    sa.ForeignKeyConstraint(['equipment_id'], ['equipment.id'],
                            name=op.f('fk_process_data_sets_equipment_id_equipment')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_process_data_sets_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_data_sets')),
    sa.UniqueConstraint('booking_id', 'version', name='uq_process_data_sets_booking_version')
    )
    op.create_index(op.f('ix_process_data_sets_booking_id'), 'process_data_sets', ['booking_id'])
    op.create_table('process_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('data_set_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('stored_bytes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['data_set_id'], ['process_data_sets.id'],
                            name=op.f('fk_process_tags_data_set_id_process_data_sets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_tags')),
    sa.UniqueConstraint('data_set_id', 'name', name='uq_process_tags_data_set_name')
    )
    op.create_table('process_chunks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('times', sa.LargeBinary(), nullable=False),
    sa.Column('values', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['tag_id'], ['process_tags.id'], name=op.f('fk_process_chunks_tag_id_process_tags')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_process_chunks'))
    )
    op.create_index('ix_process_chunks_tag_last_at', 'process_chunks', ['tag_id', 'last_at'])


def downgrade() -> None:
    op.drop_index('ix_process_chunks_tag_last_at', table_name='process_chunks')
    op.drop_table('process_chunks')
    op.drop_table('process_tags')
    op.drop_index(op.f('ix_process_data_sets_booking_id'), table_name='process_data_sets')
    op.drop_table('process_data_sets')
    op.drop_table('tag_mappings')
