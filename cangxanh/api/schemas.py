"""What every answer of the API is made of: the envelope (licence, language, data, the next
page), the error, and the parameters every list shares (`lang`, `cursor`, `limit`).

The OpenAPI schema is generated from these types (django-ninja, pydantic), so what the
schema says is what the code answers: tests/api validates every answer against it.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja import Field, Query, Schema
from pydantic import PlainSerializer, create_model

# The languages of the site (settings.LANGUAGES), as the `lang` parameter spells them.
LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)
Language = Literal[LANGUAGE_CODES]  # type: ignore[valid-type]

MAX_LIMIT = 100
DEFAULT_LIMIT = 20

LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# In the catalogue: the EU's authority table names the licence too (DCAT-AP).
LICENCE_EU_URI = "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"


def _local(value: datetime) -> str:
    """ISO 8601 with the site's offset (+07:00), to the second: what readers' pages show."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# A moment, always with its offset from UTC.
Moment = Annotated[datetime, PlainSerializer(_local, return_type=str, when_used="always")]
Day = date

# The parameters of every list, each with what the documentation page says of it
# (gettext_noop: the schema is in English; the page translates the same words).
LangParam = Annotated[
    Language,
    Query(
        description=gettext_noop(
            "The language of the texts: vi, en, ko, ja or zh-hans. Only what is published "
            "in that language is listed."
        )
    ),
]
CursorParam = Annotated[
    str | None,
    Query(
        description=gettext_noop(
            "Where the page starts: copy it from the previous answer's next link. "
            "Leave it out for the first page."
        ),
        max_length=200,
    ),
]
LimitParam = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_LIMIT,
        description=gettext_noop("How many items a page holds, from 1 to 100."),
    ),
]


class Licence(Schema):
    name: str = Field(examples=[LICENCE_NAME])
    url: str = Field(examples=[LICENCE_URL])
    attribution: str = Field(
        description="Whom to credit: the agency that publishes the portal, and the portal."
    )


class Envelope(Schema):
    licence: Licence
    language: Language


def list_of(item: type[Schema], name: str) -> type[Schema]:
    """The answer of a list: a page of `item`s and the address of the next page."""
    return create_model(
        name,
        __base__=Envelope,
        data=(list[item], ...),
        next=(
            str | None,
            Field(description="The next page's address; null on the last page."),
        ),
        limit=(int, ...),
    )


def one_of(item: type[Schema], name: str) -> type[Schema]:
    """The answer for one item."""
    return create_model(name, __base__=Envelope, data=(item, ...))


class Problem(Schema):
    parameter: str
    message: str


class ErrorBody(Schema):
    status: int
    code: str = Field(
        description="not_found, method_not_allowed, invalid_parameter or too_many_requests."
    )
    message: str
    details: list[Problem] = []


class Error(Schema):
    error: ErrorBody


# What any endpoint may answer besides its data.
ERRORS = {404: Error, 422: Error, 429: Error}


class TranslationLink(Schema):
    language: Language
    url: str = Field(description="The public page in that language.")
