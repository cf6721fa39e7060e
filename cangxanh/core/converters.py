"""Path converters for the public addresses: what an id, a year or a slug may be.

An address whose id or year the database or the calendar cannot hold simply does not
match (404), so no view ever sees it: an id past PostgreSQL's bigint (SQLite raises
OverflowError, PostgreSQL a DataError) or year 0000 (no such date) answered 500.
"""

from django.urls import register_converter

# The largest value of the database's 64-bit integer primary keys.
MAX_ID = 2**63 - 1
# Wide enough for any archive, and far from datetime's own limits (years 1 and 9999),
# which the site's time zone offset would cross when a year's bounds are computed.
MIN_YEAR, MAX_YEAR = 1000, 2999


class IdConverter:
    """A primary key: digits whose value a 64-bit database column can hold, 1 or more."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)  # ValueError past Python's digit limit: no match too
        if not 1 <= number <= MAX_ID:
            raise ValueError(f"id out of range: {value[:30]}")
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


class YearConverter:
    """A year of the archive, four digits, between MIN_YEAR and MAX_YEAR."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year out of range: {value}")
        return year

    def to_url(self, value: int | str) -> str:
        return f"{int(value):04d}"


class UnicodeSlugConverter:
    """A slug in any script (국제-협력, 国際協力): Django's own `slug` is ASCII only."""

    regex = r"[-\w]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(YearConverter, "year")
register_converter(UnicodeSlugConverter, "uslug")
