"""Lines of the edge's view log as `manage.py edge-views` reads them
(delivery.fragments.view): what a client sends cannot make it count someone else."""

from cangxanh.delivery import fragments

CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def line(forwarded: str, agent: str = CHROME, status: str = "200", value: str | None = None):
    value = value or fragments.signed("vi", 42, 7, True)
    # X-Forwarded-For, Host, Referer, Sec-Purpose, Purpose, X-Purpose, X-Moz, User-Agent
    headers = [forwarded, "portal.example", "-", "-", "-", "-", "-", agent]
    return f"GET {status} hit {value}\t" + "\t".join(headers)


def test_a_client_naming_other_addresses_is_still_one_reader():
    """An untrusted client (the last address Varnish appended) may send any
    X-Forwarded-For: it is ignored, so it counts as itself whatever it claims."""
    first = fragments.view(line("198.51.100.1, 203.0.113.9"))
    second = fragments.view(line("198.51.100.2, 203.0.113.9"))
    assert first is not None and first[:2] == (42, 7)
    assert first[2] == second[2]


def test_a_trusted_proxy_in_front_names_its_clients():
    first = fragments.view(line("198.51.100.1, 127.0.0.1"))
    second = fragments.view(line("198.51.100.2, 127.0.0.1"))
    assert first[2] != second[2]


def test_forged_values_crawlers_and_errors_count_nothing():
    signed = fragments.signed("vi", 42, 7, True)
    assert fragments.view(line("203.0.113.9", value=signed)) is not None
    wrong = "1" if signed.endswith("0") else "0"  # one character of the signature changed
    assert fragments.view(line("203.0.113.9", value=signed[:-1] + wrong)) is None
    assert (
        fragments.view(line("203.0.113.9", value="vi/43.7.1." + signed.rsplit(".", 1)[1])) is None
    )
    assert (
        fragments.view(line("203.0.113.9", agent="Mozilla/5.0 (compatible; Googlebot/2.1)")) is None
    )
    assert fragments.view(line("203.0.113.9", status="404")) is None
    assert fragments.view(line("203.0.113.9", value=fragments.signed("vi", 42, 7, False))) is None
    assert fragments.view("junk") is None
