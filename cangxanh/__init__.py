"""cangxanh: a multilingual news portal for a city's foreign-affairs office."""

from cangxanh.core.deferred import defer_pillow

# Before anything imports Pillow (Django loads easy-thumbnails' models): a process
# that never touches a picture never loads its libraries (core.deferred).
defer_pillow()
