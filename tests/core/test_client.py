"""The client's address: the connection's own, or the one a trusted proxy forwards."""

import pytest

from cangxanh.core.client import client_address


def address(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(meta)


def test_without_a_proxy_the_connection_is_the_client():
    assert address("198.51.100.7") == "198.51.100.7"
    assert address("127.0.0.1") == "127.0.0.1"
    assert client_address({}) == ""


def test_a_forwarded_address_is_ignored_from_anyone_but_a_trusted_proxy():
    assert address("198.51.100.7", "203.0.113.1") == "198.51.100.7"
    assert address("10.0.0.2", "203.0.113.1") == "10.0.0.2"


@pytest.mark.parametrize("proxy", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_proxies_are_trusted_by_default(proxy):
    assert address(proxy, "203.0.113.1") == "203.0.113.1"


def test_read_from_the_right_so_what_the_client_wrote_first_is_not_believed():
    # The client sent "X-Forwarded-For: 192.0.2.66"; the proxy appended whom it saw.
    assert address("127.0.0.1", "192.0.2.66, 203.0.113.1") == "203.0.113.1"


def test_a_chain_of_trusted_proxies_is_walked_to_the_first_untrusted_address(settings):
    chain = "192.0.2.66, 203.0.113.1, 10.0.0.2, 127.0.0.1"
    assert address("127.0.0.1", chain) == "10.0.0.2"  # 10.0.0.2 is not one of ours
    settings.TRUSTED_PROXIES = ["127.0.0.0/8", "::1", "10.0.0.0/8"]
    assert address("127.0.0.1", chain) == "203.0.113.1"
    assert address("10.1.2.3", "203.0.113.1") == "203.0.113.1"


def test_junk_in_the_header_is_skipped():
    assert address("127.0.0.1", "unknown, 203.0.113.1, not-an-address, ") == "203.0.113.1"
    assert address("127.0.0.1", "unknown, <script>, 999.1.1.1") == "127.0.0.1"
    assert address("127.0.0.1", "127.0.0.1, ::1") == "127.0.0.1"  # only proxies named


def test_ports_and_ipv6_as_proxies_write_them():
    assert address("127.0.0.1", "203.0.113.1:51234") == "203.0.113.1"
    assert address("127.0.0.1", "[2001:db8::7]:443") == "2001:db8::7"
    assert address("::1", "2001:DB8:0:0::7") == "2001:db8::7"  # one spelling per address


def test_the_bytes_of_a_client_are_one_per_address_whatever_its_spelling():
    from cangxanh.core.client import client_bytes

    def key(remote, forwarded=None):
        meta = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            meta["HTTP_X_FORWARDED_FOR"] = forwarded
        return client_bytes(meta)

    assert key("127.0.0.1", "2001:DB8:0:0::7") == key("::1", "[2001:db8::7]:443")
    assert key("127.0.0.1", "::ffff:203.0.113.1") == key("127.0.0.1", "203.0.113.1:80")
    assert len(key("127.0.0.1", "203.0.113.1")) == 4  # the address's own bytes
    assert key("127.0.0.1", "203.0.113.1") != key("127.0.0.1", "203.0.113.2")
    # Not forwarded, or not by a trusted proxy: the connection's address as written.
    assert key("198.51.100.7", "203.0.113.1") == b"198.51.100.7"
    assert key("127.0.0.1", "127.0.0.1") == b"127.0.0.1"
