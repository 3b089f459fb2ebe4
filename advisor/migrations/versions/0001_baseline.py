"""Baseline: conversations, turns, feedback, events (as the SQLite store always had them), rate limits.

Every table is created only if missing, so a data dir from before migrations existed (the four SQLite
tables, no version) is adopted as it is and gains the rate-limit table.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("created", sa.Float, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False, server_default=""),
        sa.Column("external_key", sa.Text, unique=True),
        if_not_exists=True)
    op.create_table(
        "turns",
        sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), primary_key=True),
        sa.Column("n", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created", sa.Float, nullable=False),
        if_not_exists=True)
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("conversation_id", sa.String(64), nullable=False),
        sa.Column("turn", sa.Integer, nullable=False),
        sa.Column("rating", sa.String(8), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("verdict", sa.Text),
        sa.Column("citations", sa.Text, nullable=False),
        sa.Column("channel", sa.Text, nullable=False, server_default=""),
        sa.Column("created", sa.Float, nullable=False),
        sa.CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
        sqlite_autoincrement=True, if_not_exists=True)
    op.create_table(
        "events",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("created", sa.Float, nullable=False),
        if_not_exists=True)
    # One token bucket per caller, shared by every worker and machine (advisor.ratelimit).
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column("tokens", sa.Float, nullable=False),
        sa.Column("updated", sa.Float, nullable=False),
        if_not_exists=True)


def downgrade() -> None:
    for table in ("rate_limits", "events", "feedback", "turns", "conversations"):
        op.drop_table(table)
