"""Loading many rows at once, for generated data (the province-scale seed): PostgreSQL's COPY where
it is available, batched INSERTs elsewhere. Rows are tuples in the order of the given fields, ids
included, so that a loader can link rows without reading them back; sequences are reset afterwards.

Rows go to the table as they are: no model `save()`, no signals, no validation. Only generated data
that the services' own tests cover comes in this way."""

import datetime
import io
import json
import time
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection, models

COPY_BATCH_ROWS = 20_000
INSERT_BATCH_ROWS = 500


def _copy_text(value) -> str:
    """One value in COPY's text format: \\N for NULL, and backslash, tab and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    elif isinstance(value, int | float | Decimal):
        return str(value)
    value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def load_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert `rows` (tuples of the values of `fields`, in order) into the model's table; returns how
    many. Field names are model field names (`team_id` for a foreign key's id works, as `team`)."""
    if connection.vendor == "postgresql":
        return _copy(model, fields, rows)
    return _insert(model, fields, rows)


def _copy(model, fields, rows) -> int:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(column) for column in _columns(model, fields))
    sql = f"COPY {table} ({columns}) FROM STDIN"
    count = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor: Django's wrapper has no copy_expert
        for row in rows:
            buffer.write("\t".join(_copy_text(value) for value in row))
            buffer.write("\n")
            count += 1
            if count % COPY_BATCH_ROWS == 0:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                buffer = io.StringIO()
        if buffer.tell():
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
    return count


def _insert(model, fields, rows) -> int:
    attnames = [model._meta.get_field(name).attname for name in fields]
    batch: list[models.Model] = []
    count = 0
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) == INSERT_BATCH_ROWS:
            model.objects.bulk_create(batch)
            count += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        count += len(batch)
    return count


def next_id(model: type[models.Model]) -> int:
    """The first id above every row the table holds."""
    return (model.objects.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def reset_sequences(*model_classes: type[models.Model]) -> None:
    """After rows came in with their own ids: the next row the application adds gets a fresh one."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Phases:
    """Prints one line per phase of a long load: what was loaded, how many rows, in how many seconds."""

    def __init__(self, write):
        self.write = write
        self.started = time.monotonic()

    def run(self, label: str, load) -> int:
        began = time.monotonic()
        rows = load()
        self.write(f"{label:<34} {rows:>11,} rows {time.monotonic() - began:8.1f} s")
        return rows

    def total(self) -> float:
        return time.monotonic() - self.started
