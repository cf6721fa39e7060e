"""The datasets of the open data API, and how an app adds one.

A dataset is a django-ninja `Router` mounted at `/api/v1/<key>/`, with what the DCAT
catalogue (`/api/v1/catalog.jsonld`) and the documentation page (`/<lang>/api/`) say of
it. Apps register theirs in `AppConfig.ready()`, like kinds of content (news.kinds):
`cangxanh.api.urls` mounts every registered router once, when the URLs are first loaded,
and the schema, the catalogue and the documentation page follow by themselves.

Adding a dataset (the registry's partner localities, say) takes a module and three lines:

    # cangxanh/registry/api.py
    from ninja import Router, Schema
    from cangxanh.api import paging, respond
    from cangxanh.api.schemas import ERRORS, CursorParam, LangParam, LimitParam, list_of

    router = Router()

    class PartnerOut(Schema):
        id: int
        name: str

    PartnerList = list_of(PartnerOut, "PartnerList")

    @router.get("/", response={200: PartnerList, **ERRORS}, url_name="partners",
                summary=gettext_noop("Partner localities"))
    def partners(request, lang: LangParam = "vi", cursor: CursorParam = None,
                 limit: LimitParam = 20):
        rows = Partner.objects.filter(public_data__isnull=False)  # only what an approver published
        found = paging.page(request, rows, dataset="partners",
                            order=paging.Order("name", "str"), cursor=cursor, limit=limit)
        return respond.listing(lang, [shape(row, lang) for row in found.rows], found, limit)

    # cangxanh/registry/apps.py, in ready():
    from cangxanh.api import datasets
    from . import api
    datasets.register(datasets.Dataset(
        "partners", api.router, _("Partner localities"), _("Cities and provinces ...")))

Everything else (licence, ETag and 304, CORS, the per-client limit, JSON 404/405, the
HEAD and OPTIONS methods) is done around every endpoint by `cangxanh.api.http`. Strings
that readers see go through gettext_lazy / gettext_noop like every other string.
"""

import importlib
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from ninja import Router

# The API's URL namespace (and app name): `reverse("api:<name>")`.
NAMESPACE = "api"

_DATASETS: dict[str, "Dataset"] = {}
# Modules whose `register()` adds datasets, imported when the datasets are first asked
# for: django-ninja and pydantic (about 90 modules) load in a process that serves the
# API, not in every process that serves pages.
_LATER: list[str] = []
_later_lock = threading.Lock()


@dataclass(frozen=True)
class Dataset:
    key: str  # the path under /api/v1/ and the dataset's identifier in the catalogue
    router: "Router"
    title: str | Promise
    description: str | Promise
    keywords: tuple = field(default_factory=tuple)
    # A theme of the EU's data-theme vocabulary (DCAT-AP), e.g. GOVE, SOCI, ECON, REGI.
    theme: str = "GOVE"
    # The list's URL name inside the API (the catalogue's access URL); None: its root.
    list_name: str | None = None


def register(dataset: Dataset) -> Dataset:
    """Add a dataset (again: the same key replaces it, as app reloading in tests does)."""
    if not dataset.key.replace("-", "").isalnum() or dataset.key != dataset.key.lower():
        raise ValueError(f"dataset key {dataset.key!r}: lowercase letters, digits and hyphens")
    _DATASETS[dataset.key] = dataset
    return dataset


def register_later(module: str) -> None:
    """Have `module.register()` add its datasets when they are first asked for
    (AppConfig.ready(): nothing of the API is imported there)."""
    with _later_lock:
        if module not in _LATER:
            _LATER.append(module)


def _load() -> None:
    if not _LATER:
        return
    with _later_lock:
        while _LATER:
            importlib.import_module(_LATER[0]).register()
            _LATER.pop(0)


def all_datasets() -> list[Dataset]:
    _load()
    return list(_DATASETS.values())


def get(key: str) -> Dataset | None:
    _load()
    return _DATASETS.get(key)


def unregister(key: str) -> None:
    _DATASETS.pop(key, None)
