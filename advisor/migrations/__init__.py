"""Alembic migrations of the conversation store's schema (applied by advisor.database.migrate)."""
