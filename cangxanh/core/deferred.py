"""Modules whose code runs on first use, not on import.

Pillow's image modules load its C core and a dozen bundled libraries (JPEG,
TIFF, WebP, OpenJPEG, LittleCMS, ...): about 2 MiB in every process, though
a worker serving readers only sends pages. easy-thumbnails, an installed app,
imports `PIL.Image` when Django loads its models, so without this every
worker paid for them. `defer(name)` puts a module in `sys.modules` whose code
runs the first time anything reads one of its attributes: `from PIL import
Image` still succeeds at once, and the picture code that calls `Image.open`
loads Pillow then, in that process only.

Unlike importlib.util.LazyLoader on Python 3.11, the first use holds a lock
of the module's own, so two threads using it for the first time at once both
see it whole (the second waits until its code has run), and its code runs once.
"""

import importlib.util
import sys
import threading
import types

_locks: dict[str, threading.RLock] = {}  # per deferred module: its first use
_running: set[str] = set()  # deferred modules whose code is running now

# What the import system and introspection read of a module: answered without
# running it (`import PIL.Image` looks at __spec__ of the module it finds).
_METADATA = frozenset(
    ("__spec__", "__name__", "__loader__", "__package__", "__file__", "__path__", "__class__")
)


class _Deferred(types.ModuleType):
    def __getattribute__(self, name):
        if name in _METADATA:
            return object.__getattribute__(self, name)
        spec = object.__getattribute__(self, "__spec__")
        with _locks[spec.name]:  # other threads wait here while its code runs
            if type(self) is _Deferred and spec.name not in _running:
                _running.add(spec.name)
                try:
                    spec.loader.exec_module(self)
                    self.__class__ = types.ModuleType  # whole: plain reads from now on
                except BaseException:
                    sys.modules.pop(spec.name, None)  # the next import tries afresh
                    raise
                finally:
                    _running.discard(spec.name)
            # Still deferred here only on the thread running its code (the module's
            # own code, or a module it imports, reads it as in any import).
        return object.__getattribute__(self, name)


def defer(name: str) -> None:
    """Import module `name` (a dotted name) with its code deferred to its first use;
    nothing happens if it is imported already or cannot be found."""
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)  # imports the parent packages (they run now)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return
    module = importlib.util.module_from_spec(spec)
    _locks[name] = threading.RLock()
    module.__class__ = _Deferred
    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, module)


# Pillow: its modules that load the C core, as the project and easy-thumbnails
# import them (renditions, validation, thumbnails).
PILLOW = ("PIL.Image", "PIL.ImageCms", "PIL.ImageOps")


def defer_pillow() -> None:
    for name in PILLOW:
        defer(name)
