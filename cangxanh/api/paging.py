"""Cursor pagination: a page starts after the last item of the previous one.

Items are ordered by a key and their id (newest publication first, for the content), and
the cursor names the last item a page held: (key, id), signed (django.core.signing, under
the dataset's name) so that it is opaque and cannot be forged or moved to another list.
The next page is "what comes after that item", never "skip N", so an item published
while a client walks the list (it lands at the top, before the cursor) neither repeats
nor pushes another one out of the walk.
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime

from cangxanh.core.site import site_url

from .errors import ApiError

SALT = "cangxanh.api.cursor"


@dataclass(frozen=True)
class Order:
    """A list's order: `field` (a model path) then `id_field`, both the same way."""

    field: str
    kind: str = "datetime"  # how the key travels in the cursor: datetime, date, int, str
    id_field: str = "pk"
    descending: bool = True


NEWEST = Order("published_at", "datetime", "article_id")


def _dump(value, kind: str):
    if kind in ("datetime", "date"):
        return value.isoformat()
    return value


def _load(value, kind: str):
    if kind == "datetime":
        found = parse_datetime(value) if isinstance(value, str) else None
        if not isinstance(found, datetime) or found.tzinfo is None:
            raise ValueError
        return found
    if kind == "date":
        found = parse_date(value) if isinstance(value, str) else None
        if not isinstance(found, date):
            raise ValueError
        return found
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError
        return value
    if not isinstance(value, str):
        raise ValueError
    return value


def encode(dataset: str, order: Order, key, pk: int) -> str:
    return signing.dumps([_dump(key, order.kind), pk], salt=f"{SALT}:{dataset}", compress=True)


def decode(dataset: str, order: Order, cursor: str):
    """(key, id) of a cursor of this dataset; ApiError (422) for anything else."""
    try:
        key, pk = signing.loads(cursor, salt=f"{SALT}:{dataset}")
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError
        return _load(key, order.kind), pk
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        raise ApiError.invalid(
            "cursor", "This cursor is not one this list gave: start again without it."
        ) from None


@dataclass
class Page:
    rows: list
    next: str | None


def page(
    request, rows: QuerySet, *, dataset: str, order: Order, cursor: str | None, limit: int
) -> Page:
    """The page of `rows` that `cursor` points to, `limit` items at most (one query), and
    the absolute address of the next page (the request's own parameters, a new cursor)."""
    sign = "-" if order.descending else ""
    if cursor:
        key, pk = decode(dataset, order, cursor)
        after = "lt" if order.descending else "gt"
        rows = rows.filter(
            Q(**{f"{order.field}__{after}": key})
            | Q(**{order.field: key, f"{order.id_field}__{after}": pk})
        )
    found = list(rows.order_by(f"{sign}{order.field}", f"{sign}{order.id_field}")[: limit + 1])
    following = None
    if len(found) > limit:
        found = found[:limit]
        last = found[-1]
        token = encode(dataset, order, _value(last, order.field), _value(last, order.id_field))
        query = [(k, v) for k, v in request.GET.items() if k != "cursor"]
        following = f"{site_url()}{request.path}?{urlencode([*query, ('cursor', token)])}"
    return Page(found, following)


def _value(row, path: str):
    if isinstance(row, dict):
        return row[path]
    for part in path.split("__"):
        row = getattr(row, part)
    return row
