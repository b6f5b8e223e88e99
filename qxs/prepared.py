"""Queries compiled once per process, for the few a cold public page runs on every request.

Turning a QuerySet into SQL costs more Python than running it: the article page's ``UNION`` of
four relations and its related-news lookup took 3–4 ms each to compile against well under a
millisecond to run. A :class:`PreparedQuery` builds its QuerySet once, with sentinel values
for the arguments that change (an id, the current time), keeps the SQL, and from then on only
substitutes the arguments and runs it, applying the same converters Django would.

On PostgreSQL, planning these statements cost more than running them (0.2–1.4 ms against
0.05–0.7 ms), so each is also a server-side prepared statement: ``PREPARE`` once per database
connection, then ``EXECUTE`` with the arguments. Parameters are declared with the types of
their Python values, as psycopg2 would have written them as literals; a statement PostgreSQL
refuses to prepare runs as plain SQL (logged once). ``QXS_PREPARED_STATEMENTS = False`` turns
this off, as behind a pooler that shares server connections between transactions.
"""

import datetime
import decimal
import functools
import hashlib
import logging
import re
import time
import weakref

from django.conf import settings
from django.db import connections
from django.db.models.sql import Query

logger = logging.getLogger(__name__)

# Values no real query holds, found again among the compiled parameters.
_FIRST_ID = -734_001_123
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC)


# PostgreSQL's type for each parameter, by the type of its Python value.
_PG_TYPES = {
    bool: "boolean",
    int: "bigint",
    float: "double precision",
    decimal.Decimal: "numeric",
    str: "text",
    datetime.date: "date",
}
# The statements prepared on each psycopg2 connection (gone with it: a new connection after
# a close or a lost connection prepares again).
_PREPARED = weakref.WeakKeyDictionary()
# A connection never holds more than this many (the pair list builds one query per page).
_MAX_PREPARED = 200


def _pg_type(value):
    if isinstance(value, datetime.datetime):
        return "timestamp with time zone" if value.tzinfo else "timestamp without time zone"
    # Choices are str or int subclasses (bool, first in its own MRO, is found before int).
    return next((_PG_TYPES[kind] for kind in type(value).__mro__ if kind in _PG_TYPES), None)


def _statement(sql, params):
    """``(name, PREPARE statement, EXECUTE statement)`` for ``sql`` (with Django's ``%s``
    placeholders) and ``params``, or None when a parameter has no type to declare."""
    return _statement_for_types(sql, tuple(_pg_type(param) for param in params))


@functools.lru_cache(maxsize=256)
def _statement_for_types(sql, types):
    """``_statement()`` once per SQL and parameter types (``run_sql`` asks on every run)."""
    placeholders = len(re.findall(r"%%|%s", sql)) - sql.count("%%")
    if None in types or placeholders != len(types) or "/*" in sql or "*/" in sql:
        return None
    numbers = iter(range(1, len(types) + 1))
    # Django writes a literal % as %%, as psycopg2 reads it; PREPARE takes the SQL as it is.
    text = re.sub(r"%%|%s", lambda m: "%" if m[0] == "%%" else f"${next(numbers)}", sql)
    name = "qxs_" + hashlib.sha1(f"{list(types)}{text}".encode()).hexdigest()[:24]
    declared = f" ({', '.join(types)})" if types else ""
    arguments = f"({', '.join(['%s'] * len(types))})" if types else ""
    # The statement's SQL follows as a comment, for whoever reads the query logs (and tests).
    execute = f"EXECUTE {name}{arguments} /* {sql.replace('%', '%%')} */"
    return name, f"PREPARE {name}{declared} AS {text}", execute


# The statements PostgreSQL refused to prepare, run as plain SQL from then on.
_REFUSED = set()


def _prepare(connection, statement):
    """Prepare ``statement`` on ``connection`` (PostgreSQL) unless it already is; False when it
    cannot be. Runs on the raw psycopg2 cursor: preparing is no query of the page's (query
    counts, ``connection.queries``), and a refusal inside a transaction is undone with a
    savepoint, leaving the transaction usable."""
    name, prepare, _execute = statement
    if name in _REFUSED:
        return False
    raw = connection.connection
    prepared = _PREPARED.setdefault(raw, set())
    if name in prepared:
        return True
    if len(prepared) >= _MAX_PREPARED:
        return False
    in_transaction = not raw.autocommit
    with raw.cursor() as cursor:
        try:
            if in_transaction:
                cursor.execute("SAVEPOINT qxs_prepare")
            cursor.execute(prepare)
        except connection.Database.Error:
            if in_transaction:
                cursor.execute("ROLLBACK TO SAVEPOINT qxs_prepare")
                cursor.execute("RELEASE SAVEPOINT qxs_prepare")
            _REFUSED.add(name)
            logger.warning("Not prepared, run as plain SQL: %s", prepare, exc_info=True)
            return False
        if in_transaction:
            cursor.execute("RELEASE SAVEPOINT qxs_prepare")
    prepared.add(name)
    return True


