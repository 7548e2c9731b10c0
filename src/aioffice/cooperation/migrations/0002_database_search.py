"""The EU database's text search: an index that serves the words of a public search
(`search LIKE '%word%'`, `selectors_database._filtered`) without reading every row. Written by
hand: the indexes differ by database, and the app's 0001 migration is generated.

* PostgreSQL: a trigram index (pg_trgm, GIN) on the folded search column of the public
  entries (partial: its predicate is `permissions_database.Scope.q()` of the public scope).
* SQLite: a covering index (visibility, state, registered_at, id, search): a search scans
  the index in the list's order instead of the table's wide rows (about four times less
  work for a search that scans every public entry; bench/README.md, "EU database").
  SQLite's `ALTER TABLE` emulation rebuilds a table with the indexes the models declare:
  a later migration that alters `cooperation_registration` must create it again.
"""

from typing import Any

from django.db import migrations

TRIGRAM = "coop_reg_search_trgm"
COVERING = "coop_reg_search_cover"


def create_indexes(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM} ON cooperation_registration"
            " USING gin (search gin_trgm_ops)"
            " WHERE visibility = 'public' AND state = 'registered'"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {COVERING} ON cooperation_registration"
            " (visibility, state, registered_at DESC, id DESC, search)"
        )


def drop_indexes(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP INDEX IF EXISTS {COVERING}")


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
