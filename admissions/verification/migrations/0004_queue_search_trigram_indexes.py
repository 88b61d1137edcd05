"""Trigram indexes for the queue's search (selectors.search, issue 11), PostgreSQL only.

Django's ``icontains`` is ``UPPER(column::text) LIKE UPPER('%…%')`` on PostgreSQL: a B-tree
cannot serve it, a GIN index of the same expression's trigrams (pg_trgm) can. SQLite keeps
scanning (it is for development and tests). The indexes are not in the models' state: they
exist for this one query's expression, which Django's Index cannot spell on both backends.
"""

from django.db import migrations

INDEXES = {
    "queue_search_last_name_trgm": ("dossiers_dossier", "last_name"),
    "queue_search_first_name_trgm": ("dossiers_dossier", "first_name"),
    "queue_search_email_trgm": ("accounts_user", "email"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_add_user_language"),
        ("dossiers", "0005_add_next_to_check_index"),
        ("verification", "0003_add_bulk_export"),
    ]

    operations = [migrations.RunPython(create, drop)]