class PreparedQuery:
    """``build(**arguments)`` returns a ``values_list()`` QuerySet (or a bare ``sql.Query``, as
    for a statement with no table: see :func:`select`); :meth:`rows` runs it for real values.
    The arguments are ids named in ``ids``, texts named in ``texts`` (a slug) and the time
    ``now``, which ``build`` must use only as query parameters (in filters), never to choose the
    query's shape."""

    def __init__(self, build, ids=("pk",), using="default", prepare=True, texts=()):
        self.build = build
        # False for a statement whose generic plan (PostgreSQL's, from the sixth run of a
        # prepared statement) is far worse than one planned for the actual arguments.
        self.prepare = prepare
        self.ids = {name: _FIRST_ID - number for number, name in enumerate(ids)}
        self.texts = {name: f"qxs-sentinel-{name}-{_FIRST_ID}" for name in texts}
        self.using = using
        self._compiled = {}

    def _query(self):
        built = self.build(now=_NOW, **self.ids, **self.texts)
        return getattr(built, "query", built)

    def _compile(self, connection):
        key = (connection.vendor, connection.settings_dict["NAME"])
        compiled = self._compiled.get(key)
        if compiled is None:
            compiler = self._query().get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            # Built a second time a moment later, the query must not change: anything that does
            # (a time read while building, say ``published()`` without ``now``) would be frozen
            # into the SQL for the life of the process.
            time.sleep(0.000_01)
            again = self._query().get_compiler(using=self.using).as_sql()
            if (sql, list(params)) != (again[0], list(again[1])):
                raise ValueError(f"{self.build.__name__} builds a query that changes with time")
            now = connection.ops.adapt_datetimefield_value(_NOW)
            by_sentinel = {sentinel: name for name, sentinel in self.ids.items()}
            by_text = {sentinel: name for name, sentinel in self.texts.items()}
            slots = []
            for param in params:
                if type(param) is int and param in by_sentinel:
                    slots.append(by_sentinel[param])
                elif type(param) is str and param in by_text:
                    slots.append(by_text[param])
                elif param in (now, _NOW):
                    slots.append("now")
                elif isinstance(param, datetime.datetime | datetime.date):
                    # A time taken while building (``published()`` without ``now``) would be
                    # frozen into the SQL for the life of the process.
                    raise ValueError(
                        f"{self.build.__name__} puts a time other than its `now` in the query"
                    )
                else:
                    slots.append(None)
            if set(self.texts) - set(slots):
                raise ValueError(f"{self.build.__name__} does not use each of {sorted(self.texts)}")
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            statement = None
            if (
                self.prepare
                and connection.vendor == "postgresql"
                and settings.QXS_PREPARED_STATEMENTS
            ):
                statement = _statement(sql, params)
            compiled = self._compiled[key] = (
                sql,
                list(params),
                slots,
                compiler,
                converters,
                statement,
            )
        return compiled

    def columns(self):
        """The names of the statement's columns, in order (the aliases of ``select()``)."""
        compiler = self._compile(connections[self.using])[3]
        return [alias for _expression, _sql, alias in compiler.select]

    def rows(self, now=None, **ids):
        connection = connections[self.using]
        sql, params, slots, compiler, converters, statement = self._compile(connection)
        arguments = {**ids, "now": connection.ops.adapt_datetimefield_value(now)}
        values = [
            param if slot is None else arguments[slot]
            for param, slot in zip(params, slots, strict=True)
        ]
        rows = _execute(connection, sql, values, statement)
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


def run_sql(sql, params, using="default"):
    """The rows of ``sql`` (with Django's ``%s`` placeholders) for ``params``: on PostgreSQL a
    server-side prepared statement, as :class:`PreparedQuery`'s, for SQL a caller compiled once
    itself (the news archive's probe of its years, with array parameters)."""
    connection = connections[using]
    statement = None
    if connection.vendor == "postgresql" and settings.QXS_PREPARED_STATEMENTS:
        statement = _statement(sql, params)
    return _execute(connection, sql, params, statement)


def _execute(connection, sql, values, statement):
    """The rows of ``sql`` for ``values``, by ``EXECUTE`` of ``statement`` when it is (or can
    now be) prepared on ``connection``."""
    with connection.cursor() as cursor:
        if statement and _prepare(connection, statement):
            sql = statement[2]
        cursor.execute(sql, values)
        return cursor.fetchall()


def select(expressions):
    """A ``SELECT`` of ``expressions`` (``{alias: expression}``, scalar subqueries, say)
    with no table: one row whatever the expressions find. A ``PreparedQuery`` may build it."""
    query = Query(None)
    for alias, expression in expressions.items():
        query.add_annotation(expression, alias)
    return query
