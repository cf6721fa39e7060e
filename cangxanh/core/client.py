"""Who is asking: the client's address, also behind a proxy or a CDN.

A proxy in front of the portal (Varnish, nginx, a CDN) connects from its own
address and names the client it forwards in X-Forwarded-For, appending to
whatever the client sent. So the header is believed only from the proxies in
TRUSTED_PROXIES (loopback by default), and read from the right: the first
address there that is not one of those proxies is the client. From anyone
else the header is whatever the client wants it to be, and is ignored.

View counting, the search limit and sign-in throttling all ask this.
"""

import ipaddress
import socket
from functools import lru_cache

from django.conf import settings

_MAPPED = bytes(10) + b"\xff\xff"  # ::ffff:a.b.c.d, an IPv4 client on an IPv6 socket


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple[tuple[int, int, int], ...]:
    """(bytes of an address, network, mask) of each trusted entry."""
    networks = (ipaddress.ip_network(entry, strict=False) for entry in trusted)
    return tuple((n.max_prefixlen // 8, int(n.network_address), int(n.netmask)) for n in networks)


def _packed(value: str) -> bytes | None:
    """An address as proxies write it (a port or IPv6 brackets allowed), as its 4 or 16
    bytes (the C parser: this runs on every request); None for junk."""
    value = value.strip()
    if value.startswith("["):  # [2001:db8::1]:443
        value = value[1 : value.find("]")]
    elif value.count(":") == 1:  # 192.0.2.1:443
        value = value.partition(":")[0]
    try:
        packed = socket.inet_pton(socket.AF_INET6 if ":" in value else socket.AF_INET, value)
    except (OSError, ValueError):
        return None
    return packed[12:] if packed.startswith(_MAPPED) else packed


def _is_trusted(packed: bytes, trusted: tuple[str, ...]) -> bool:
    number = int.from_bytes(packed, "big")
    return any(
        len(packed) == size and number & mask == network
        for size, network, mask in _networks(trusted)
    )


@lru_cache(maxsize=1024)  # the few proxies of a site ask on every request
def _trusted_peer(peer: str, trusted: tuple[str, ...]) -> bool:
    packed = _packed(peer)
    return packed is not None and _is_trusted(packed, trusted)


def from_trusted_proxy(meta) -> bool:
    """Whether the request came straight from one of TRUSTED_PROXIES (an edge's own
    requests: cangxanh.delivery.fragments believes its Surrogate-Capability only then)."""
    return _trusted_peer(meta.get("REMOTE_ADDR", ""), tuple(settings.TRUSTED_PROXIES))


def client_address(meta) -> str:
    """The client's address from a WSGI environ or request.META ('' if unknown)."""
    peer = meta.get("REMOTE_ADDR", "")
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not forwarded:
        return peer
    trusted = tuple(settings.TRUSTED_PROXIES)
    if not _trusted_peer(peer, trusted):
        return peer
    for value in reversed(forwarded.split(",")):
        packed = _packed(value)
        if packed is not None and not _is_trusted(packed, trusted):
            family = socket.AF_INET6 if len(packed) == 16 else socket.AF_INET
            return socket.inet_ntop(family, packed)  # one spelling per address
    return peer  # only proxies (or junk) named: the request came from the proxy's side


def request_address(request) -> str:
    """client_address of a Django request (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)
