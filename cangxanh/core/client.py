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

from . import hot

_MAPPED = bytes(10) + b"\xff\xff"  # ::ffff:a.b.c.d, an IPv4 client on an IPv6 socket


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


class _Trust:
    """TRUSTED_PROXIES, parsed once: (network, mask) pairs by the length of their
    addresses, and whether each peer asked about is one of them."""

    def __init__(self, entries):
        self.entries = entries  # the setting's value it was made from
        self.networks: dict[int, list[tuple[int, int]]] = {4: [], 16: []}
        for entry in entries:
            network = ipaddress.ip_network(entry, strict=False)
            pair = (int(network.network_address), int(network.netmask))
            self.networks[network.max_prefixlen // 8].append(pair)
        self.peers: dict[str, bool] = {}

    def holds(self, packed: bytes) -> bool:
        number = int.from_bytes(packed, "big")
        for network, mask in self.networks[len(packed)]:  # noqa: SIM110 (no generator: every view asks)
            if number & mask == network:
                return True
        return False

    def peer(self, peer: str) -> bool:
        known = self.peers.get(peer)
        if known is None:
            packed = _packed(peer)
            known = packed is not None and self.holds(packed)
            if len(self.peers) < 1024:  # the few proxies of a site ask on every request
                self.peers[peer] = known
        return known


_trust = _Trust(())


def _trusted() -> _Trust:
    """The parsed TRUSTED_PROXIES, made again when the setting is another value."""
    global _trust
    entries = hot.settings.TRUSTED_PROXIES
    if _trust.entries is not entries:
        _trust = _Trust(entries)
    return _trust


def from_trusted_proxy(meta) -> bool:
    """Whether the request came straight from one of TRUSTED_PROXIES (an edge's own
    requests: cangxanh.delivery.fragments believes its Surrogate-Capability only then)."""
    return _trusted().peer(meta.get("REMOTE_ADDR", ""))


def _forwarded(meta) -> bytes | None:
    """The 4 or 16 bytes of the client a trusted proxy names; None: the peer is it."""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not forwarded:
        return None
    trust = _trusted()
    if not trust.peer(meta.get("REMOTE_ADDR", "")):
        return None
    for value in reversed(forwarded.split(",")):
        packed = _packed(value)
        if packed is not None and not trust.holds(packed):
            return packed
    return None  # only proxies (or junk) named: the request came from the proxy's side


def client_address(meta) -> str:
    """The client's address from a WSGI environ or request.META ('' if unknown)."""
    packed = _forwarded(meta)
    if packed is None:
        return meta.get("REMOTE_ADDR", "")
    family = socket.AF_INET6 if len(packed) == 16 else socket.AF_INET
    return socket.inet_ntop(family, packed)  # one spelling per address


def client_bytes(meta) -> bytes:
    """The client, as bytes that tell clients apart (what a counted view keys on,
    without spelling the address): the forwarded address's 4 or 16 bytes, else the
    peer's address as written."""
    packed = _forwarded(meta)
    return meta.get("REMOTE_ADDR", "").encode() if packed is None else packed


def request_address(request) -> str:
    """client_address of a Django request (django-axes' AXES_CLIENT_IP_CALLABLE)."""
    return client_address(request.META)
