"""The first schema: cases, their append-only rows, revisions, users

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-03 20:22:02.565734
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from arrears.store.columns import Money

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('cases',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('assignments',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_assignments_user_current',
            ['user_id', 'removed_in'], unique=False)

    op.create_table('case_access',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('user_name', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('what', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_access_case_id'), ['case_id'], unique=False)

    op.create_table('case_meta',
    sa.Column('currency', sa.Text(), nullable=True),
    sa.Column('jurisdiction', sa.Text(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('language', sa.Text(), nullable=True),
    sa.Column('timezone', sa.Text(), nullable=True),
    sa.Column('represented_by', sa.Date(), nullable=True),
    sa.Column('plan_priority', sa.Text(), nullable=True),
    sa.Column('plan_months', sa.Text(), nullable=True),
    sa.Column('plan_strategy', sa.Text(), nullable=True),
    sa.Column('plan_extra', sa.Text(), nullable=True),
    sa.Column('offer', sa.Text(), nullable=True),
    sa.Column('letters_sent', sa.Text(), nullable=True),
    sa.Column('top_extra', sa.Text(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('case_meta', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_meta_case_id'), ['case_id'], unique=False)

    op.create_table('case_revisions',
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'version')
    )
    op.create_table('contacts',
    sa.Column('at', sa.Text(), nullable=True),
    sa.Column('channel', sa.Text(), nullable=True),
    sa.Column('sender', sa.Text(), nullable=True),
    sa.Column('recipient', sa.Text(), nullable=True),
    sa.Column('debt', sa.Text(), nullable=True),
    sa.Column('answered', sa.Boolean(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('flags', sa.Text(), nullable=True),
    sa.Column('collector', sa.Text(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_case_id'), ['case_id'], unique=False)

    op.create_table('debts',
    sa.Column('key', sa.Text(), nullable=True),
    sa.Column('lender', sa.Text(), nullable=True),
    sa.Column('lender_type', sa.Text(), nullable=True),
    sa.Column('kind', sa.Text(), nullable=True),
    sa.Column('principal', Money(), nullable=True),
    sa.Column('received', Money(), nullable=True),
    sa.Column('disbursed', sa.Date(), nullable=True),
    sa.Column('method', sa.Text(), nullable=True),
    sa.Column('rate', sa.Text(), nullable=True),
    sa.Column('rate_basis', sa.Text(), nullable=True),
    sa.Column('day_count', sa.Text(), nullable=True),
    sa.Column('term_months', sa.Integer(), nullable=True),
    sa.Column('first_due', sa.Date(), nullable=True),
    sa.Column('fee_rate', sa.Text(), nullable=True),
    sa.Column('upfront_fee', Money(), nullable=True),
    sa.Column('accrual', sa.Text(), nullable=True),
    sa.Column('rounding', sa.Text(), nullable=True),
    sa.Column('last_payment', sa.Text(), nullable=True),
    sa.Column('allocation', sa.Text(), nullable=True),
    sa.Column('secured', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('balance', Money(), nullable=True),
    sa.Column('balance_date', sa.Date(), nullable=True),
    sa.Column('statement_day', sa.Integer(), nullable=True),
    sa.Column('payment_due_days', sa.Integer(), nullable=True),
    sa.Column('min_payment', sa.Text(), nullable=True),
    sa.Column('min_payment_floor', Money(), nullable=True),
    sa.Column('full_balance_interest', sa.Boolean(), nullable=True),
    sa.Column('credit_limit', Money(), nullable=True),
    sa.Column('collector', sa.Text(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_debts_case_id'), ['case_id'], unique=False)

    op.create_table('households',
    sa.Column('monthly_income', Money(), nullable=True),
    sa.Column('essential_expenses', Money(), nullable=True),
    sa.Column('savings', Money(), nullable=True),
    sa.Column('emergency_fund_months', sa.Integer(), nullable=True),
    sa.Column('floor', Money(), nullable=True),
    sa.Column('members', sa.Text(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_households_case_id'), ['case_id'], unique=False)

    op.create_table('income_changes',
    sa.Column('month', sa.Text(), nullable=True),
    sa.Column('monthly_income', Money(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('income_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_income_changes_case_id'), ['case_id'], unique=False)

    op.create_table('letters_sent',
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('debt', sa.Text(), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('letters_sent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_sent_case_id'), ['case_id'], unique=False)

    op.create_table('evidence',
    sa.Column('contact_row_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.BigInteger(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['contact_row_id'], ['contacts.row_id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_contact_row_id'),
            ['contact_row_id'], unique=False)

    op.create_table('overdue_terms',
    sa.Column('debt_row_id', sa.Integer(), nullable=False),
    sa.Column('grace_days', sa.Integer(), nullable=True),
    sa.Column('penalty', sa.Text(), nullable=True),
    sa.Column('penalty_base', sa.Text(), nullable=True),
    sa.Column('compound', sa.Boolean(), nullable=True),
    sa.Column('late_fee', sa.Text(), nullable=True),
    sa.Column('late_fee_min', Money(), nullable=True),
    sa.Column('late_fee_max', Money(), nullable=True),
    sa.Column('accelerate_after_days', sa.Integer(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['debt_row_id'], ['debts.row_id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('overdue_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overdue_terms_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_overdue_terms_debt_row_id'),
            ['debt_row_id'], unique=False)

    op.create_table('payments',
    sa.Column('debt_row_id', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('amount', Money(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('row_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('added_in', sa.Integer(), nullable=False),
    sa.Column('removed_in', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('case_id', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['debt_row_id'], ['debts.row_id'], ),
    sa.PrimaryKeyConstraint('row_id')
    )
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payments_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_payments_debt_row_id'), ['debt_row_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('payments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_payments_debt_row_id'))
        batch_op.drop_index(batch_op.f('ix_payments_case_id'))

    op.drop_table('payments')
    with op.batch_alter_table('overdue_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overdue_terms_debt_row_id'))
        batch_op.drop_index(batch_op.f('ix_overdue_terms_case_id'))

    op.drop_table('overdue_terms')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_contact_row_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_case_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('letters_sent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_sent_case_id'))

    op.drop_table('letters_sent')
    with op.batch_alter_table('income_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_income_changes_case_id'))

    op.drop_table('income_changes')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_households_case_id'))

    op.drop_table('households')
    with op.batch_alter_table('debts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_debts_case_id'))

    op.drop_table('debts')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_case_id'))

    op.drop_table('contacts')
    op.drop_table('case_revisions')
    with op.batch_alter_table('case_meta', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_meta_case_id'))

    op.drop_table('case_meta')
    with op.batch_alter_table('case_access', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_access_case_id'))

    op.drop_table('case_access')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index('ix_assignments_user_current')
        batch_op.drop_index(batch_op.f('ix_assignments_case_id'))

    op.drop_table('assignments')
    op.drop_table('users')
    op.drop_table('cases')
