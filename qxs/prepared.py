"""Queries compiled once per process, for the few a cold public page runs on every request.

Turning a QuerySet into SQL costs more Python than running it: the article page's ``UNION`` of
four relations and its related-news lookup took 3–4 ms each to compile against well under a
millisecond to run. A :class:`PreparedQuery` builds its QuerySet once, with sentinel values
for the arguments that change (an id, the current time), keeps the SQL, and from then on only
substitutes the arguments and runs it, applying the same converters Django would.
"""

import datetime
import time

from django.db import connections
from django.db.models.sql import Query

# Values no real query holds, found again among the compiled parameters.
_FIRST_ID = -734_001_123
_NOW = datetime.datetime(1901, 2, 3, 4, 5, 6, 789_012, tzinfo=datetime.UTC)


class PreparedQuery:
    """``build(**arguments)`` returns a ``values_list()`` QuerySet (or a bare ``sql.Query``, as
    for a statement with no table: see :func:`select`); :meth:`rows` runs it for real values.
    The arguments are ids named in ``ids`` and the time ``now``, which ``build`` must use only
    as query parameters (in filters), never to choose the query's shape."""

    def __init__(self, build, ids=("pk",), using="default"):
        self.build = build
        self.ids = {name: _FIRST_ID - number for number, name in enumerate(ids)}
        self.using = using
        self._compiled = {}

    def _query(self):
        built = self.build(now=_NOW, **self.ids)
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
            slots = []
            for param in params:
                if type(param) is int and param in by_sentinel:
                    slots.append(by_sentinel[param])
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
            converters = compiler.get_converters([column for column, _, _ in compiler.select])
            compiled = self._compiled[key] = (sql, list(params), slots, compiler, converters)
        return compiled

    def columns(self):
        """The names of the statement's columns, in order (the aliases of ``select()``)."""
        compiler = self._compile(connections[self.using])[3]
        return [alias for _expression, _sql, alias in compiler.select]

    def rows(self, now=None, **ids):
        connection = connections[self.using]
        sql, params, slots, compiler, converters = self._compile(connection)
        arguments = {**ids, "now": connection.ops.adapt_datetimefield_value(now)}
        values = [
            param if slot is None else arguments[slot]
            for param, slot in zip(params, slots, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        if converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows


def select(expressions):
    """A ``SELECT`` of ``expressions`` (``{alias: expression}``, scalar subqueries, say)
    with no table: one row whatever the expressions find. A ``PreparedQuery`` may build it."""
    query = Query(None)
    for alias, expression in expressions.items():
        query.add_annotation(expression, alias)
    return query
