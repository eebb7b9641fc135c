"""Migration operations the models cannot declare themselves."""

from django.db import migrations


class PostgresSQL(migrations.RunSQL):
    """SQL run on PostgreSQL alone, for what SQLite (the embedded run) does without."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def trigram_extension() -> PostgresSQL:
    """pg_trgm (a trusted extension: the database's owner may create it). Left installed when the
    migration is reversed: another app's indexes may use it."""
    return PostgresSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop)


class TrigramSearchIndex(PostgresSQL):
    """A GIN trigram index (pg_trgm) for substring search on a text column, on PostgreSQL alone.

    Django's `icontains` compares `UPPER(column::text) LIKE UPPER('%…%')`, so the index is on that
    very expression and PostgreSQL uses it for any pattern of three characters or more — Chinese ones
    too, under a UTF-8 ctype. It stays out of the model state: SQLite (the embedded run) has no GIN,
    and rebuilding a SQLite table would try to recreate it. Needs `trigram_extension()` first."""

    def __init__(self, table: str, column: str, name: str):
        self.table, self.column, self.name = table, column, name
        super().__init__(
            sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
            reverse_sql=f'DROP INDEX IF EXISTS "{name}"',
        )

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"table": self.table, "column": self.column, "name": self.name}

    def describe(self):
        return f"Trigram index {self.name} on {self.table}.{self.column} (PostgreSQL)"
