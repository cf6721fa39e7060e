"""Querysets compiled to SQL once per process: the hot reads of the public pages.

Building and compiling a Django queryset costs much more Python than running
its SQL costs the database: for the article page's reads, about a millisecond
each against a tenth of one. `Compiled(build)` calls `build(**values)` twice
with marker values, keeps the SQL (the same both times) and where each value
lands among the parameters, and from then on a call only binds the values,
runs the SQL and converts the rows exactly as the ORM would (`values_list`
rows: datetimes, JSON and so on come back as Python values).

`build` must return a `values_list()` queryset whose shape depends only on
the kinds of its values: an int, a str, a date, a datetime, or a list of ints (a new
length is a new shape, compiled once more). The same SQL text on every
database the project supports is not assumed: it is compiled per connection.
"""

from datetime import UTC, date, datetime
from weakref import WeakKeyDictionary

from django.db import connections


def _marker(name: str, value, index: int, which: int):
    if isinstance(value, bool):
        raise TypeError(f"{name}: booleans are not markable; pass them in the build")
    # Integer markers stay inside a 32-bit column's range: beyond it, Django turns a
    # comparison into "no rows" (EmptyResultSet) before any SQL is written.
    if isinstance(value, int):
        return 2_000_000_000 + index * 100_000 + which
    if isinstance(value, str):
        return f"\x00{name}:{which}"
    if isinstance(value, datetime):
        return datetime(1800 + index, 1, which, tzinfo=UTC)
    if isinstance(value, date):
        return date(1800 + index, 1, which)
    if isinstance(value, list | tuple):
        if len(value) >= 10_000:
            raise ValueError(f"{name}: lists of 10,000 values or more are not compiled")
        return [2_000_000_000 + index * 100_000 + 10_000 * which + i for i in range(len(value))]
    raise TypeError(f"{name}: cannot compile a value of type {type(value).__name__}")


def _kind(value) -> str:
    if isinstance(value, datetime):
        return "datetime"
    return "date" if isinstance(value, date) else "plain"


class _Plan:
    __slots__ = ("compiler", "sql", "params", "slots")

    def __init__(self, compiler, sql, params, slots):
        self.compiler, self.sql, self.params, self.slots = compiler, sql, params, slots


class Compiled:
    def __init__(self, build, using: str = "default"):
        self.build = build
        self.using = using
        self._plans: WeakKeyDictionary = WeakKeyDictionary()

    def _shape(self, values: dict) -> tuple:
        return tuple(
            (name, type(value).__name__, len(value) if isinstance(value, list | tuple) else 0)
            for name, value in sorted(values.items())
        )

    def _plan(self, connection, values: dict) -> _Plan:
        names = sorted(values)
        first = {n: _marker(n, values[n], i, 1) for i, n in enumerate(names)}
        second = {n: _marker(n, values[n], i, 2) for i, n in enumerate(names)}
        compiler = self.build(**first).query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        other_sql, other_params = (
            self.build(**second).query.get_compiler(connection=connection).as_sql()
        )
        if sql != other_sql or len(params) != len(other_params):
            raise ValueError("the query's SQL depends on its values: it cannot be compiled")
        adapt = connection.ops.adapt_datetimefield_value
        wanted = {}  # a parameter as the SQL receives it -> (name, position in a list or None)
        for name in names:
            marker = first[name]
            if isinstance(marker, list):
                for position, item in enumerate(marker):
                    wanted[item] = (name, position)
            elif isinstance(marker, datetime):
                wanted[adapt(marker)] = (name, None)
            elif isinstance(marker, date):
                wanted[connection.ops.adapt_datefield_value(marker)] = (name, None)
            else:
                wanted[marker] = (name, None)
        slots = []
        for index, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one != two:
                if one not in wanted:
                    raise ValueError(f"parameter {index} varies but matches no value")
                name, position = wanted[one]
                slots.append((index, name, position, _kind(values[name])))
        found = {name for _index, name, _position, _dt in slots}
        expected = {n for n in names if not (isinstance(values[n], list | tuple) and not values[n])}
        if found != expected:
            raise ValueError(f"values not found in the SQL: {sorted(expected - found)}")
        return _Plan(compiler, sql, list(params), slots)

    def _bound(self, connection, values: dict) -> tuple[_Plan, list]:
        """The plan for these values' shape, and its parameters with the values in."""
        plans = self._plans.setdefault(connection, {})
        shape = self._shape(values)
        plan = plans.get(shape)
        if plan is None:
            plan = plans[shape] = self._plan(connection, values)
        params = list(plan.params)
        ops = connection.ops
        for index, name, position, kind in plan.slots:
            value = values[name] if position is None else values[name][position]
            if kind == "datetime":
                value = ops.adapt_datetimefield_value(value)
            elif kind == "date":
                value = ops.adapt_datefield_value(value)
            params[index] = value
        return plan, params

    def __call__(self, **values) -> list[tuple]:
        connection = connections[self.using]
        plan, params = self._bound(connection, values)
        with connection.cursor() as cursor:
            cursor.execute(plan.sql, params)
            rows = cursor.fetchall()
        return list(plan.compiler.results_iter(results=[rows], tuple_expected=True))


def together(*reads: tuple[Compiled, dict], then=None) -> list[list[tuple]]:
    """Several compiled reads of one database, each (compiled, values), and their rows
    in the same order: on PostgreSQL in one message (one round trip; the statements
    run one after another, each seeing what was committed when it began, as when
    sent apart), elsewhere one after another.

    `then`: a function given the connection, for a caller with statements of its own
    waiting for a message: on PostgreSQL it returns them, [(sql, params, answer)],
    and they go after the reads in the same message, the first row of each put in
    its `answer` dict ("row"; None: a statement whose rows are not wanted). Nothing
    is asked of it elsewhere."""
    using = {compiled.using for compiled, _values in reads}
    if len(using) != 1:
        raise ValueError("reads of one database only")
    connection = connections[using.pop()]
    server_side = connection.settings_dict.get("OPTIONS", {}).get("server_side_binding")
    if connection.vendor != "postgresql" or server_side:
        return [compiled(**values) for compiled, values in reads]
    after = then(connection) if then is not None else []
    bound = [compiled._bound(connection, values) for compiled, values in reads]
    answers = []
    with connection.cursor() as cursor:
        # Client-side binding (Django's default with psycopg): the parameters go into
        # the text, so several statements can share one message.
        cursor.execute(
            "; ".join([*(plan.sql for plan, _params in bound), *(sql for sql, _p, _a in after)]),
            [
                *(p for _plan, params in bound for p in params),
                *(p for _s, ps, _a in after for p in ps),
            ],
        )
        for number, (plan, _params) in enumerate(bound):
            if number:
                cursor.nextset()
            rows = cursor.fetchall()
            answers.append(list(plan.compiler.results_iter(results=[rows], tuple_expected=True)))
        for _sql, _params, answer in after:
            cursor.nextset()
            if answer is not None:
                answer["row"] = cursor.fetchone()
    return answers
