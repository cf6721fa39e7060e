"""Views and URL modules imported when first needed, so a process loads a module only
once it serves one of its pages: a worker that only serves readers never loads the newsroom's modules
(lxml among them) nor the open data API's (django-ninja, pydantic), which keeps its
memory small."""

from importlib import import_module

from django.urls import URLResolver
from django.urls.resolvers import RoutePattern


def view(dotted: str):
    """The view at `dotted` ("package.module.name"), imported on its first request."""
    module_name, name = dotted.rsplit(".", 1)
    found = []

    def lazy_view(request, *args, **kwargs):
        if not found:
            found.append(getattr(import_module(module_name), name))
        return found[0](request, *args, **kwargs)

    lazy_view.__name__ = name
    lazy_view.__qualname__ = name
    return lazy_view


class _LazyResolver(URLResolver):
    # Django fills every included resolver's reverse tables at the first reverse() of
    # any name, which imports every URL module; this one waits until one of its own
    # names is reversed, or a request under it has loaded its module.
    _wanted = False

    def _populate(self):
        if self._wanted or "urlconf_module" in self.__dict__:
            super()._populate()

    @property
    def reverse_dict(self):
        self._wanted = True
        return super().reverse_dict

    @property
    def namespace_dict(self):
        self._wanted = True
        return super().namespace_dict

    @property
    def app_dict(self):
        self._wanted = True
        return super().app_dict

    def _is_callback(self, name):
        self._wanted = True
        return super()._is_callback(name)


def include(route: str, urlconf: str, namespace: str) -> URLResolver:
    """`path(route, include(urlconf))` for a namespaced module imported only when a
    request under `route` comes or one of its names is reversed."""
    return _LazyResolver(
        RoutePattern(route, is_endpoint=False), urlconf, None, namespace, namespace
    )
